/**
 * The few React names `docs-page.ts` uses. React is there at run time (Storybook's docs addon
 * brings it) but ships no types, and this project needs no `@types/react` for two calls.
 */
declare module 'react' {
  export const Fragment: unknown;
  export function createElement(type: unknown, props?: Record<string, unknown> | null, ...children: unknown[]): unknown;
}

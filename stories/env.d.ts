/** Vite's `?raw` imports in stories: the file's text. */
declare module '*.css?raw' {
  const text: string;
  export default text;
}

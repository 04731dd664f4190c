/**
 * Vite config for Storybook only (`main.ts` points the builder here), so the widget's
 * library-mode `widget/vite.config.ts` never leaks into the Storybook build.
 */
import { defaultClientConditions, defineConfig } from 'vite';

export default defineConfig({
  // nanostores reads process.env.NODE_ENV (TOOLCHAIN.md); the widget bundle defines it too.
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  // live-chat-protocol from its sources, as the widget's own build resolves it.
  resolve: { conditions: ['live-chat-source', ...defaultClientConditions] },
});

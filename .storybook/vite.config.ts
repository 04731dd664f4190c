/**
 * Vite config for Storybook only (`main.ts` points the builder here), so the widget's
 * library-mode `vite.config.ts` at the repo root never leaks into the Storybook build.
 */
import { defineConfig } from 'vite';

export default defineConfig({
  // nanostores reads process.env.NODE_ENV (TOOLCHAIN.md); the widget bundle defines it too.
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
});

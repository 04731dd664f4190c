/**
 * Static files: the demo page at `/` (repo-root `demo/`), and the built widget at
 * `/live-chat.js` (`dist/live-chat.js`, from `vite build`). Paths resolve from the package
 * root, not the working directory. The bundle is served with
 * `Cross-Origin-Resource-Policy: cross-origin` so pages on other origins can load it.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import express, { Router } from 'express';

const require = createRequire(import.meta.url);
/** The folder of the `live-chat` package (the widget), whose `dist/` holds the bundle. */
export const widgetRoot = path.dirname(require.resolve('live-chat/package.json'));
/** The repository root when the server runs from a checkout (it holds `demo/`). */
export const repoRoot = path.resolve(path.dirname(require.resolve('live-chat-server/package.json')), '..');

/**
 * Builds the static router (mount last, before the 404 handler).
 * @param root the folder holding `demo/`; default {@link repoRoot}. The bundle comes from
 *   {@link widgetRoot}`/dist`.
 * @returns an Express router: `/live-chat.js` and its map (404 text telling to run
 *   `npm run build` when not built), `/` and other files of `demo/` (404 text when
 *   `demo/index.html` is missing; dotfiles ignored). Other paths fall through to `next()`.
 */
export function staticRouter(root = repoRoot): Router {
  const router = Router();
  const demoDir = path.join(root, 'demo');
  const distDir = path.join(widgetRoot, 'dist');

  for (const file of ['live-chat.js', 'live-chat.js.map']) {
    router.get(`/${file}`, (_req, res) => {
      const full = path.join(distDir, file);
      if (!existsSync(full)) {
        res.status(404).type('text/plain').send(`${file} is not built yet: run \`npm run build\` (vite build) first.\n`);
        return;
      }
      res.sendFile(full, {
        headers: {
          'Content-Type': file.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'application/json',
          'Cross-Origin-Resource-Policy': 'cross-origin',
          'Cache-Control': 'no-cache',
        },
      });
    });
  }
  router.get('/', (_req, res, next) => {
    if (existsSync(path.join(demoDir, 'index.html'))) return next();
    res.status(404).type('text/plain').send('demo/index.html is missing from this installation.\n');
  });
  router.use(express.static(demoDir, { index: 'index.html', dotfiles: 'ignore' }));
  return router;
}

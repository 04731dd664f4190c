/**
 * Static files: the widget bundle and the demo page.
 *
 * The bundle comes from the `live-chat` package's `dist/` (`npm run build`, widget/vite.config.ts),
 * which holds `bundle.json` naming the current build's `live-chat.<hash>.js` and its pre-compressed
 * `.br` (brotli 11) and `.gz` (gzip 9) copies. Two URLs serve those bytes:
 * - `/live-chat.<hash>.js`: `Cache-Control: public, max-age=31536000, immutable` (the URL changes
 *   with the content, so a browser or CDN keeps it for a year and never asks again);
 * - `/live-chat.js`, the URL a site's script tag names: `Cache-Control: no-cache`, i.e. stored but
 *   revalidated on every page load with `If-None-Match` (a 304 without a body while unchanged). A
 *   deploy reaches every page at once, so the widget never talks to a server newer than itself
 *   for "a few minutes"; the cost is one conditional request per page view.
 *
 * Both pick an encoding from `Accept-Encoding`: br when accepted, else gzip, else identity
 * (`Content-Encoding`, `Vary: Accept-Encoding`), with a strong ETag made of the content hash and
 * the encoding (the same on every instance and after a rebuild of the same code, unlike an
 * mtime). Express's `req.acceptsEncodings` (negotiator) reads the header, including `q=0`;
 * `res.sendFile` (send) answers HEAD, ranges and 304s. Why not express-static-gzip: it indexes
 * the folder once when the router is built, so a bundle built or rebuilt after the server
 * started would go out uncompressed until a restart; and negotiation is these few lines.
 *
 * The bundle is sent with `Cross-Origin-Resource-Policy: cross-origin` so pages on other
 * origins can load it (CORS headers come from `cors.ts`, mounted before).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createRequire } from 'node:module';
import express, { Router, type Request, type Response, type NextFunction } from 'express';
import { refuse } from '../errors.ts';

const require = createRequire(import.meta.url);
/** The folder of the `live-chat` package (the widget), whose `dist/` holds the bundle. */
export const widgetRoot = path.dirname(require.resolve('live-chat/package.json'));
/** The repository root when the server runs from a checkout (it holds `demo/`). */
export const repoRoot = path.resolve(path.dirname(require.resolve('live-chat-server/package.json')), '..');

/** `Cache-Control` of `/live-chat.<hash>.js`: a year (s), never revalidated. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** `Cache-Control` of `/live-chat.js`: kept, but revalidated (ETag) on every use. */
export const REVALIDATE = 'no-cache';

/** The fields of `dist/bundle.json` (written by widget/vite.config.ts) this router reads. */
interface BundleManifest {
  /** `live-chat.<hash>.js`. */
  file: string;
  /** 8 hex digits. */
  hash: string;
  /** Bytes per encoding; `br` and `gzip` name the `.br` and `.gz` files next to `file`. */
  bytes: { identity: number; br?: number; gzip?: number };
  /** Lazy chunks (`host-tools.<8 hex>.js`, loaded by the widget for hosts and moderators), each like the bundle. */
  chunks?: { file: string; bytes: { identity: number; br?: number; gzip?: number } }[];
  /**
   * `live-chat.js` itself and its sizes, when the build has chunks: it imports the chunks
   * that import `./live-chat.js` (the hashed file imports their hashed twins), so
   * `/live-chat.js` sends these bytes. Absent: the hashed file's bytes serve both URLs.
   */
  stable?: { file: string; bytes: { identity: number; br?: number; gzip?: number } };
}

/** Encodings in the order the server prefers them, with their file suffix. */
const ENCODINGS = [
  { name: 'br', suffix: '.br' },
  { name: 'gzip', suffix: '.gz' },
] as const;

export interface StaticOptions {
  /** Folder holding `demo/`; default {@link repoRoot}. */
  root?: string;
  /** Serve the demo page at `/` and its files; default true. When false they fall through (JSON 404). */
  serveDemo?: boolean;
  /** Folder holding the built bundle and `bundle.json`; default {@link widgetRoot}`/dist`. */
  dist?: string;
}

/**
 * Builds the static router (mount after the API, before the 404 handler).
 * @returns an Express router answering GET and HEAD of
 *   - `/live-chat.js` and `/live-chat.<hash>.js` (the current build only) as described above;
 *     404 `not_found` when the bundle is not built (the message says to run `npm run build`)
 *     or the hash is not the current build's;
 *   - with `serveDemo`, `/` and the other files of `demo/` (dotfiles ignored; 404 `not_found`
 *     when `demo/index.html` is missing).
 *   Other paths fall through to `next()`.
 */
export function staticRouter(options: StaticOptions = {}): Router {
  const { root = repoRoot, serveDemo = true, dist = path.join(widgetRoot, 'dist') } = options;
  const router = Router();

  router.get('/live-chat.js', (req, res, next) => {
    void currentBuild(dist).then((build) => {
      if (!build) return next(refuse.notFound('live-chat.js is not built yet: run `npm run build` first.'));
      sendBundle(req, res, next, dist, build.stable ?? build, build.hash, REVALIDATE);
    }, next);
  });
  router.get(/^\/live-chat\.([0-9a-f]{8})\.js$/, (req, res, next) => {
    void currentBuild(dist).then((build) => {
      if (!build || build.hash !== req.params[0]) {
        const current = build ? `; this server has ${build.file}` : ': run `npm run build` first';
        return next(refuse.notFound(`No bundle ${req.path.slice(1)}${current}.`));
      }
      sendBundle(req, res, next, dist, build, build.hash, IMMUTABLE);
    }, next);
  });
  // The bundle's lazy chunks (the host tools): the current build's only, immutable like the
  // hashed bundle, from the same folder, pre-compressed and negotiated the same way.
  // `/host-tools.js`: the chunk that `/live-chat.js` itself imports, for a site that places
  // `<lc-recap>` on a page of its own; revalidated like `/live-chat.js`.
  router.get(/^\/([a-z][a-z-]*)\.js$/, (req, res, next) => {
    void currentBuild(dist).then((build) => {
      const name = req.params[0];
      const chunk = build?.chunks?.find((c) => c.file.startsWith(`${name}.`) && c.file !== `${name}.${build.hash}.js`);
      if (!build || !chunk) return next();
      sendBundle(req, res, next, dist, chunk, chunk.file, REVALIDATE);
    }, next);
  });
  router.get(/^\/([a-z][a-z-]*\.[0-9a-f]{8}\.js)$/, (req, res, next) => {
    void currentBuild(dist).then((build) => {
      const chunk = build?.chunks?.find((c) => c.file === req.params[0]);
      if (!build || !chunk) return next(refuse.notFound(`No file ${req.path.slice(1)} in this server's build${build ? '' : ': run `npm run build` first'}.`));
      sendBundle(req, res, next, dist, chunk, chunk.file, IMMUTABLE);
    }, next);
  });

  if (serveDemo) {
    const demoDir = path.join(root, 'demo');
    router.get('/', (_req, _res, next) => {
      if (existsSync(path.join(demoDir, 'index.html'))) return next();
      next(refuse.notFound('demo/index.html is missing from this installation.'));
    });
    router.use(express.static(demoDir, { index: 'index.html', dotfiles: 'ignore' }));
  }
  return router;
}

/** `dist/bundle.json` when it names a file that exists, else null (not built). Read per request: a rebuild is seen at once. */
async function currentBuild(dist: string): Promise<BundleManifest | null> {
  let manifest: BundleManifest;
  try {
    manifest = JSON.parse(await readFile(path.join(dist, 'bundle.json'), 'utf8')) as BundleManifest;
  } catch {
    return null;
  }
  return existsSync(path.join(dist, manifest.file)) ? manifest : null;
}

/** Sends a file of the build (the bundle or a chunk) in the best encoding the request accepts, with `cacheControl`. */
function sendBundle(req: Request, res: Response, next: NextFunction, dist: string, build: Pick<BundleManifest, 'file' | 'bytes'>, etag: string, cacheControl: string): void {
  const encoding = ENCODINGS.find((e) => build.bytes[e.name] !== undefined && req.acceptsEncodings(e.name) && existsSync(path.join(dist, build.file + e.suffix)));
  res.set({
    'Content-Type': 'text/javascript; charset=utf-8',
    'Cache-Control': cacheControl,
    ETag: `"${etag}-${encoding?.name ?? 'identity'}"`,
    'Cross-Origin-Resource-Policy': 'cross-origin',
    ...(encoding && { 'Content-Encoding': encoding.name }),
  });
  res.vary('Accept-Encoding');
  // The ETag is the validator: the file is sent without a modification date, so an
  // If-Unmodified-Since is ignored (RFC 9110, 13.1.4), not failed by send for want of one.
  delete req.headers['if-unmodified-since'];
  res.sendFile(build.file + (encoding?.suffix ?? ''), { root: dist, lastModified: false }, (err) => {
    // send's 412 and 416 answer as themselves, without the file's headers (`errors.ts`).
    if (err && !res.headersSent) next(err);
  });
}

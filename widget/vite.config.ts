/**
 * Builds the widget: one ES module, `widget/dist/live-chat.js`, with everything included (Lit,
 * @lit/context, nanostores and our code, with our own Socket.IO client), minified, for a plain
 * `<script type="module">` on any site; next to it the content-hashed, pre-compressed copy the
 * server sends (see {@link hashedCopies}). The unbundled ESM build with declarations comes from
 * `tsc -b tsconfig.build.json`.
 *
 * Minified with terser (Vite's documented `build.minify: 'terser'`): in library mode Vite's
 * esbuild minifier keeps whitespace in ES output (for the pure annotations a consumer's tree
 * shaking reads), and this file is the end product; terser also ends about 300 bytes
 * smaller min+gzip than esbuild did (test/widget/bundle.node.test.ts holds the budget).
 * Template literals are squeezed by our own steps: neither minifier touches them.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

/** Collapses whitespace and drops comments inside css`…` literals of our *.styles.ts files. */
function minifyCssTemplates(): Plugin {
  return {
    name: 'live-chat:minify-css-templates',
    enforce: 'pre',
    transform(code, id) {
      if (!/widget\/.*styles\.ts$/.test(id)) return null;
      return code.replace(/css`([^`]*)`/g, (_, body: string) => {
        const squeezed = body
          .replace(/\/\*[\s\S]*?\*\//g, '')
          .replace(/\s+/g, ' ')
          .replace(/\s*([{};,>])\s*/g, '$1')
          .replace(/:\s+/g, ':')
          .replace(/([\s:,(])0\.(\d)/g, '$1.$2')
          .replace(/;}/g, '}')
          .trim();
        return `css\`${squeezed}\``;
      });
    },
  };
}

/**
 * Minified code keeps a raw newline only inside template literals: our html`…` templates,
 * where a newline and its indentation render as one space (or nothing between tags). Squeezes
 * them in the finished chunk.
 */
function squeezeTemplates(): Plugin {
  return {
    name: 'live-chat:squeeze-templates',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type === 'chunk') chunk.code = chunk.code.replace(/>\n\s*</g, '><').replace(/\n\s*/g, ' ');
      }
    },
  };
}

/** A lazily loaded chunk of the bundle (`dist/bundle.json`'s `chunks`), e.g. the host tools. */
interface ChunkFile {
  /** `<name>.<8 hex>.js`, in the same folder, served with a year-long immutable cache. */
  file: string;
  /** Size in bytes of `file`, `<file>.br` and `<file>.gz`. */
  bytes: { identity: number; br: number; gzip: number };
}

/** What `dist/bundle.json` holds (read by server/http/static.ts and docs/widget.md). */
interface BundleManifest {
  /** `live-chat.<hash>.js`, in the same folder. */
  file: string;
  /** The first 8 hex digits of the SHA-256 of the bundle's bytes. */
  hash: string;
  /** Subresource Integrity of the bundle (`sha384-…`), for `<script integrity>`. */
  integrity: string;
  /** Size in bytes of each file: the bundle, `<file>.br` (brotli) and `<file>.gz` (gzip). */
  bytes: { identity: number; br: number; gzip: number };
  /**
   * The lazy chunks (today the host tools, loaded only for hosts and moderators), twice: the
   * ones `live-chat.js` imports, and the ones `live-chat.<hash>.js` imports (see
   * {@link hashedCopies}).
   */
  chunks: ChunkFile[];
  /** With chunks: `live-chat.js` (and its `.br`, `.gz`), which `/live-chat.js` sends. */
  stable?: ChunkFile;
}

/** Writes `<file>.br` (brotli 11) and `<file>.gz` (gzip 9) next to `file`; returns the three sizes. */
function compressed(dir: string, file: string, code: Buffer): ChunkFile['bytes'] {
  const br = brotliCompressSync(code, {
    params: { [zlib.BROTLI_PARAM_QUALITY]: zlib.BROTLI_MAX_QUALITY, [zlib.BROTLI_PARAM_MODE]: zlib.BROTLI_MODE_TEXT, [zlib.BROTLI_PARAM_SIZE_HINT]: code.length },
  });
  const gz = gzipSync(code, { level: 9 });
  writeFileSync(join(dir, file), code);
  writeFileSync(join(dir, `${file}.br`), br);
  writeFileSync(join(dir, `${file}.gz`), gz);
  return { identity: code.length, br: br.length, gzip: gz.length };
}

/** Replaces every `"./<from>"` module specifier in `code` by `"./<to>"`; throws when there is none. */
function respecify(code: string, from: string, to: string): Buffer {
  const parts = code.split(`"./${from}"`);
  if (parts.length < 2) throw new Error(`live-chat build: no import of ./${from} to point at ./${to}`);
  return Buffer.from(parts.join(`"./${to}"`));
}

/**
 * After the bundle is written, writes the copy the server sends with a year-long immutable
 * cache: `live-chat.<hash>.js` (the same bytes), `live-chat.<hash>.js.br` (brotli, quality
 * 11) and `live-chat.<hash>.js.gz` (gzip, level 9), and `dist/bundle.json` naming them
 * ({@link BundleManifest}). The copies of earlier builds are removed, so `dist/` holds one.
 */
function hashedCopies(): Plugin {
  return {
    name: 'live-chat:hashed-copies',
    apply: 'build',
    writeBundle(options, bundle) {
      if (!options.dir || !bundle['live-chat.js']) return;
      const dir = options.dir;
      const code = readFileSync(join(dir, 'live-chat.js'));
      const hash = createHash('sha256').update(code).digest('hex').slice(0, 8);
      const file = `live-chat.${hash}.js`;
      const lazy = Object.values(bundle).filter((c) => c.type === 'chunk' && !c.isEntry).map((c) => c.fileName);
      const current = new Set([file, ...lazy, ...lazy.map((c) => c.replace(/\.[0-9a-f]{8}\.js$/, `.${hash}.js`))]);
      for (const old of readdirSync(dir)) {
        const name = old.replace(/\.(br|gz)$/, '');
        if (name === 'live-chat.js' && old !== name && !lazy.length) rmSync(join(dir, old));
        if (/^[a-z-]+\.[0-9a-f]{8}\.js$/.test(name) && !current.has(name)) rmSync(join(dir, old));
      }
      // A lazy chunk imports the entry by name ("./live-chat.js"): loaded from the hashed URL,
      // the entry must get chunks that import the hashed URL, or the page would run a second
      // copy of the widget. So each chunk has a twin named by the entry's hash, and the hashed
      // entry imports the twins: same code, the module specifiers rewritten.
      let hashedCode = code.toString();
      const chunks: ChunkFile[] = [];
      for (const name of lazy) {
        const twin = name.replace(/\.[0-9a-f]{8}\.js$/, `.${hash}.js`);
        const chunk = readFileSync(join(dir, name));
        chunks.push({ file: name, bytes: compressed(dir, name, chunk) });
        chunks.push({ file: twin, bytes: compressed(dir, twin, respecify(chunk.toString(), 'live-chat.js', file)) });
        hashedCode = respecify(hashedCode, name, twin).toString();
      }
      const hashed = Buffer.from(hashedCode);
      const manifest: BundleManifest = {
        file,
        hash,
        integrity: `sha384-${createHash('sha384').update(hashed).digest('base64')}`,
        bytes: compressed(dir, file, hashed),
        chunks,
        ...(chunks.length && { stable: { file: 'live-chat.js', bytes: compressed(dir, 'live-chat.js', code) } }),
      };
      writeFileSync(join(dir, 'bundle.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    },
  };
}

export default defineConfig({
  define: { 'process.env.NODE_ENV': '"production"' },
  // live-chat-protocol's sources, not its dist/, so the bundle needs no protocol build first.
  // `production` spelled out, not Vite's `development|production` (which follows NODE_ENV): a
  // build run with NODE_ENV=test or development in the environment took Lit's dev build
  // (+13 KB, "Lit is in dev mode" warnings) into the shipped file.
  resolve: { conditions: ['live-chat-source', 'module', 'browser', 'production'] },
  plugins: [minifyCssTemplates(), squeezeTemplates(), hashedCopies()],
  build: {
    target: 'es2022',
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: false,
    copyPublicDir: false,
    reportCompressedSize: false,
    minify: 'terser',
    terserOptions: { module: true, ecma: 2020, compress: { passes: 2 }, format: { comments: false } },
    rollupOptions: {
      // The host tools (widget/host-tools/, a dynamic import() for hosts and moderators only)
      // become `host-tools.<8 hex>.js` next to the bundle; see hashedCopies for the hashed URL.
      output: { chunkFileNames: '[name].[hash].js', hashCharacters: 'hex' },
      // Lib mode keeps the entry's exports exactly ('strict'), which would move all shared code
      // to a third file behind a re-exporting entry; allowing extra (minified) exports keeps it
      // in live-chat.js, which the host-tools chunk imports.
      preserveEntrySignatures: 'allow-extension',
    },
    lib: {
      entry: fileURLToPath(new URL('./live-chat.ts', import.meta.url)),
      formats: ['es'],
      fileName: () => 'live-chat.js',
    },
  },
});

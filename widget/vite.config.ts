/**
 * Builds the widget: one ES module, `widget/dist/live-chat.js`, with everything included (Lit,
 * @lit/context, nanostores, socket.io-client and our code), minified, for a plain
 * `<script type="module">` on any site. The unbundled ESM build with declarations comes from
 * `tsc -b tsconfig.build.json`.
 *
 * Vite's library mode leaves whitespace in ES output (to keep pure annotations for the
 * consumer's tree shaking); this file is the end product, so a last step minifies it fully.
 * Lit `css` templates are squeezed too: esbuild does not touch template literals.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { defaultClientConditions, defineConfig, transformWithEsbuild, type Plugin } from 'vite';

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
 * The widget connects with WebSocket only (see widget/transport/socket-transport.ts), so
 * engine.io-client's other transports (long-polling over XHR, WebTransport) are dead code
 * that its transport table keeps alive: swap the table for one with WebSocket alone.
 * Saves about 1.5 KB min+gzip.
 */
function websocketOnly(): Plugin {
  const id = '\0live-chat:websocket-only';
  let websocketPath = '';
  return {
    name: 'live-chat:websocket-only',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source !== './transports/index.js' || !importer || !/engine\.io-client[\\/]build[\\/]esm[\\/]socket\.js$/.test(importer)) return null;
      websocketPath = new URL('./transports/websocket.js', pathToFileURL(importer)).pathname;
      return id;
    },
    load(loaded) {
      if (loaded !== id) return null;
      return `import { WS } from ${JSON.stringify(websocketPath)}; export const transports = { websocket: WS };`;
    },
  };
}

/**
 * The widget codes Socket.IO packets with its JSON-only parser (widget/transport/json-parser.ts,
 * passed as socket.io-client's `parser` option); the default one stays reachable through the
 * manager's fallback, so point `socket.io-parser` at ours. Saves about 1.2 KB min+gzip.
 */
function jsonOnlyParser(): Plugin {
  const parser = fileURLToPath(new URL('./transport/json-parser.ts', import.meta.url));
  return {
    name: 'live-chat:json-only-parser',
    enforce: 'pre',
    resolveId: (source) => (source === 'socket.io-parser' ? parser : null),
  };
}

/** Minifies the finished chunk, whitespace included (see above). */
function minifyChunk(): Plugin {
  return {
    name: 'live-chat:minify-chunk',
    apply: 'build',
    enforce: 'post',
    async generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue;
        const out = await transformWithEsbuild(chunk.code, chunk.fileName, { minify: true, format: 'esm', target: 'es2022', legalComments: 'none' });
        // Minified code keeps a raw newline only inside template literals: our html`…`
        // templates, where a newline and its indentation render as one space (or nothing
        // between tags). Squeeze them.
        chunk.code = out.code.replace(/>\n\s*</g, '><').replace(/\n\s*/g, ' ');
      }
    },
  };
}

export default defineConfig({
  define: { 'process.env.NODE_ENV': '"production"' },
  // live-chat-protocol's sources, not its dist/, so the bundle needs no protocol build first.
  resolve: { conditions: ['live-chat-source', ...defaultClientConditions] },
  plugins: [minifyCssTemplates(), websocketOnly(), jsonOnlyParser(), minifyChunk()],
  build: {
    target: 'es2022',
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: false,
    copyPublicDir: false,
    reportCompressedSize: false,
    rollupOptions: {
      // engine.io-client's long-polling module probes XMLHttpRequest at load time; with
      // WebSocket only nothing uses it, so its top-level code may go too.
      treeshake: { moduleSideEffects: (id) => !/engine\.io-client[\\/].*polling/.test(id) },
    },
    lib: {
      entry: fileURLToPath(new URL('./live-chat.ts', import.meta.url)),
      formats: ['es'],
      fileName: () => 'live-chat.js',
    },
  },
});

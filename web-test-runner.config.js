// @web/test-runner: the widget tests (test/widget/**/*.test.ts) in Debian's Chromium.
// Never downloads a browser: CHROMIUM_PATH or /usr/bin/chromium (TOOLCHAIN.md).
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { chatServerPlugin } from './test/widget/chat-server.plugin.js';

const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export default {
  // *.node.test.ts run under node:test (scripts/test.js), not in the browser.
  files: ['test/widget/**/*.test.ts', '!test/widget/**/*.node.test.ts'],
  // live-chat-source: live-chat-protocol from its TypeScript sources (no build needed first).
  nodeResolve: { browser: true, exportConditions: ['browser', 'live-chat-source'] },
  // esbuild compiles TypeScript with the repo's compiler options (experimentalDecorators,
  // useDefineForClassFields: false) for the browser. The plugin passes the file's text as
  // esbuild's tsconfigRaw, which does not follow `extends`: name tsconfig.base.json itself
  // (with tsconfig.json, class fields shadowed Lit's accessors and property changes did not update).
  // chatServerPlugin: the real server/cli.ts on another origin, for socket-transport.test.ts.
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.base.json' }), chatServerPlugin()],
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: {
        executablePath,
        args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      },
    }),
  ],
  concurrency: 1,
  testFramework: { config: { timeout: 10000 } },
  // nanostores reads process.env.NODE_ENV, which a browser has not got.
  testRunnerHtml: (testFramework) => `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <script>globalThis.process = { env: { NODE_ENV: 'development' } };</script>
  </head>
  <body>
    <script type="module" src="${testFramework}"></script>
  </body>
</html>`,
};

/**
 * Config of `npm run analyze` (@custom-elements-manifest/analyzer 0.11), which runs in `widget/`
 * (`cd widget && cem analyze --config ../custom-elements-manifest.config.mjs`): reads the
 * widget's JSDoc (`@summary @attr @prop @fires @slot @csspart @cssproperty`) and writes
 * `widget/custom-elements.json`, with module paths relative to the `live-chat` package
 * (`live-chat.ts`, `components/lc-message.ts`), as a consumer of the package sees them. That
 * file is committed, listed in widget/package.json (`"customElements"` and
 * `exports["./custom-elements.json"]`) and feeds Storybook's autodocs.
 *
 * Only what ships is analysed: the build output and tests are left out (the fake transport and
 * fixtures live in test/support, outside the package).
 * `test/storybook/manifest.test.ts` regenerates the manifest with this config and fails when the
 * committed file is stale, so run `npm run analyze` after changing a public API or its JSDoc.
 */
/**
 * The widget registers its tags through `define(tag, Class)` (widget/components/base-element.ts:
 * it warns instead of throwing when a page loads the script twice), which the analyzer does not
 * know as it knows `customElements.define`. This plugin records each such call as the same
 * `custom-element-definition` export, so every element gets its `tagName` in the manifest.
 */
function defineHelperPlugin() {
  return {
    name: 'live-chat: define(tag, Class) calls',
    analyzePhase({ ts, node, moduleDoc }) {
      if (!ts.isCallExpression(node) || !ts.isIdentifier(node.expression) || node.expression.text !== 'define') return;
      const [tag, klass] = node.arguments;
      if (!tag || !klass || !ts.isStringLiteral(tag) || !ts.isIdentifier(klass)) return;
      moduleDoc.exports = [
        ...(moduleDoc.exports ?? []),
        {
          kind: 'custom-element-definition',
          name: tag.text,
          declaration: { name: klass.text, module: moduleDoc.path },
        },
      ];
    },
  };
}

/**
 * The analyzer lists modules in the order the file system returns them, which differs between
 * checkouts; sorting by path makes `custom-elements.json` the same on every machine.
 */
function sortModulesPlugin() {
  return {
    name: 'live-chat: modules in path order',
    packageLinkPhase({ customElementsManifest }) {
      customElementsManifest.modules.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    },
  };
}

export default {
  globs: ['**/*.ts'],
  exclude: [
    'dist/**',
    'node_modules/**',
    'vite.config.ts',
    '**/*.test.ts',
    '**/*.d.ts',
    // CSS and SVG text, not API: kept out so a style change does not make the manifest stale.
    '**/*.styles.ts',
    'components/icons.ts',
  ],
  outdir: '.',
  litelement: true,
  // package.json already carries "customElements"; never let the analyzer rewrite it.
  packagejson: false,
  dev: false,
  plugins: [defineHelperPlugin(), sortModulesPlugin()],
};

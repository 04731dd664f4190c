/**
 * Config of `npm run analyze` (@custom-elements-manifest/analyzer 0.11): reads the widget's
 * JSDoc (`@summary @attr @prop @fires @slot @csspart @cssproperty`) and writes
 * `custom-elements.json` at the repo root. That file is committed, listed in package.json
 * (`"customElements"` and `exports["./custom-elements.json"]`) and feeds Storybook's autodocs.
 *
 * Only what ships is analysed: fixtures, fake transports and tests are left out.
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
  globs: ['widget/**/*.ts'],
  exclude: [
    'widget/**/*.test.ts',
    'widget/**/*.d.ts',
    'widget/fixtures.ts',
    'widget/**/fixtures/**',
    'widget/**/fixtures.ts',
    'widget/**/fake-*.ts',
    'widget/**/*-fake.ts',
    'widget/**/fake/**',
    // CSS and SVG text, not API: kept out so a style change does not make the manifest stale.
    'widget/**/*.styles.ts',
    'widget/components/icons.ts',
  ],
  outdir: 'widget',
  litelement: true,
  // package.json already carries "customElements"; never let the analyzer rewrite it.
  packagejson: false,
  dev: false,
  plugins: [defineHelperPlugin(), sortModulesPlugin()],
};

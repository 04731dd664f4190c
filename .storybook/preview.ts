/**
 * Storybook preview: feeds autodocs from the committed custom-elements manifest, so every
 * attribute, property, event, slot, `--lc-*` custom property and `part` documented in the
 * widget's JSDoc shows up with its description on each element's Docs page.
 *
 * Regenerate the manifest with `npm run analyze` after changing the widget's public API.
 */
import { setCustomElementsManifest, type Preview } from '@storybook/web-components-vite';
import manifest from '../widget/custom-elements.json';
import { DocsPage } from './docs-page.ts';

setCustomElementsManifest(manifest);

/** Manifest members that are not API: private fields (`#connection`) and internals (`stores`, `actions`). */
const INTERNAL = /^(#|_)|^(stores|actions|localeStore)$/;
/** Rows that document rather than configure: no "Set object" control for them. */
const DOCUMENTED_ONLY = /^(events|css parts|css custom properties|css shadow parts|slots)$/i;

const preview: Preview = {
  tags: ['autodocs'],
  // The args table (issue 10, item 12): hide what is not public API, and keep events, parts,
  // custom properties and slots as documentation without a control.
  argTypesEnhancers: [
    (context) =>
      Object.fromEntries(
        Object.entries(context.argTypes).map(([name, argType]) => {
          if (INTERNAL.test(name)) return [name, { ...argType, table: { ...argType.table, disable: true }, control: false }];
          if (DOCUMENTED_ONLY.test(String(argType.table?.category ?? ''))) return [name, { ...argType, control: false }];
          return [name, argType];
        }),
      ),
  ],
  parameters: {
    layout: 'padded',
    controls: { expanded: true, sort: 'requiredFirst' },
    docs: { toc: true, page: DocsPage },
  },
};

export default preview;

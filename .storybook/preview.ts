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

const preview: Preview = {
  tags: ['autodocs'],
  parameters: {
    layout: 'padded',
    controls: { expanded: true, sort: 'requiredFirst' },
    docs: { toc: true, page: DocsPage },
  },
};

export default preview;

/**
 * Storybook for `<live-chat>` and its inner `lc-*` elements (issue 4, "Storybook").
 *
 * Stories live in `stories/*.stories.ts`, one file per element. They need no server: each story
 * hands the element a `FakeTransport` loaded with fixture data (`widget/fixtures.ts`).
 * Autodocs pages are built from `custom-elements.json` (see `preview.ts`), which
 * `npm run analyze` regenerates from the widget's JSDoc.
 *
 * Telemetry is off here and in the npm scripts (`STORYBOOK_DISABLE_TELEMETRY=1`), so
 * `storybook build` works offline.
 */
import type { StorybookConfig } from '@storybook/web-components-vite';

const config: StorybookConfig = {
  framework: {
    name: '@storybook/web-components-vite',
    options: { builder: { viteConfigPath: '.storybook/vite.config.ts' } },
  },
  stories: ['../stories/**/*.stories.ts'],
  addons: ['@storybook/addon-docs'],
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  docs: { defaultName: 'Docs' },
  async viteFinal(viteConfig) {
    // Storybook's own docs renderer is ~1 MB; that is not what we ship, so do not warn about it.
    viteConfig.build = { ...viteConfig.build, chunkSizeWarningLimit: 4096 };
    return viteConfig;
  },
};

export default config;

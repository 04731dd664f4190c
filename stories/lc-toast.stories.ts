/**
 * `<lc-toast>` alone: the level-up toast ("Level 5!"). A toast goes after 4 s; here it comes
 * back, so there is time to look at it.
 */
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import '../widget/components/lc-toast.ts';
import { busyRoom } from '../test/support/fixtures.ts';
import { createLocale } from '../widget/i18n/locale.ts';
import { html, storesFrom, surface, type SurfaceArgs } from './support.ts';

interface ToastArgs extends SurfaceArgs {
  /** The level reached. */
  level: number;
}

const toast = (args: ToastArgs) => {
  const stores = storesFrom(busyRoom(), { lang: args.lang });
  const text = createLocale(args.lang ?? 'en').t.levelUp(args.level);
  let id = 1;
  stores.ui.$toast.set({ id, text });
  // Show it again when it goes, so a designer can look at it for as long as needed.
  stores.ui.$toast.listen((shown) => {
    if (!shown) setTimeout(() => stores.ui.$toast.set({ id: ++id, text }), 600);
  });
  return surface({ ...args, height: 160 }, html`<lc-toast .stores=${stores}></lc-toast>`);
};

const meta = {
  title: 'Elements/lc-toast',
  component: 'lc-toast',
  args: { theme: 'light', lang: 'en', width: 420, level: 5 },
  argTypes: {
    theme: { control: 'inline-radio', options: ['light', 'dark'] },
    lang: { control: 'inline-radio', options: ['en', 'sv', 'ar'] },
    width: { control: { type: 'range', min: 280, max: 1000, step: 10 } },
    level: { control: { type: 'number', min: 2, max: 99 } },
  },
  render: (args) => toast(args),
} satisfies Meta<ToastArgs>;
export default meta;
type Story = StoryObj<ToastArgs>;

/** "Level 5!". */
export const LevelUp: Story = {};

/** Dark theme. */
export const Dark: Story = { args: { theme: 'dark' } };

/** Swedish: "Nivå 5!". */
export const Swedish: Story = { args: { lang: 'sv' } };

/** 280 px and a two-digit level. */
export const Narrow280: Story = { args: { width: 280, level: 42 } };

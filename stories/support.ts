/**
 * What every story file shares: a `<live-chat>` on a `FakeTransport` (no server), a themed
 * surface for a lone inner element fed by stores filled from the same fixtures, and small
 * helpers for `play` functions that reach into shadow roots.
 *
 * Stories are deterministic enough for `test/storybook/stories.test.ts`: fixture data is
 * seeded and times are relative to page load. A fake needs no disposal: when Storybook
 * removes a story, `<live-chat>` disconnects its transport, and a disconnected fake pushes
 * nothing (see {@link simulateWhileShown} for simulated chatter).
 */
import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { styleMap } from 'lit/directives/style-map.js';
import { tokens } from '../widget/components/shared.styles.ts';
import { busyRoom } from '../test/support/fixtures.ts';
import '../widget/live-chat.ts';
import type { LiveChat } from '../widget/live-chat.ts';
import { createChatStores, type ChatStores } from '../widget/state/chat-stores.ts';
import { createLocale } from '../widget/i18n/locale.ts';
import { FakeTransport, type FakeTransportOptions } from '../test/support/fake-transport.ts';

// A lone inner element reads the `--lc-*` tokens from the page, as it would from <live-chat>.
if (tokens.styleSheet && !document.adoptedStyleSheets.includes(tokens.styleSheet)) {
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, tokens.styleSheet];
}

/**
 * The room most stories show: the busy room of the fixtures (12.3K viewers, a leaderboard),
 * joined with its last 40 messages, which fill any frame. The "busy chat" stories load more.
 */
export const room = (extra: FakeTransportOptions = {}): FakeTransportOptions => busyRoom({ limits: { historyLimit: 40 }, ...extra });

/**
 * Freezes the slide of leaderboard rows (the Web Animations the element starts on its rows)
 * half way, in `root`; CSS animations (glow, "+1") run on. Resolves once something was frozen.
 */
export async function freezeSlideHalfWay(root: ShadowRoot): Promise<void> {
  const slides = () => root.getAnimations().filter((a) => !(a instanceof CSSAnimation) && a.playState === 'running');
  await until(() => slides().length > 0, 'the slide to start');
  for (const animation of slides()) {
    const end = Number(animation.effect?.getComputedTiming().endTime);
    animation.pause();
    animation.currentTime = end / 2;
  }
}

/** Args of every `<live-chat>` story: the element's attributes plus the frame around it. */
export interface ChatArgs {
  /** `theme` attribute. */
  theme?: 'light' | 'dark' | 'auto';
  /** `lang` attribute (`en`, `sv`, `ar`…). */
  lang?: string;
  /** `dir` attribute; by default from `lang`. */
  dir?: 'ltr' | 'rtl';
  /** `hide-leaderboard` attribute. */
  hideLeaderboard?: boolean;
  /** Width of the container, in px (the element fits its container). */
  width?: number;
  /** Height of the container, in px (the element takes its height from the page). */
  height?: number;
}

/** The args (and controls) all `<live-chat>` stories start from. */
export const chatArgs: Required<Omit<ChatArgs, 'dir'>> = {
  theme: 'light',
  lang: 'en',
  hideLeaderboard: false,
  width: 720,
  height: 560,
};

/** Storybook `argTypes` for {@link ChatArgs}. */
export const chatArgTypes = {
  theme: { control: 'inline-radio', options: ['light', 'dark', 'auto'] },
  lang: { control: 'inline-radio', options: ['en', 'sv', 'ar'] },
  dir: { control: 'inline-radio', options: [undefined, 'ltr', 'rtl'] },
  hideLeaderboard: { control: 'boolean' },
  width: { control: { type: 'range', min: 280, max: 1200, step: 10 } },
  height: { control: { type: 'range', min: 320, max: 900, step: 10 } },
} as const;

/** A page background that suits the theme, so a dark chat is not judged on white. */
export function pageBackground(theme: ChatArgs['theme']): string {
  return theme === 'dark' ? '#0b0c0f' : '#eef0f4';
}

/**
 * Renders `<live-chat>` on a new {@link FakeTransport} built from `fixture`, inside a frame of
 * `width` × `height` px. `setup` may drive the fake before the element connects (e.g. queue a
 * failure); `light` is light-DOM content of the element (e.g. a `slot="sign-in"` button);
 * `className` its `class` (e.g. the `brand` of docs/theming.md).
 */
export function renderChat(
  args: ChatArgs,
  fixture: FakeTransportOptions = room(),
  { setup, light, className }: { setup?: (fake: FakeTransport) => void; light?: TemplateResult; className?: string } = {},
): TemplateResult {
  const fake = new FakeTransport(fixture);
  setup?.(fake);
  const frame = {
    width: `${args.width ?? chatArgs.width}px`,
    maxWidth: '100%',
    height: `${args.height ?? chatArgs.height}px`,
  };
  return html`<div style=${styleMap({ padding: '16px', background: pageBackground(args.theme) })}>
    <div style=${styleMap(frame)}>
      <live-chat
        class=${ifDefined(className)}
        .transport=${fake}
        room=${fake.room.id}
        theme=${args.theme ?? 'light'}
        lang=${args.lang ?? 'en'}
        dir=${ifDefined(args.dir)}
        ?hide-leaderboard=${args.hideLeaderboard}
        >${light ?? nothing}</live-chat
      >
    </div>
  </div>`;
}

/** The `<live-chat>` of a story and the fake behind it. */
export function chatIn(canvas: HTMLElement): { el: LiveChat; fake: FakeTransport } {
  const el = canvas.querySelector('live-chat');
  if (!el) throw new Error('story: no <live-chat> in the canvas');
  return { el, fake: el.transport as FakeTransport };
}

/** Resolves once `check()` is true (polled every frame); rejects after `timeoutMs` ms. */
export async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const start = performance.now();
  while (!check()) {
    if (performance.now() - start > timeoutMs) throw new Error(`story: timed out waiting for ${what}`);
    await new Promise((r) => requestAnimationFrame(r));
  }
}

/**
 * Resolves once `<live-chat>` has joined its room (connection status `online`) and its message
 * list has rendered what the join brought (the list renders once per animation frame).
 */
export async function joined(el: LiveChat): Promise<void> {
  await until(() => el.stores.connection.$connection.get().status === 'online', 'the room join');
  await el.updateComplete;
  await el.renderRoot.querySelector('lc-message-list')?.updateComplete;
}

/**
 * The first element matching `selectors` in turn, each one looked up in the previous match's
 * shadow root: `deep(el, 'lc-composer', 'input')`. Throws with the path when one is missing.
 */
export function deep<E extends Element = HTMLElement>(from: Element, ...selectors: string[]): E {
  let node: Element = from;
  for (const selector of selectors) {
    const next = (node.shadowRoot ?? node).querySelector(selector);
    if (!next) throw new Error(`story: nothing matches ${selectors.join(' → ')} (stuck at "${selector}")`);
    node = next;
  }
  return node as E;
}

/**
 * Simulated chatter (`FakeTransport.simulate`) that stops when the story goes away: the
 * element disconnects its transport then, and the fake reports `closed`.
 */
export function simulateWhileShown(fake: FakeTransport, ...args: Parameters<FakeTransport['simulate']>): void {
  const stop = fake.simulate(...args);
  const off = fake.onStatus((status) => {
    if (status === 'closed') {
      stop();
      off();
    }
  });
}

/** Sleeps `ms` milliseconds (for a story that shows something mid-way). */
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/* ---------------------------------------------------------------- lone inner elements */

/**
 * Stores filled from a fixture as `<live-chat>` would fill them after a join: room, session,
 * messages, me, leaderboard, stats, connection `online`. For stories of one inner element.
 */
export function storesFrom(fixture: FakeTransportOptions = room(), { lang = 'en', dir }: { lang?: string; dir?: string } = {}): ChatStores {
  const fake = new FakeTransport(fixture);
  const stores = createChatStores();
  stores.$locale.set(createLocale(lang, dir));
  stores.room.$room.set(fake.room);
  stores.room.$session.set(fake.session);
  stores.messages.reset(fake.messages.slice(-fake.limits.historyLimit));
  stores.me.$me.set(fake.me);
  stores.leaderboard.$leaderboard.set(fake.leaderboard);
  stores.stats.$stats.set(fake.stats);
  stores.connection.$connection.set({ status: 'online', error: null });
  return stores;
}

/** Args of a lone inner element's story: theme, language and the surface's size. */
export interface SurfaceArgs {
  theme?: 'light' | 'dark';
  lang?: string;
  width?: number;
  height?: number;
}

/**
 * A themed surface for a lone inner element: the `--lc-*` tokens (adopted on the page),
 * the theme's `color-scheme`, background, text colour and font, `lang` and `dir` as
 * `<live-chat>` would set them, and an optional fixed height (for lists).
 */
export function surface(args: SurfaceArgs, content: TemplateResult): TemplateResult {
  const locale = createLocale(args.lang ?? 'en');
  const style = {
    colorScheme: args.theme ?? 'light',
    width: args.width ? `${args.width}px` : '100%',
    maxWidth: '100%',
    height: args.height ? `${args.height}px` : undefined,
    display: args.height ? 'flex' : 'block',
    flexDirection: 'column',
    overflow: 'hidden',
    position: 'relative',
    border: '1px solid var(--lc-color-border)',
    borderRadius: 'var(--lc-radius)',
    background: 'var(--lc-color-bg)',
    color: 'var(--lc-color-text)',
    font: 'var(--lc-font-size) / 1.45 var(--lc-font)',
  };
  return html`<div style=${styleMap({ padding: '16px', background: pageBackground(args.theme) })}>
    <div lang=${locale.lang} dir=${locale.dir} style=${styleMap(style)}>${content}</div>
  </div>`;
}

/** `nothing` re-exported, so story files import lit helpers from one place. */
export { html, nothing };

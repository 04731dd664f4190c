import { css } from 'lit';

/**
 * The design tokens: every `--lc-*` custom property and its default, in light and dark
 * (`light-dark()`, chosen by the `color-scheme` that `<live-chat theme>` sets). A page
 * overrides any of them on the element: `live-chat { --lc-color-accent: #0a7; }`.
 * Matches `:root` too, so a story can adopt it for a lone inner element.
 * Colour pairs meet WCAG AA (4.5:1 for text) in both themes.
 */
export const tokens = css`
  :host,
  :root {
    --lc-font: ui-sans-serif, system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif;
    --lc-font-size: 14px;
    --lc-radius: 14px;
    --lc-radius-small: 9px;
    --lc-space: 14px;
    --lc-shadow: 0 1px 2px rgb(16 18 24 / 0.06), 0 8px 28px rgb(16 18 24 / 0.1);
    --lc-color-bg: light-dark(#fff, #16181d);
    --lc-color-surface: light-dark(#f4f5f7, #20232a);
    --lc-color-hover: light-dark(#f7f7fa, #1c1f25);
    --lc-color-border: light-dark(#e3e5e9, #2e323b);
    --lc-color-text: light-dark(#16181d, #eceef2);
    --lc-color-muted: light-dark(#5d6472, #a3aab8);
    --lc-color-accent: light-dark(#5b45e0, #9d8cff);
    --lc-color-on-accent: light-dark(#fff, #16181d);
    --lc-color-like: light-dark(#c21f4b, #ff7a9c);
    --lc-color-live: #d0242f;
    --lc-color-success: light-dark(#1a7f4b, #3dd68c);
    --lc-color-danger: light-dark(#c4321f, #ff8a7a);
    --lc-color-warning-bg: light-dark(#fff4d6, #3a2f10);
    --lc-color-warning-text: light-dark(#6b4a00, #ffd98a);
    --lc-badge-host-color: #c81e3a;
    --lc-badge-host-text-color: #fff;
    --lc-badge-winner-color: #f0b429;
    --lc-badge-winner-text-color: #3d2c00;
    --lc-badge-moderator-color: #1f7a4d;
    --lc-badge-moderator-text-color: #fff;
    --lc-coin-color: #f5b301;
    --lc-coin-chip-bg: light-dark(#fff3cc, #3d3010);
    --lc-coin-chip-text-color: light-dark(#7a4a00, #ffd66b);
    --lc-toast-bg: linear-gradient(135deg, #5b45e0, #a32fd0);
    --lc-toast-text-color: #fff;
  }
`;

/**
 * What every inner element shares: box sizing, the focus ring, bare buttons, icons, the gold
 * coin, visually hidden text, and no animation for `prefers-reduced-motion: reduce`.
 */
export const base = css`
  * {
    box-sizing: border-box;
  }
  :focus-visible {
    outline: 2px solid var(--lc-color-accent);
    outline-offset: 2px;
  }
  button {
    padding: 0;
    border: 0;
    background: none;
    color: inherit;
    font: inherit;
    cursor: pointer;
  }
  svg {
    width: 16px;
    height: 16px;
    fill: currentColor;
  }
  .gold {
    width: 14px;
    height: 14px;
    border-radius: 50%;
    background: radial-gradient(circle at 35% 30%, #ffeaa0, var(--lc-coin-color) 55%, #c98a00);
    box-shadow: inset 0 0 0 1.5px #d99a00;
  }
  .sr {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  @media (prefers-reduced-motion: reduce) {
    * {
      animation: none !important;
    }
  }
`;

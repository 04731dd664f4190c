import { css } from 'lit';

export const styles = css`
  /* The host is the row: avatar | meta, quote, text, reactions | toolbar. */
  :host {
    display: grid;
    grid-template-columns: auto minmax(0, 1fr) auto;
    gap: 0 10px;
    padding: 6px var(--lc-space);
  }
  :host(:hover) {
    background: var(--lc-color-hover);
  }
  /*
   * Busy rooms: a message out of view skips style, layout and paint (of 200, about 12 show);
   * its last size is kept. Not while focus is inside, where the moderation menu can open over
   * the next message (paint containment would clip it).
   */
  :host(:not(:focus-within)) {
    content-visibility: auto;
    contain-intrinsic-size: auto 52px;
  }
  .avatar {
    grid-row: 1 / span 4;
    align-self: start;
  }
  .meta,
  .quote,
  .text,
  .reactions {
    grid-column: 2;
  }
  .tools {
    grid-column: 3;
    grid-row: 1 / span 4;
  }
  .meta {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 2px 6px;
    line-height: 18px;
  }
  .author {
    max-width: 100%;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    font-weight: 650;
  }
  .badge {
    padding: 0 6px;
    border-radius: var(--lc-radius-small);
    font-size: 10px;
    font-weight: 750;
    letter-spacing: 0.04em;
    line-height: 16px;
  }
  .host {
    background: var(--lc-badge-host-color);
    color: var(--lc-badge-host-text-color);
  }
  .winner {
    background: var(--lc-badge-winner-color);
    color: var(--lc-badge-winner-text-color);
  }
  .moderator {
    background: var(--lc-badge-moderator-color);
    color: var(--lc-badge-moderator-text-color);
  }
  .time {
    color: var(--lc-color-muted);
    font-size: 12px;
  }
  .coin {
    display: flex;
    align-items: center;
    gap: 4px;
    /* "+1" reads +1 in right-to-left pages too (the sign is a neutral character). */
    direction: ltr;
    padding: 0 7px 0 2px;
    border-radius: var(--lc-radius-small);
    background: var(--lc-coin-chip-bg);
    color: var(--lc-coin-chip-text-color);
    font-size: 11px;
    font-weight: 750;
  }
  .text {
    margin: 0;
    overflow-wrap: anywhere;
    white-space: pre-wrap;
  }
  .text a {
    color: inherit;
    text-decoration: underline;
  }
  .like {
    align-self: center;
    display: flex;
    align-items: center;
    gap: 4px;
    min-height: 28px;
    padding: 0 8px;
    border-radius: 14px;
    color: var(--lc-color-muted);
    font-size: 12px;
  }
  .like:hover,
  .like[aria-pressed='true'] {
    color: var(--lc-color-like);
  }
  /* The heart: the icon's 24×24 path, drawn by CSS (no svg element per message), shown 14 px. */
  .like::before {
    content: '';
    width: 24px;
    height: 24px;
    margin: -5px;
    scale: calc(14 / 24);
    background: currentColor;
    clip-path: path('M12 21s-7.5-4.6-10-9.3C.3 8.3 2.4 4 6.4 4c2.3 0 3.9 1.3 5.6 3.3C13.7 5.3 15.3 4 17.6 4c4 0 6.1 4.3 4.4 7.7C19.5 16.4 12 21 12 21z');
  }
  .tool {
    align-self: center;
    min-width: 28px;
    min-height: 28px;
    border-radius: 14px;
    color: var(--lc-color-muted);
    opacity: 0;
  }
  :host(:hover) .tool,
  :host(:focus-within) .tool {
    opacity: 1;
  }
  :host([part~='mention']) {
    background: var(--lc-color-hover);
    box-shadow: inset 3px 0 var(--lc-color-accent);
  }
  .tools {
    display: flex;
    align-self: center;
  }
  .quote {
    display: block;
    max-width: 100%;
    margin: 2px 0;
    padding: 0 8px;
    overflow: hidden;
    border-inline-start: 3px solid var(--lc-color-border);
    color: var(--lc-color-muted);
    font-size: 12px;
    text-align: start;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .reactions {
    display: flex;
    flex-wrap: wrap;
    gap: 4px;
    margin-top: 2px;
  }
  .reactions button {
    min-height: 24px;
    padding: 0 6px;
    border: 1px solid var(--lc-color-border);
    border-radius: 12px;
    font-size: 12px;
  }
  .reactions [aria-pressed='true'] {
    border-color: var(--lc-color-accent);
  }
  :host([data-pending]) .text {
    color: var(--lc-color-muted);
    font-style: italic;
  }
  :host([data-deleted]) .text {
    font-style: italic;
    color: var(--lc-color-muted);
  }
`;

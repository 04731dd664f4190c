import { css } from 'lit';

/**
 * A row of the message list (`message-row.ts`), in the list's shadow root. The row is one
 * wrapping flex line: name, badges, time, coin; then the quote, the text and the reactions
 * each on a line of their own. The avatar sits in the start padding and the toolbar in the
 * end padding, both absolutely placed, so no wrapper element is needed.
 */
export const styles = css`
  .msg {
    position: relative;
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0 6px;
    min-height: 44px;
    padding-block: 6px;
    padding-inline: calc(var(--lc-space) + var(--lc-avatar-size, 32px) + 10px) calc(var(--lc-space) + 60px);
  }
  .msg:hover {
    background: var(--lc-color-hover);
  }
  /*
   * Busy rooms: a message out of view skips style, layout and paint (of 200, about 12 show);
   * its last size is kept. Not while focus is inside, where the moderation menu can open over
   * the next message (paint containment would clip it).
   */
  .msg:not(:focus-within) {
    content-visibility: auto;
    contain-intrinsic-size: auto 52px;
  }
  .msg[part~='mention'] {
    background: var(--lc-color-hover);
    box-shadow: inset 3px 0 var(--lc-color-accent);
  }
  .msg > .avatar {
    position: absolute;
    inset-inline-start: var(--lc-space);
    top: 6px;
  }
  .author,
  .time,
  .coin {
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
  .quote,
  .text,
  .reactions {
    flex: 0 0 100%;
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
  /* The toolbar: the like in every row, the shared tools of the active row before it. */
  .tools {
    position: absolute;
    inset-block: 0;
    inset-inline-end: var(--lc-space);
    display: flex;
    align-items: center;
  }
  /* Over the end of the name line (mostly empty), beside the like: it covers little of the text. */
  .bar {
    position: absolute;
    top: 3px;
    inset-inline-end: calc(100% + 2px);
    display: flex;
    border: 1px solid var(--lc-color-border);
    border-radius: 15px;
    background: var(--lc-color-bg);
    box-shadow: var(--lc-shadow);
  }
  .like {
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
  /* The heart: a text glyph (no svg, no clip path: nothing per message for paint to keep apart). */
  .like::before {
    content: '\\2665\\fe0e';
    font-size: 15px;
  }
  .tool {
    min-width: 28px;
    min-height: 26px;
    border-radius: 13px;
    color: var(--lc-color-muted);
  }
  .tool:hover,
  .tool[aria-expanded='true'] {
    color: var(--lc-color-text);
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
  .msg[data-pending] .text,
  .msg[data-deleted] .text {
    color: var(--lc-color-muted);
    font-style: italic;
  }
`;

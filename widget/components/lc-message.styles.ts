import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
  }
  .row {
    display: grid;
    grid-template-columns: auto minmax(0, 1fr) auto;
    gap: 0 10px;
    padding: 6px var(--lc-space);
  }
  .row:hover {
    background: var(--lc-color-hover);
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
  .like svg {
    width: 14px;
  }
  .tool {
    align-self: center;
    min-width: 28px;
    min-height: 28px;
    border-radius: 14px;
    color: var(--lc-color-muted);
    opacity: 0;
  }
  .row:hover .tool,
  .row:focus-within .tool {
    opacity: 1;
  }
  :host([part~='mention']) .row {
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
  .pending .text {
    color: var(--lc-color-muted);
    font-style: italic;
  }
  .deleted .text {
    font-style: italic;
    color: var(--lc-color-muted);
  }
`;

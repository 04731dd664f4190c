import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
    padding: 10px var(--lc-space) 8px;
    border-top: 1px solid var(--lc-color-border);
  }
  form,
  .field,
  .foot,
  .xp {
    display: flex;
    align-items: center;
    gap: 8px;
  }
  .field {
    position: relative;
    flex: 1;
    min-width: 0;
    height: 40px;
    padding: 0 14px;
    border: 1px solid var(--lc-color-border);
    border-radius: 20px;
    background: var(--lc-color-surface);
  }
  .field:focus-within {
    outline: 2px solid var(--lc-color-accent);
  }
  input:focus-visible {
    outline: none;
  }
  input {
    flex: 1;
    min-width: 0;
    height: 100%;
    border: 0;
    outline: 0;
    background: none;
    color: inherit;
    font: inherit;
  }
  input::placeholder,
  .count,
  .foot {
    color: var(--lc-color-muted);
    font-size: 12px;
  }
  .mentions {
    position: absolute;
    bottom: 100%;
    inset-inline-start: 0;
    z-index: 3;
    min-width: 180px;
    margin: 0 0 4px;
    padding: 4px;
    list-style: none;
    border: 1px solid var(--lc-color-border);
    border-radius: var(--lc-radius-small);
    background: var(--lc-color-bg);
    box-shadow: var(--lc-shadow);
  }
  .mentions[hidden] {
    display: none;
  }
  .mentions li {
    padding: 4px 8px;
    border-radius: 6px;
    cursor: pointer;
  }
  .mentions [aria-selected='true'] {
    background: var(--lc-color-hover);
  }
  .reply {
    display: flex;
    align-items: center;
    justify-content: space-between;
    margin: 0 0 4px;
    color: var(--lc-color-muted);
    font-size: 12px;
  }
  .reply span {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .reply svg {
    width: 14px;
    fill: currentColor;
  }
  input::placeholder {
    font-size: var(--lc-font-size);
  }
  .over,
  .error {
    color: var(--lc-color-danger);
    font-weight: 700;
  }
  .round {
    display: grid;
    place-items: center;
    width: 40px;
    height: 40px;
    border-radius: 50%;
  }
  .round svg {
    width: 18px;
    height: 18px;
  }
  .round:disabled {
    opacity: 0.45;
  }
  .heart {
    background: var(--lc-color-surface);
    color: var(--lc-color-like);
  }
  .send {
    background: var(--lc-color-accent);
    color: var(--lc-color-on-accent);
  }
  :host(:dir(rtl)) .send svg {
    transform: scaleX(-1);
  }
  .foot {
    flex-wrap: wrap;
    gap: 4px 12px;
    margin-top: 6px;
    line-height: 18px;
  }
  .status {
    flex: 1 1 12em;
    margin: 0;
    unicode-bidi: plaintext;
  }
  .xp {
    gap: 6px;
    margin-inline-start: auto;
  }
  .level {
    padding: 0 6px;
    border-radius: var(--lc-radius-small);
    background: var(--lc-color-surface);
    color: var(--lc-color-text);
    font-weight: 700;
  }
  progress {
    width: 56px;
    height: 6px;
    border: 0;
    border-radius: 3px;
    overflow: hidden;
    appearance: none;
  }
  progress,
  ::-webkit-progress-bar {
    background: var(--lc-color-border);
  }
  ::-webkit-progress-value {
    background: var(--lc-color-accent);
  }
  ::-moz-progress-bar {
    background: var(--lc-color-accent);
  }
`;

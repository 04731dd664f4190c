import { css } from 'lit';

export const styles = css`
  :host {
    position: relative;
    display: flex;
    flex-direction: column;
    min-height: 0;
  }
  .log {
    flex: 1;
    overflow-y: auto;
    overscroll-behavior: contain;
    padding: 6px 0;
  }
  .empty {
    margin: 0;
    padding: 48px 24px;
    color: var(--lc-color-muted);
    text-align: center;
  }
  .hidden-notice {
    display: flex;
    gap: 8px;
    align-items: center;
    margin: 0;
    padding: 4px 12px;
    border-top: 1px solid var(--lc-color-border);
    color: var(--lc-color-muted);
    font-size: 12px;
  }
  .hidden-notice button {
    color: var(--lc-color-text);
    font-weight: 650;
    text-decoration: underline;
  }
  .pill {
    position: absolute;
    bottom: 10px;
    left: 50%;
    transform: translateX(-50%);
    display: flex;
    align-items: center;
    gap: 6px;
    padding: 6px 14px;
    border-radius: 16px;
    background: var(--lc-color-accent);
    color: var(--lc-color-on-accent);
    font-weight: 650;
    white-space: nowrap;
    box-shadow: var(--lc-shadow);
  }
`;

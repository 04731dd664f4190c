import { css } from 'lit';

export const styles = css`
  .bar {
    display: flex;
    align-items: center;
    gap: 10px;
    min-height: 52px;
    padding: 8px var(--lc-space);
    border-bottom: 1px solid var(--lc-color-border);
  }
  .live {
    display: flex;
    align-items: center;
    gap: 6px;
    padding: 3px 8px;
    border-radius: var(--lc-radius-small);
    background: var(--lc-color-surface);
    color: var(--lc-color-muted);
    font-size: 11px;
    font-weight: 750;
    letter-spacing: 0.06em;
    text-transform: uppercase;
  }
  .live i {
    width: 7px;
    height: 7px;
    border-radius: 50%;
    background: currentColor;
  }
  .on {
    background: var(--lc-color-live);
    color: #fff;
  }
  .title {
    flex: 1;
    min-width: 0;
    margin: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    font-size: 15px;
  }
  .stat,
  .stat span {
    display: flex;
    align-items: center;
    gap: 4px;
    color: var(--lc-color-muted);
    font-size: 13px;
    font-weight: 600;
  }
  .toggle {
    display: grid;
    place-items: center;
    width: 32px;
    height: 32px;
    border-radius: 50%;
    color: var(--lc-color-muted);
  }
  .toggle:hover,
  .toggle[aria-expanded='true'] {
    background: var(--lc-color-surface);
    color: var(--lc-color-text);
  }
  @container (min-width: 600px) {
    .toggle {
      display: none;
    }
  }
  @container (max-width: 360px) {
    .label {
      display: none;
    }
    .live {
      padding: 6px;
    }
  }
`;

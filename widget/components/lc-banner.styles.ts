import { css } from 'lit';

export const styles = css`
  .banner {
    display: flex;
    align-items: center;
    gap: 8px;
    padding: 8px var(--lc-space);
    background: var(--lc-color-warning-bg);
    color: var(--lc-color-warning-text);
    font-size: 13px;
    font-weight: 600;
  }
  .error {
    background: none;
    color: var(--lc-color-danger);
  }
  .spin {
    width: 12px;
    height: 12px;
    border: 2px solid;
    border-top-color: transparent;
    border-radius: 50%;
    animation: spin 1s linear infinite;
  }
  @keyframes spin {
    to {
      transform: rotate(1turn);
    }
  }
`;

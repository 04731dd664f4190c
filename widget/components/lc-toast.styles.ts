import { css } from 'lit';

export const styles = css`
  :host {
    position: absolute;
    inset: auto 0 100px;
    z-index: 5;
    display: flex;
    justify-content: center;
    pointer-events: none;
  }
  .toast {
    display: flex;
    gap: 8px;
    padding: 10px 18px;
    border-radius: 24px;
    background: var(--lc-toast-bg);
    color: var(--lc-toast-text-color);
    font-size: 15px;
    font-weight: 750;
    box-shadow: var(--lc-shadow);
    animation: pop 0.5s;
  }
  @keyframes pop {
    from {
      opacity: 0;
      transform: scale(0.8);
    }
  }
`;

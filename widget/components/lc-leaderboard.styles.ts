import { css } from 'lit';

export const styles = css`
  :host {
    display: flex;
    flex-direction: column;
    --lc-avatar-size: 28px;
  }
  section {
    flex: 1;
    min-height: 0;
    overflow-y: auto;
    outline-offset: -2px;
  }
  .head {
    display: flex;
    align-items: center;
    gap: 6px;
    margin: 0;
    padding: 12px 10px 6px var(--lc-space);
    color: var(--lc-color-muted);
    font-size: 11px;
    letter-spacing: 0.07em;
    text-transform: uppercase;
  }
  .head > svg {
    color: var(--lc-coin-color);
  }
  .head span {
    flex: 1;
  }
  .close {
    display: grid;
    place-items: center;
    width: 28px;
    height: 28px;
  }
  @container (min-width: 600px) {
    .close {
      display: none;
    }
  }
  ol {
    margin: 0;
    padding: 0 6px 8px;
    list-style: none;
  }
  li {
    position: relative;
    display: grid;
    grid-template-columns: 20px auto minmax(0, 1fr) auto;
    align-items: center;
    gap: 8px;
    padding: 6px 8px;
    border-radius: 10px;
  }
  .me {
    background: color-mix(in srgb, var(--lc-color-accent) 12%, transparent);
  }
  .rank,
  .you,
  .sub {
    color: var(--lc-color-muted);
  }
  .rank {
    font-weight: 750;
    text-align: center;
  }
  .who,
  .name {
    min-width: 0;
  }
  .who {
    display: grid;
    line-height: 1.25;
  }
  .name {
    display: flex;
    gap: 4px;
    font-weight: 650;
    white-space: nowrap;
  }
  .name span {
    min-width: 0;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .you {
    flex-shrink: 0;
    font-weight: 400;
  }
  .sub {
    overflow: hidden;
    font-size: 12px;
    white-space: nowrap;
    text-overflow: ellipsis;
  }
  .up {
    color: var(--lc-color-success);
    font-size: 10px;
  }
  .coins {
    display: flex;
    align-items: center;
    gap: 5px;
    font-weight: 750;
  }
  .earned {
    animation: glow 1.4s;
  }
  @keyframes glow {
    from {
      box-shadow: 0 0 0 2px var(--lc-coin-color), 0 0 18px var(--lc-coin-color);
    }
  }
  .plus {
    position: absolute;
    inset-inline-end: 10px;
    top: -4px;
    color: var(--lc-coin-chip-text-color);
    font-size: 12px;
    font-weight: 800;
    animation: rise 1.6s forwards;
  }
  @keyframes rise {
    from {
      opacity: 0;
      transform: translateY(8px);
    }
    20% {
      opacity: 1;
    }
    to {
      opacity: 0;
      transform: translateY(-12px);
    }
  }
  .none {
    margin: 0;
    padding: 4px var(--lc-space) 14px;
    color: var(--lc-color-muted);
  }
  @media (prefers-reduced-motion: reduce) {
    .earned {
      box-shadow: inset 0 0 0 2px var(--lc-coin-color);
    }
  }
`;

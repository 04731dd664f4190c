import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
    height: 100%;
    min-width: 280px;
    min-height: 320px;
    container-type: inline-size;
  }
  :host([hidden]) {
    display: none;
  }
  .frame {
    position: relative;
    display: flex;
    flex-direction: column;
    box-sizing: border-box;
    height: 100%;
    overflow: hidden;
    border: 1px solid var(--lc-color-border);
    border-radius: var(--lc-radius);
    background: var(--lc-color-bg);
    box-shadow: var(--lc-shadow);
    color: var(--lc-color-text);
    font: var(--lc-font-size) / 1.45 var(--lc-font);
    color-scheme: light;
  }
  .dark {
    color-scheme: dark;
  }
  .auto {
    color-scheme: light dark;
  }
  .body {
    position: relative;
    display: flex;
    flex: 1;
    min-height: 0;
  }
  lc-message-list {
    flex: 1;
    min-width: 0;
  }
  lc-leaderboard {
    display: none;
    background: var(--lc-color-bg);
  }
  .panel lc-leaderboard {
    position: absolute;
    inset: 0 0 auto;
    z-index: 2;
    display: flex;
    max-height: 100%;
    box-shadow: var(--lc-shadow);
  }
  @container (min-width: 600px) {
    .side lc-leaderboard {
      position: static;
      display: flex;
      flex: 0 0 clamp(220px, 36%, 300px);
      max-height: none;
      border-inline-start: 1px solid var(--lc-color-border);
      box-shadow: none;
    }
  }
`;

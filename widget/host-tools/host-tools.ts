/**
 * The host tools: the chunk `<live-chat>` loads with a dynamic `import()` only when the joined
 * user has a `host` or `moderator` badge (widget/vite.config.ts names it
 * `host-tools.<hash>.js`), so the viewer's script carries none of it. Registers
 * `<lc-message-actions>` (the menu on each message), `<lc-mod-panel>` (room controls),
 * `<lc-mod-log>` (the moderation log, with unban) and `<lc-recap>` (a session's recap, also
 * usable on a page of its own).
 */
export { LcMessageActions, TIMEOUT_SECONDS } from './lc-message-actions.ts';
export { LcModLog, LOG_LIMIT } from './lc-mod-log.ts';
export { LcModPanel, SLOW_MODE_SECONDS } from './lc-mod-panel.ts';
export { LcRecap } from './lc-recap.ts';
export { recapChart } from './recap-chart.ts';

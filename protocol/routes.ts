/**
 * Every HTTP route the reference server registers (docs/protocol.md, "HTTP routes"), as a
 * runtime list. A test walks the Express router of `createServer` and fails when a route is
 * registered but missing here, or listed here but not registered; another fails when a route
 * here has no section in docs/protocol.md. So this list, the server and the document cannot
 * drift apart.
 *
 * Not routes, and so not listed: the Socket.IO endpoint (`/socket.io/`, handled by the HTTP
 * server before Express), the demo's other files (`express.static` over `demo/`), CORS
 * preflights (`OPTIONS` on any path) and the 404 answer of unknown paths.
 */

/** One route: an HTTP method, its path and what it is for. */
export interface HttpRoute {
  method: 'GET' | 'POST';
  /**
   * The path in Express syntax (`:name` is a path parameter), or, for a route the server
   * matches with a regular expression, a readable form with `<name>` for the variable part.
   */
  path: string;
  /** For a `<name>` path: a concrete path the server's pattern must match. */
  example?: string;
  summary: string;
}

export const HTTP_ROUTES: readonly HttpRoute[] = [
  { method: 'GET', path: '/health', summary: 'Liveness: the process answers' },
  { method: 'GET', path: '/ready', summary: 'Readiness: the ledger and the hot store answer (503 otherwise)' },
  { method: 'GET', path: '/metrics', summary: 'Prometheus metrics (text format; Bearer METRICS_TOKEN when set)' },
  { method: 'GET', path: '/api/rooms', summary: 'The rooms the caller may see' },
  { method: 'POST', path: '/api/rooms', summary: 'Create a room (hosts)' },
  { method: 'GET', path: '/api/rooms/:roomId', summary: 'One room' },
  { method: 'GET', path: '/api/rooms/:roomId/messages', summary: 'Older history of a room, oldest first' },
  { method: 'GET', path: '/api/rooms/:roomId/leaderboard', summary: 'A session leaderboard of a room' },
  { method: 'GET', path: '/api/rooms/:roomId/moderation', summary: "The room's moderation log, newest first (hosts and moderators)" },
  { method: 'GET', path: '/api/rooms/:roomId/sessions/:sessionId/recap', summary: 'The recap of one session of a room' },
  { method: 'GET', path: '/api/users/:userId/xp', summary: "A user's XP, level and coin balance" },
  { method: 'POST', path: '/api/xp/events', summary: 'Outside XP events, server to server (X-Api-Key)' },
  { method: 'POST', path: '/api/dev/token', summary: 'Mint a development token (DEV_TOKENS)' },
  { method: 'GET', path: '/live-chat.js', summary: 'The widget bundle (revalidated on every use)' },
  {
    method: 'GET',
    path: '/live-chat.<hash>.js',
    example: '/live-chat.0123abcd.js',
    summary: 'The widget bundle of the current build, cached for a year',
  },
  {
    method: 'GET',
    path: '/<chunk>.js',
    example: '/host-tools.js',
    summary: "A lazy chunk of the widget (the host tools) under its stable name, revalidated on every use",
  },
  {
    method: 'GET',
    path: '/<chunk>.<hash>.js',
    example: '/host-tools.0123abcd.js',
    summary: 'A lazy chunk of the current build under its hashed name, cached for a year',
  },
  { method: 'GET', path: '/', summary: 'The demo page (SERVE_DEMO)' },
];

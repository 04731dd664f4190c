/**
 * The `/api` routes (docs/protocol.md, "HTTP routes"). Each validates with the zod schemas of live-chat-protocol/schemas,
 * calls a service and answers JSON; refusals go to the error handler as AppErrors
 * (`{@link errorHandler}` in `http/errors.ts`).
 *
 * | route | answer | refusals |
 * | --- | --- | --- |
 * | `GET /api/rooms` | `{ rooms }` visible to the caller | |
 * | `POST /api/rooms` | 201 `{ room }` | 401, 403 (not a host), 400, 409 (id taken) |
 * | `GET /api/rooms/:roomId` | `{ room }` | 404, 403 (private) |
 * | `GET /api/rooms/:roomId/messages?beforeSeq=&limit=` | `{ messages }` oldest first, limit ≤ 200 (default 50) | 400, 403, 404 |
 * | `GET /api/rooms/:roomId/leaderboard?sessionId=` | `{ sessionId, entries }` (current session; null/[] before the first) | 403, 404 |
 * | `GET /api/rooms/:roomId/moderation?limit=&before=` | `{ entries }` newest first, limit ≤ 200 (default 50), `before` an entry id | 401, 403 (not host or moderator), 400, 404 |
 * | `GET /api/rooms/:roomId/sessions/:sessionId/recap` | `SessionRecap` | 403 (private), 404 (room or session) |
 * | `GET /api/users/:userId/xp` | `UserProgress` (`{ userId, totalXp, level, dailyXp, coinBalance, … }`) | 404 (malformed id) |
 * | `POST /api/xp/events` | `{ acceptedIds, duplicateIds }` | 404 (no `XP_API_KEY` configured), 401 (missing/wrong `X-Api-Key`), 400 (whole batch refused) |
 * | `POST /api/dev/token` | `{ token, userId }` | 404 (`DEV_TOKENS=false`), 400 |
 */
import express, { Router } from 'express';
import type { Config } from '../config.ts';
import { fromZod, refuse } from '../errors.ts';
import { type LeaderboardEntry } from 'live-chat-protocol';
import {
  createRoomSchema,
  devTokenSchema,
  idSchema,
  messagesQuerySchema,
  moderationQuerySchema,
  roomIdSchema,
  xpEventsBodySchema,
} from 'live-chat-protocol/schemas';
import type { Services } from '../services/index.ts';
import { devUserId } from '../services/identity.ts';
import { identityOf, sameSecret } from './auth.ts';

/** A user or session id in a path or query: a malformed one names nothing (404). */
const pathIdSchema = idSchema(128);

/**
 * Builds the `/api` router (the table above; mount it under `/api` after {@link identify}).
 * Parses JSON bodies up to 1 MB.
 * @param config reads `leaderboardSize`, `xpApiKey` (unset: `POST /api/xp/events` is 404) and
 *   `devTokens` (false: `POST /api/dev/token` is 404).
 * @param services every route calls one of them; nothing is stored here.
 * @returns an Express router whose handlers throw AppErrors (`unauthorized`, `forbidden`,
 *   `not_found`, `invalid`, `too_long`) for {@link errorHandler} to answer.
 */
export function apiRouter(config: Config, services: Services): Router {
  const { rooms, chat, sessions, rewards, moderation, recap, identity: ids } = services;
  const router = Router();
  router.use(express.json({ limit: '1mb' }));

  const roomParam = (value: unknown) => {
    const parsed = roomIdSchema.safeParse(value);
    if (!parsed.success) throw refuse.notFound('No such room');
    return parsed.data;
  };

  router.get('/rooms', async (_req, res) => {
    const visible = await rooms.list(identityOf(res));
    res.json({ rooms: await Promise.all(visible.map((room) => rooms.wire(room))) });
  });

  router.post('/rooms', async (req, res) => {
    const identity = identityOf(res);
    if (!identity) throw refuse.unauthorized('Sign in as a host to create rooms');
    const body = createRoomSchema.safeParse(req.body);
    if (!body.success) throw fromZod(body.error, 'body');
    res.status(201).json({ room: await rooms.wire(await rooms.create(identity, body.data)) });
  });

  router.get('/rooms/:roomId', async (req, res) => {
    res.json({ room: await rooms.wire(await rooms.getVisible(identityOf(res), roomParam(req.params.roomId))) });
  });

  router.get('/rooms/:roomId/messages', async (req, res) => {
    const roomId = roomParam(req.params.roomId);
    const query = messagesQuerySchema.safeParse(req.query);
    if (!query.success) throw fromZod(query.error, 'query');
    res.json({ messages: await chat.history(identityOf(res), roomId, query.data.beforeSeq, query.data.limit) });
  });

  router.get('/rooms/:roomId/leaderboard', async (req, res) => {
    const room = await rooms.getVisible(identityOf(res), roomParam(req.params.roomId));
    const wanted = req.query.sessionId;
    if (wanted !== undefined && typeof wanted !== 'string') throw refuse.invalid('sessionId must be a string');
    if (wanted && !pathIdSchema.safeParse(wanted).success) throw refuse.notFound('No such session');
    const session = wanted ? await sessions.get(room, wanted) : await sessions.current(room);
    const entries: LeaderboardEntry[] = session ? await rewards.leaderboard(session.id, config.leaderboardSize) : [];
    res.json({ sessionId: session?.id ?? null, entries });
  });

  router.get('/rooms/:roomId/moderation', async (req, res) => {
    const roomId = roomParam(req.params.roomId);
    const query = moderationQuerySchema.safeParse(req.query);
    if (!query.success) throw fromZod(query.error, 'query');
    const before = query.data.before === undefined ? undefined : Number(query.data.before);
    res.json({ entries: await moderation.log(identityOf(res), roomId, before, query.data.limit) });
  });

  router.get('/rooms/:roomId/sessions/:sessionId/recap', async (req, res) => {
    const roomId = roomParam(req.params.roomId);
    const sessionId = req.params.sessionId;
    if (!pathIdSchema.safeParse(sessionId).success) throw refuse.notFound('No such session');
    res.json(await recap.recap(identityOf(res), roomId, sessionId));
  });

  router.get('/users/:userId/xp', async (req, res) => {
    const userId = pathIdSchema.safeParse(req.params.userId);
    if (!userId.success) throw refuse.notFound('No such user');
    res.json(await rewards.progress(userId.data));
  });

  router.post('/xp/events', async (req, res) => {
    if (!config.xpApiKey) throw refuse.notFound('XP events are not enabled on this server (set XP_API_KEY)');
    const key = req.headers['x-api-key'];
    if (typeof key !== 'string' || !sameSecret(key, config.xpApiKey)) throw refuse.unauthorized('Missing or wrong X-Api-Key');
    const body = xpEventsBodySchema.safeParse(Array.isArray(req.body) ? { events: req.body } : req.body);
    if (!body.success) throw fromZod(body.error, 'body');
    res.json(await rewards.appendXpEvents(body.data.events));
  });

  router.post('/dev/token', async (req, res) => {
    if (!config.devTokens) throw refuse.notFound('Dev tokens are disabled (DEV_TOKENS=false)');
    const body = devTokenSchema.safeParse(req.body);
    if (!body.success) throw fromZod(body.error, 'body');
    const token = await ids.mintDevToken(body.data.name, body.data.roles ?? []);
    res.json({ token, userId: devUserId(body.data.name) });
  });

  return router;
}

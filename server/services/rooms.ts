/**
 * Rooms: the default `lobby`, creation, visibility of private rooms, the chat window
 * (`opensAt` / `closesAt`) and room settings (docs/protocol.md, "HTTP routes", issue 2 "Rooms").
 * Announces `roomUpdated` when settings change.
 */
import { LRUCache } from 'lru-cache';
import { randomBytes } from 'node:crypto';
import { AppError, refuse } from '../errors.ts';
import { chatWindowState, type CreateRoomBody, type Message, type Room, type RoomUpdatePayload } from 'live-chat-protocol';
import type { RoomPatch, RoomRecord, SessionRecord } from '../stores/ledger.ts';
import { iso, type ServiceContext } from './deps.ts';
import { isStaff, type Identity } from './identity.ts';
import { slugify } from './text.ts';
import { toWireMessage } from './chat.ts';
import { recordModeration } from './moderation.ts';

/** The room every server has from its first start. */
export const DEFAULT_ROOM = { id: 'lobby', title: 'Lobby' } as const;

/** The wire form of a room, with its pinned message as the caller read it (null when none). */
export function toWireRoom(r: RoomRecord, pinned: Message | null): Room {
  return {
    id: r.id,
    title: r.title,
    private: r.private,
    opensAt: iso(r.opensAt),
    closesAt: iso(r.closesAt),
    slowModeSeconds: r.slowModeSeconds,
    createdAt: iso(r.createdAt),
    pinned,
  };
}

/**
 * Throws `chat_closed` outside the window: with `retryAfterMs` until it opens when it has not
 * opened yet, without when it has closed.
 */
export function assertWindowOpen(room: RoomRecord, now: number): void {
  const state = chatWindowState(room, now);
  if (state.open) return;
  if ('opensInMs' in state) throw refuse.chatClosed('Chat has not opened yet', state.opensInMs);
  throw refuse.chatClosed('Chat has closed');
}

const parseTime = (value: string | null | undefined): number | null | undefined =>
  value === undefined ? undefined : value === null ? null : Date.parse(value);

function checkWindow(opensAt: number | null, closesAt: number | null): void {
  if (opensAt !== null && closesAt !== null && closesAt <= opensAt) {
    throw refuse.invalid('closesAt must be after opensAt');
  }
}

function roomIdFor(title: string): string {
  return `${slugify(title) || 'room'}-${randomBytes(3).toString('hex')}`;
}

export interface RoomService {
  /** Creates `lobby` when missing. Idempotent. */
  ensureDefault(): Promise<void>;
  /** @throws `not_found` */
  get(roomId: string): Promise<RoomRecord>;
  /**
   * The room and its newest session (null before the first) in one ledger read: a join's.
   * @throws `not_found`
   */
  getWithLatestSession(roomId: string): Promise<{ room: RoomRecord; latestSession: SessionRecord | null }>;
  /** @throws `not_found`, or `forbidden` for a private room the identity may not see. */
  getVisible(identity: Identity | null, roomId: string): Promise<RoomRecord>;
  /**
   * {@link getVisible}'s checks without returning the room: a room's existence and privacy
   * never change once created, so after the first read of a room they are answered from
   * memory (no ledger read; the join path uses it before subscribing).
   * @throws `not_found`, `forbidden`
   */
  assertVisible(identity: Identity | null, roomId: string): Promise<void>;
  /**
   * {@link getVisible} for the send path, from a cache: the room as read at most
   * {@link ROOM_SETTINGS_TTL_MS} ago and not changed since (a change announced here, or by
   * another instance through {@link forget}, drops it). Its settings (privacy, window, slow
   * mode) are current; its `lastSeq` may be behind.
   * @throws `not_found`, `forbidden`
   */
  getVisibleSettings(identity: Identity | null, roomId: string): Promise<RoomRecord>;
  /** Drops the cached settings of the room (another instance changed it). */
  forget(roomId: string): void;
  /** Rooms the identity may see (anonymous HTTP callers: public rooms). */
  list(identity: Identity | null): Promise<RoomRecord[]>;
  /**
   * Creates a room. Hosts only.
   * @throws `unauthorized` (no identity / guest), `forbidden` (not a host), `invalid` (409 when
   *   the id is taken, 400 for a window that closes before it opens).
   */
  create(identity: Identity | null, body: CreateRoomBody): Promise<RoomRecord>;
  /**
   * Changes title, slow mode or window and announces `roomUpdated`.
   * @throws `forbidden` (not host or moderator), `not_found`, `invalid` (window closes before it opens)
   */
  update(identity: Identity, payload: RoomUpdatePayload): Promise<RoomRecord>;
  /**
   * The wire form of a room with its pinned message, taken from `known` (messages the caller
   * already holds, e.g. a join's history) or read from the ledger; a pinned message that is
   * gone or deleted shows as null.
   */
  wire(room: RoomRecord, known?: readonly Message[]): Promise<Room>;
}

/**
 * How long the send path may use a room's settings without reading them again, in ms: the
 * longest a change made on another instance takes to apply here when the instances cannot
 * tell each other (Redis down); with Redis it applies at once (`forget`).
 */
export const ROOM_SETTINGS_TTL_MS = 5000;
/** Rooms whose settings are kept (least recently used dropped first). */
const ROOM_SETTINGS_MAX = 10_000;

/**
 * Builds the room service over the ledger (rooms live in SQLite).
 * @param deps `ledger`, `clock` (ms, for `createdAt` and the chat window) and `events` are used.
 * @returns a {@link RoomService}; its methods reject with `not_found`, `forbidden`,
 *   `unauthorized` or `invalid` AppErrors as documented per method. Never throws when built.
 */
export function createRoomService({ ledger, clock, events }: ServiceContext): RoomService {
  const noRoom = (roomId: string) => refuse.notFound(`No room "${roomId}"`);
  const get = async (roomId: string) => {
    const room = await ledger.getRoom(roomId);
    if (!room) throw noRoom(roomId);
    return room;
  };
  /** Rooms as the send path reads them (see {@link RoomService.getVisibleSettings}). */
  const settings = new LRUCache<string, RoomRecord>({ max: ROOM_SETTINGS_MAX, ttl: ROOM_SETTINGS_TTL_MS });
  events.on('roomUpdated', ({ room }) => settings.delete(room.id));
  const visible = (identity: Identity | null, room: Pick<RoomRecord, 'id' | 'private'>) =>
    !room.private || (identity !== null && (isStaff(identity) || identity.rooms.includes(room.id)));
  /** Rooms seen to exist, with their privacy (both immutable once created). */
  const known = new Map<string, Pick<RoomRecord, 'id' | 'private'>>();

  const service: RoomService = {
    async ensureDefault() {
      await ledger.createRoom({
        ...DEFAULT_ROOM,
        private: false,
        opensAt: null,
        closesAt: null,
        slowModeSeconds: 0,
        createdAt: clock(),
      });
    },
    get,
    async getWithLatestSession(roomId) {
      const read = await ledger.getRoomWithLatestSession(roomId);
      if (!read) throw noRoom(roomId);
      return read;
    },
    async getVisible(identity, roomId) {
      const room = await get(roomId);
      if (!visible(identity, room)) throw refuse.forbidden('This room is private');
      return room;
    },
    async getVisibleSettings(identity, roomId) {
      let room = settings.get(roomId);
      if (!room) settings.set(roomId, (room = await get(roomId)));
      if (!visible(identity, room)) throw refuse.forbidden('This room is private');
      return room;
    },
    forget(roomId) {
      settings.delete(roomId);
    },
    async assertVisible(identity, roomId) {
      let room = known.get(roomId);
      if (!room) {
        const record = await get(roomId);
        room = { id: record.id, private: record.private };
        known.set(roomId, room);
      }
      if (!visible(identity, room)) throw refuse.forbidden('This room is private');
    },
    async list(identity) {
      return (await ledger.listRooms()).filter((r) => visible(identity, r));
    },
    async create(identity, body) {
      if (!identity || identity.guest) throw refuse.unauthorized('Sign in as a host to create rooms');
      if (!identity.roles.includes('host')) throw refuse.forbidden('Only hosts can create rooms');
      const opensAt = parseTime(body.opensAt) ?? null;
      const closesAt = parseTime(body.closesAt) ?? null;
      checkWindow(opensAt, closesAt);
      const id = body.id ?? roomIdFor(body.title);
      const created = await ledger.createRoom({
        id,
        title: body.title,
        private: body.private ?? false,
        opensAt,
        closesAt,
        slowModeSeconds: 0,
        createdAt: clock(),
      });
      if (!created) throw new AppError('invalid', 409, `Room id "${id}" is taken`);
      return get(id);
    },
    async update(identity, payload) {
      if (!isStaff(identity)) throw refuse.forbidden('Only hosts and moderators can change the room');
      const room = await get(payload.roomId);
      const patch: RoomPatch = {
        title: payload.title,
        slowModeSeconds: payload.slowModeSeconds,
        opensAt: parseTime(payload.opensAt),
        closesAt: parseTime(payload.closesAt),
      };
      checkWindow(patch.opensAt === undefined ? room.opensAt : patch.opensAt, patch.closesAt === undefined ? room.closesAt : patch.closesAt);
      const updated = (await ledger.updateRoom(room.id, patch)) ?? (await get(room.id));
      const wire = await service.wire(updated);
      events.announce('roomUpdated', { room: wire });
      const { roomId: _, ...changed } = payload;
      await recordModeration({ ledger, clock }, identity, room.id, 'room_update', { details: changed });
      return updated;
    },
    async wire(room, known = []) {
      const id = room.pinnedMessageId;
      if (id === null) return toWireRoom(room, null);
      const held = known.find((m) => m.id === id);
      if (held) return toWireRoom(room, held.deleted ? null : held);
      const stored = await ledger.getMessage(room.id, id);
      return toWireRoom(room, stored && !stored.deleted ? toWireMessage(stored) : null);
    },
  };
  return service;
}

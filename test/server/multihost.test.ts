/**
 * Several hosts: three instances as separate processes (`node server/bin.js`; build first with
 * `npx tsc -b server`), each with its own `DATA_DIR` (nothing shared on disk), one PostgreSQL
 * ledger (`DATABASE_URL`) and one Redis (`REDIS_URL`), both started by the test.
 * - chat crosses instances; seqs are unique and increasing for every receiver;
 * - 200 concurrent sends by one user spread over the instances earn exactly the daily cap
 *   and one coin per cooldown;
 * - `kill -9` of one instance under load loses no acked message, the others keep serving, and
 *   its clients reconnect to a survivor and replay with `sinceSeq`: nothing missing, nothing
 *   twice; its viewers stop counting (occupancy, `presence:leave`) once its heartbeats stop;
 * - a ban, a slow-mode change and an unban made on one instance apply on the others at once
 *   (their send-path caches are dropped over Redis, not left to expire);
 * - `REDIS_URL` with the SQLite ledger warns "one host only" at start-up.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import type { Message, SendAck } from 'live-chat-protocol';
import { ACK_TIMEOUT_MS, connect, devToken, heard, joinRoom, request, sendMessage, startInstance, type ChatClient, type Instance } from '../helpers/instances.ts';
import { eventually } from '../helpers/net.ts';
import { startPostgres, type PostgresFixture } from '../helpers/postgres.ts';
import { startRedis, type RedisFixture } from './redis-fixture.ts';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const send = sendMessage;
/** Sockets that joined the lobby (a test's own count of its viewers). */
const inLobby = new Set<ChatClient>();
const join = async (socket: ChatClient, roomId = 'lobby', sinceSeq?: number) => {
  const ack = await joinRoom(socket, roomId, sinceSeq);
  if (roomId === 'lobby') inLobby.add(socket);
  return ack;
};
const received = heard;

describe('three instances, one PostgreSQL, one Redis', () => {
  let postgres: PostgresFixture;
  let redis: RedisFixture;
  let databaseUrl: string;
  const dirs: string[] = [];
  const instances: Instance[] = [];
  const sockets: ChatClient[] = [];
  const env = () => {
    const dir = mkdtempSync(joinPath(tmpdir(), 'live-chat-host-'));
    dirs.push(dir);
    // Sends are rate limited per user per minute; these tests send in bursts on purpose.
    // Heartbeats every 200 ms, reaping after 2 s of silence (defaults 5 s and 30 s): short
    // for the kill -9 test, long enough that a survivor slowed by the load is not taken for dead.
    return {
      DATA_DIR: dir,
      DATABASE_URL: databaseUrl,
      REDIS_URL: redis.url,
      MESSAGES_PER_MINUTE: '100000',
      REPLAY_WINDOW: '5000',
      PRESENCE_HEARTBEAT_MS: '200',
      PRESENCE_TIMEOUT_MS: '2000',
    };
  };
  /** Who each socket is and where it is connected. */
  const placed = new Map<ChatClient, { instance: Instance; name: string }>();
  const client = async (instance: Instance, name: string, roles: string[] = []) => {
    const socket = await connect(instance, await devToken(instance, name, roles));
    sockets.push(socket);
    placed.set(socket, { instance, name });
    return socket;
  };
  /** Names of the users in the lobby with a connected socket there on `instance` (or, with `except`, on any other). */
  const lobbyUsers = (instance: Instance, except = false) =>
    new Set(
      [...inLobby]
        .filter((socket) => socket.connected && (placed.get(socket)!.instance === instance) !== except)
        .map((socket) => placed.get(socket)!.name),
    );

  before(async () => {
    [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
    databaseUrl = await postgres.createDatabase();
    // Three at once: the migrations run once, under their advisory lock.
    instances.push(...(await Promise.all(['a', 'b', 'c'].map((name) => startInstance(name, env())))));
  });
  after(async () => {
    for (const s of sockets) s.disconnect();
    await Promise.all(instances.map((i) => i.stop('SIGKILL')));
    await Promise.all([redis?.stop(), postgres?.stop()]);
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('says it is ready with PostgreSQL and Redis', async () => {
    for (const instance of instances) {
      const res = await fetch(`${instance.url}/ready`);
      assert.equal(res.status, 200);
      assert.deepEqual(((await res.json()) as { checks: unknown }).checks, { postgres: 'ok', redis: 'ok' });
      assert.doesNotMatch(instance.output(), /one host only/);
    }
  });

  it('carries chat across instances; seqs are unique and increasing for every receiver', async () => {
    const members = await Promise.all(instances.map((instance, i) => client(instance, `Crosser ${i}`)));
    const inboxes = members.map(received);
    for (const m of members) await join(m);
    const acks = await Promise.all(range(30).map((i) => send(members[i % 3]!, `cross ${i}`)));
    const sent = acks.map((a) => {
      assert.equal(a.ok, true, JSON.stringify(a));
      return (a as SendAck).message;
    });
    const seqs = sent.map((m) => m.seq);
    assert.equal(new Set(seqs).size, 30, 'no seq twice, whichever instance stored it');
    await eventually(() => {
      for (const inbox of inboxes) {
        const mine = inbox.filter((m) => m.text.startsWith('cross '));
        assert.equal(mine.length, 30, 'every receiver on every instance gets every message');
      }
    }, 10_000);
    for (const inbox of inboxes) {
      // In seq order per instance; across instances clients order by seq (docs/server.md).
      const got = inbox.filter((m) => m.text.startsWith('cross ')).map((m) => m.seq);
      assert.deepEqual([...got].sort((x, y) => x - y), [...seqs].sort((x, y) => x - y), 'each seq once');
    }
  });

  it('200 concurrent sends by one user over the three instances earn exactly the daily cap and one coin', async () => {
    const mine = await Promise.all(range(6).map((i) => client(instances[i % 3]!, 'Spread Sam')));
    for (const s of mine) await join(s);
    const acks = await Promise.all(range(200).map((i) => send(mine[i % 6]!, `spread ${i}`)));
    const rewards = acks.map((a) => {
      assert.equal(a.ok, true, JSON.stringify(a));
      return (a as SendAck).reward!;
    });
    assert.equal(rewards.reduce((s, r) => s + r.xp, 0), 50, 'exactly the daily cap (50 XP)');
    assert.equal(rewards.reduce((s, r) => s + r.coins, 0), 1, 'one coin per cooldown');
    const seqs = acks.map((a) => (a as SendAck).message.seq);
    assert.equal(new Set(seqs).size, 200);
    for (const instance of instances) {
      const progress = (await (await fetch(`${instance.url}/api/users/dev-spread-sam/xp`)).json()) as { totalXp: number; coinBalance: number };
      assert.deepEqual([progress.totalXp, progress.coinBalance], [50, 1], `${instance.name} reads the shared ledger`);
    }
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      const { rows } = await db.query<{ total_xp: string; coin_balance: string }>('SELECT total_xp, coin_balance FROM users WHERE id = $1', [
        'dev-spread-sam',
      ]);
      assert.deepEqual([Number(rows[0]!.total_xp), Number(rows[0]!.coin_balance)], [50, 1]);
    } finally {
      await db.end();
    }
  });

  it('a ban, a slow-mode change and an unban made on one instance apply on the others at once', async () => {
    const [a, b, c] = instances as [Instance, Instance, Instance];
    const host = await client(a, 'Mod Mia', ['moderator']);
    const onB = await client(b, 'Cached Cal');
    const onC = await client(c, 'Cached Cal');
    await Promise.all([join(host), join(onB), join(onC)]);
    const ok = async (socket: ChatClient, event: string, payload: object) => assert.equal((await request(socket, event, payload, ACK_TIMEOUT_MS)).ok, true);
    const code = async (socket: ChatClient) => {
      const ack = await send(socket, 'a send');
      return ack.ok ? 'ok' : ack.error.code;
    };
    // Each step: a send right before the change leaves the room's settings and Cal's
    // restrictions in that instance's cache (kept 5 s); the change is then seen within 2 s,
    // which only the instances telling each other can do (an entry cannot have expired yet).
    const applies = async (socket: ChatClient, expected: string, before: string, change: () => Promise<void>) => {
      assert.equal(await code(socket), before);
      await change();
      await eventually(async () => assert.equal(await code(socket), expected), 2000);
    };
    await applies(onB, 'banned', 'ok', () => ok(host, 'mod:ban', { roomId: 'lobby', userId: 'dev-cached-cal' }));
    await eventually(async () => assert.equal(await code(onC), 'banned'), 2000);
    await applies(onB, 'ok', 'banned', () => ok(host, 'mod:unban', { roomId: 'lobby', userId: 'dev-cached-cal' }));
    await applies(onC, 'slow_mode', 'ok', () => ok(host, 'room:update', { roomId: 'lobby', slowModeSeconds: 60 }));
    await ok(host, 'room:update', { roomId: 'lobby', slowModeSeconds: 0 });
  });

  it('kill -9 of one instance under load: no acked message lost, the others keep serving, its clients replay on a survivor', async () => {
    const [a, b, c] = instances as [Instance, Instance, Instance];
    // A watcher on the instance that dies, and one sender per instance sending one after another.
    const watcher = await client(c, 'Watcher Wes');
    const watched = received(watcher);
    const start = await join(watcher);
    const senders = await Promise.all([a, b, c].map((instance, i) => client(instance, `Loader ${i}`)));
    for (const s of senders) await join(s);

    // A viewer on a survivor counts the room: the users the killed instance alone had must
    // stop counting once its heartbeats stop, and be announced as gone.
    const counter = await client(a, 'Counter Cal');
    const viewers: number[] = [];
    const gone: string[] = [];
    counter.on('room:stats', (stats) => stats.roomId === 'lobby' && viewers.push(stats.viewers));
    counter.on('presence:leave', ({ users }) => gone.push(...users.map((u) => u.name)));
    const before = (await join(counter)).stats.viewers;

    const acked: Message[] = [];
    const failures: string[] = [];
    let stop = false;
    const ackedBy: number[][] = senders.map(() => []);
    const loops = senders.map(async (s, i) => {
      for (let n = 0; !stop; n++) {
        try {
          const ack = await send(s, `load ${i}.${n}`);
          if (ack.ok) {
            acked.push((ack as SendAck).message);
            ackedBy[i]!.push((ack as SendAck).message.seq);
          }
          else failures.push(`${i}: ${ack.error.code}`);
        } catch {
          // No ack (the instance died or the socket closed): unknown, not acked.
          if (s.disconnected) return;
        }
      }
    });

    await eventually(() => assert.ok(acked.length >= 60, `${acked.length} acked so far`), 20_000);
    const elsewhere = lobbyUsers(c, true);
    const onlyOnC = [...lobbyUsers(c)].filter((name) => !elsewhere.has(name)).sort();
    assert.ok(onlyOnC.includes('Watcher Wes') && onlyOnC.includes('Loader 2'), onlyOnC.join(', '));
    await c.stop('SIGKILL');
    const ackedAtKill = acked.length;
    await eventually(() => assert.equal(viewers.at(-1), before - onlyOnC.length, `viewers ${viewers.slice(-5).join(', ')}`), 10_000);
    await eventually(() => assert.deepEqual([...new Set(gone)].sort(), onlyOnC, 'announced as gone: the users who were on c alone'));
    // Reaped once, by one survivor, and counted there.
    const reaped = async (instance: Instance) => {
      const text = await (await fetch(`${instance.url}/metrics`)).text();
      return Number(/^live_chat_presence_reaped_total (\d+)$/m.exec(text)?.[1]);
    };
    assert.equal((await reaped(a)) + (await reaped(b)), onlyOnC.length, 'live_chat_presence_reaped_total over the survivors');
    // The survivors keep serving: their senders keep getting acks.
    await eventually(() => assert.ok(acked.length >= ackedAtKill + 60, `${acked.length - ackedAtKill} acked after the kill`), 20_000);
    stop = true;
    await Promise.all(loops);
    assert.deepEqual(failures, [], 'no refusal on the survivors');
    for (const seqs of ackedBy) assert.deepEqual(seqs, [...seqs].sort((x, y) => x - y), 'one sender’s seqs increase');
    assert.ok(senders[2]!.disconnected, 'the killed instance’s sender lost its connection');

    // Every acked message is in the shared ledger, once.
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    let lastSeq: number;
    try {
      const { rows } = await db.query<{ id: string; seq: string }>("SELECT id, seq FROM messages WHERE room_id = 'lobby'");
      const stored = new Map(rows.map((r) => [r.id, Number(r.seq)]));
      for (const m of acked) assert.equal(stored.get(m.id), m.seq, `acked ${m.id} (seq ${m.seq}) is stored`);
      lastSeq = Math.max(...stored.values());
      const seqs = [...stored.values()].sort((x, y) => x - y);
      assert.equal(new Set(seqs).size, seqs.length, 'seqs unique');
    } finally {
      await db.end();
    }

    // The watcher reconnects to a survivor and replays from the newest seq it holds.
    await eventually(() => assert.ok(watcher.disconnected));
    // It resumes after the newest seq it holds with nothing missing before it (live messages
    // come in seq order per instance, not across instances, so a later one may have come first).
    const heldSet = new Set([...start.messages.map((m) => m.seq), ...watched.map((m) => m.seq)]);
    let since = start.messages.at(-1)?.seq ?? 0;
    while (heldSet.has(since + 1)) since++;
    const back = await client(a, 'Watcher Wes');
    const replay = await join(back, 'lobby', since);
    assert.equal(replay.gap, false);
    assert.ok(watched.length > 0, 'the watcher heard the load before the kill');
    assert.ok(since < lastSeq, 'and missed some while it was away');
    const replayed = replay.messages.map((m) => m.seq).filter((seq) => seq <= lastSeq);
    assert.deepEqual(replayed, range(lastSeq - since).map((i) => since + 1 + i), 'the replay: everything after since, in order, once');
    const first = start.messages[0]?.seq ?? 1;
    const union = new Set([...heldSet, ...replayed]);
    assert.deepEqual(
      range(lastSeq - first + 1).filter((i) => !union.has(first + i)),
      [],
      'from its first message to the newest, nothing missing',
    );

    // And the survivors still chat with each other.
    const onB = await client(b, 'After Ann');
    await join(onB);
    const heard = new Promise<Message>((resolve) => back.on('message:new', (m) => m.text === 'after the crash' && resolve(m)));
    assert.equal((await send(onB, 'after the crash')).ok, true);
    assert.equal((await heard).seq, lastSeq + 1);
  });
});

describe('REDIS_URL with the SQLite ledger', () => {
  it('warns "one host only" at start-up', async () => {
    const redis = await startRedis();
    const dir = mkdtempSync(joinPath(tmpdir(), 'live-chat-host-'));
    try {
      const instance = await startInstance('sqlite-redis', { DATA_DIR: dir, REDIS_URL: redis.url });
      await instance.stop();
      const warning = instance
        .output()
        .split('\n')
        .find((l) => l.includes('one host only'));
      assert.ok(warning, instance.output());
      assert.equal((JSON.parse(warning) as { level: number }).level, 40, 'logged at warn');
      assert.match(warning, /DATABASE_URL/);
    } finally {
      await redis.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

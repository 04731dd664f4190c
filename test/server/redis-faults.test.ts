/**
 * Redis faults, with a real redis-server stopped and started on the same port, and instances
 * as separate processes (`node server/bin.js`; build first with `npx tsc -b server`) over one
 * PostgreSQL ledger:
 * - an instance started while Redis is down serves its own clients (hot state in its memory),
 *   says so on `/ready` (503, `redis: down`, `postgres: ok`), and joins the others when Redis
 *   returns (the Socket.IO adapter subscribes again: broadcasts cross both ways);
 * - a Redis restart mid-event: each instance keeps serving its own clients and counts all of
 *   its own viewers meanwhile, broadcasts across instances resume when Redis is back, a client
 *   on the other instance replays what it missed with `sinceSeq` (nothing missing, nothing
 *   twice), and the room's occupancy counts every viewer again (each instance puts its sockets
 *   back into the new Redis).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Message, SendAck } from 'live-chat-protocol';
import { connect, devToken, heard, joinRoom, readiness, sendMessage, startInstance, type ChatClient, type Instance } from '../helpers/instances.ts';
import { eventually, freePort } from '../helpers/net.ts';
import { startPostgres, type PostgresFixture } from '../helpers/postgres.ts';
import { startRedis, type RedisFixture } from './redis-fixture.ts';

const send = async (socket: ChatClient, text: string): Promise<Message> => {
  const ack = await sendMessage(socket, text);
  assert.equal(ack.ok, true, JSON.stringify(ack).slice(0, 300));
  return (ack as SendAck).message;
};
const join = (socket: ChatClient, sinceSeq?: number) => joinRoom(socket, 'lobby', sinceSeq);
const inbox = heard;

describe('Redis faults', () => {
  let postgres: PostgresFixture;
  let redis: RedisFixture | null = null;
  let redisPort: number;
  let databaseUrl: string;
  const dirs: string[] = [];
  const instances: Instance[] = [];
  const sockets: ChatClient[] = [];
  const start = async (name: string) => {
    const dir = mkdtempSync(joinPath(tmpdir(), 'live-chat-fault-'));
    dirs.push(dir);
    const instance = await startInstance(name, {
      DATA_DIR: dir,
      DATABASE_URL: databaseUrl,
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      MESSAGES_PER_MINUTE: '100000',
      PRESENCE_HEARTBEAT_MS: '200',
      PRESENCE_TIMEOUT_MS: '1000',
    });
    instances.push(instance);
    return instance;
  };
  const placed = new Map<ChatClient, { name: string; instance: Instance }>();
  const client = async (instance: Instance, name: string) => {
    const socket = await connect(instance, await devToken(instance, name));
    sockets.push(socket);
    placed.set(socket, { name, instance });
    return socket;
  };
  /** Distinct users with a connected socket (on `instance` only, when given; every socket here joins the lobby). */
  const connectedUsers = (instance?: Instance) =>
    new Set(sockets.filter((s) => s.connected && (!instance || placed.get(s)!.instance === instance)).map((s) => placed.get(s)!.name)).size;
  /** The lobby's occupancy as a new viewer on `instance` sees it: its join ack, then each `room:stats`. */
  const countFrom = async (instance: Instance, name: string) => {
    const counter = await client(instance, name);
    const counted: number[] = [];
    counter.on('room:stats', (stats) => counted.push(stats.viewers));
    counted.push((await join(counter)).stats.viewers);
    return counted;
  };

  let x: Instance;
  let y: Instance;
  before(async () => {
    postgres = await startPostgres();
    databaseUrl = await postgres.createDatabase();
    redisPort = await freePort();
  });
  after(async () => {
    for (const s of sockets) s.disconnect();
    await Promise.all(instances.map((i) => i.stop('SIGKILL')));
    await redis?.stop();
    await postgres?.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('an instance started while Redis is down serves its own clients, says so on /ready, and joins the others when Redis returns', async () => {
    x = await start('x'); // nothing listens on the Redis port yet
    assert.deepEqual(await readiness(x), { status: 503, checks: { postgres: 'ok', redis: 'down' } });

    const [ann, bob] = [await client(x, 'Early Ann'), await client(x, 'Early Bob')];
    const bobHears = inbox(bob);
    await join(ann);
    await join(bob);
    const early = await send(ann, 'while redis is down');
    await eventually(() => assert.ok(bobHears.some((m) => m.id === early.id), 'its own clients chat'));

    redis = await startRedis(redisPort);
    y = await start('y');
    await eventually(async () => assert.deepEqual(await readiness(x), { status: 200, checks: { postgres: 'ok', redis: 'ok' } }), 15_000);

    const cy = await client(y, 'Late Cy');
    const cyHears = inbox(cy);
    await join(cy);
    const fromY = await send(cy, 'from y');
    await eventually(() => assert.ok(bobHears.some((m) => m.id === fromY.id), 'x hears y: its adapter subscribed again'), 10_000);
    const fromX = await send(ann, 'from x');
    await eventually(() => assert.ok(cyHears.some((m) => m.id === fromX.id), 'y hears x'), 10_000);
    // The log says what happened: x subscribed again once Redis came, y just started.
    assert.match(x.output(), /redis adapter subscribing again/);
    assert.doesNotMatch(y.output(), /redis adapter subscribing again/);
  });

  it('a Redis restart mid-event: each side keeps serving, broadcasts resume, the other side replays what it missed', async () => {
    const sender = await client(x, 'Steady Sue');
    const local = await client(x, 'Local Lou');
    const remote = await client(y, 'Remote Rae');
    const localHears = inbox(local);
    const remoteHears = inbox(remote);
    for (const s of [sender, local, remote]) await join(s);
    const before = await send(sender, 'before the restart');
    await eventually(() => assert.ok(remoteHears.some((m) => m.id === before.id)));

    await redis!.stop();
    const during: Message[] = [];
    for (let i = 0; i < 5; i++) during.push(await send(sender, `during ${i}`));
    await eventually(() => assert.ok(during.every((d) => localHears.some((m) => m.id === d.id)), 'x’s own clients still hear x'));
    assert.deepEqual(await readiness(x).then((r) => r.checks.redis), 'down');
    // Meanwhile x counts its own viewers, all of them (its memory was given its sockets as it
    // switched), not only those who joined during an outage.
    const alone = await countFrom(x, 'Counter Xia');
    await eventually(() => assert.equal(alone.at(-1), connectedUsers(x), `viewers ${alone.join(', ')}`), 10_000);

    redis = await startRedis(redisPort);
    await eventually(async () => {
      for (const instance of [x, y]) assert.equal((await readiness(instance)).status, 200, instance.name);
    }, 15_000);
    // The new Redis holds no presence: each instance puts its sockets back, so the room counts
    // everyone again, not only who joined since.
    const counted = await countFrom(y, 'Counter Cy');
    await eventually(() => assert.equal(counted.at(-1), connectedUsers(), `viewers ${counted.join(', ')}`), 10_000);

    const resumed = await send(sender, 'after the restart');
    await eventually(() => assert.ok(remoteHears.some((m) => m.id === resumed.id), 'broadcasts across instances resume'), 10_000);
    assert.match(y.output(), /redis adapter subscribing again/, 'y logs its subscriptions made again');

    // The remote client usually sees a hole before `resumed` and replays after the newest seq
    // it holds with nothing missing before it. When Redis came back within ioredis's retries,
    // the adapter's queued publishes reached it late and it holds them all: it replays from
    // before the outage then, so the replay is checked either way.
    const held = new Set(remoteHears.map((m) => m.seq));
    let since = before.seq;
    while (held.has(since + 1)) since++;
    if (since >= resumed.seq - 1) since = before.seq;
    const again = await client(y, 'Remote Rae');
    const replay = await join(again, since);
    assert.equal(replay.gap, false);
    assert.deepEqual(
      replay.messages.map((m) => m.seq).filter((s) => s <= resumed.seq),
      Array.from({ length: resumed.seq - since }, (_, i) => since + 1 + i),
      'everything after since, in order, once: with what it held, nothing missing',
    );
    assert.ok(during.every((d) => replay.messages.some((m) => m.id === d.id && m.text === d.text)));
  });
});

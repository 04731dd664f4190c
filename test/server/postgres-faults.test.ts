/**
 * PostgreSQL faults, with a real PostgreSQL halted and restarted on the same port and data
 * (`test/helpers/postgres.ts`) and the server as a separate process (`node server/bin.js`;
 * build first with `npx tsc -b server`), as docs/server.md ("Failure behaviour") says they go:
 * - PostgreSQL stopped mid-event, under a stream of sends and with a burst's transaction under
 *   way (its dropped connection once stopped the process: an unheard 'error' of a checked-out
 *   node-postgres client, `server/stores/postgres/pool.ts`): every send answers, stored or
 *   refused `internal`; meanwhile sends answer `internal`, `/ready` answers 503 with
 *   `postgres: down`, and the instance keeps running with its sockets connected. Once
 *   PostgreSQL is back, `/ready` answers 200 by itself, a retry with the same `clientId` stores
 *   a refused send once and answers an acked one with the message it stored, seqs run on
 *   without a gap or a repeat, viewers hear each message once, and the economy counts each
 *   stored message once (totals = the awards acked);
 * - an instance that cannot reach PostgreSQL when it starts exits 1 naming `DATABASE_URL`.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Message, SendAck } from 'live-chat-protocol';
import {
  ACK_TIMEOUT_MS,
  connect,
  devToken,
  heard,
  joinRoom,
  readiness,
  request,
  runInstance,
  startInstance,
  type ChatClient,
  type Instance,
} from '../helpers/instances.ts';
import { tempDir } from './helpers.ts';
import { eventually, freePort } from '../helpers/net.ts';
import { startPostgres, type PostgresFixture } from '../helpers/postgres.ts';

type Ack = ({ ok: true } & SendAck) | { ok: false; error: { code: string; message?: string } };

describe('PostgreSQL faults', () => {
  let postgres: PostgresFixture;
  const dirs: string[] = [];
  const instances: Instance[] = [];
  const sockets: ChatClient[] = [];
  const dataDir = () => {
    const dir = tempDir();
    dirs.push(dir);
    return dir;
  };

  before(async () => {
    postgres = await startPostgres();
  });
  after(async () => {
    for (const s of sockets) s.disconnect();
    await Promise.all(instances.map((i) => i.stop('SIGKILL')));
    await postgres?.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('stopped mid-event: each send stored or refused `internal`, /ready says so, and once it is back retries store once and nothing is counted twice', async () => {
    const instance = await startInstance('pg-fault', {
      DATA_DIR: dataDir(),
      DATABASE_URL: await postgres.createDatabase(),
      MESSAGES_PER_MINUTE: '100000',
    });
    instances.push(instance);
    const client = async (name: string) => {
      const socket = await connect(instance, await devToken(instance, name));
      sockets.push(socket);
      return socket;
    };
    const ann = await client('Outage Ann');
    const viewer = await client('Outage Viewer');
    const viewerHears = heard(viewer);
    await joinRoom(ann);
    await joinRoom(viewer);
    const textOf = (clientId: string) => `message ${clientId}`;
    const send = (clientId: string): Promise<Ack> =>
      request(ann, 'message:send', { roomId: 'lobby', clientId, text: textOf(clientId) }, ACK_TIMEOUT_MS);
    /** clientId → the ack that stored it (its message and award). */
    const stored = new Map<string, SendAck>();
    const record = (clientId: string, ack: Ack) => {
      if (ack.ok && !stored.has(clientId)) stored.set(clientId, ack);
    };

    const first = await send('before-the-outage');
    assert.equal(first.ok, true, JSON.stringify(first));
    record('before-the-outage', first);

    // Three senders in a closed loop (a pause of 20 ms between sends); once 15 messages are
    // stored, a burst of 10 more at once and PostgreSQL stops, a transaction under way. Every
    // send answers, stored or refused `internal`; each loop ends at its first refusal.
    const streamed: string[] = [];
    let outage: Promise<Ack[]> | null = null;
    const sendAll = (clientIds: string[]) => {
      streamed.push(...clientIds);
      return Promise.all(
        clientIds.map(async (clientId) => {
          const ack = await send(clientId);
          assert.ok(ack.ok || ack.error.code === 'internal', `${clientId}: ${JSON.stringify(ack).slice(0, 300)}`);
          record(clientId, ack);
          return ack;
        }),
      );
    };
    const stream = async (loop: number) => {
      for (let i = 0; ; i++) {
        const [ack] = await sendAll([`stream-${loop}-message-${i}`]);
        if (!ack!.ok) return;
        if (stored.size >= 15 && !outage) {
          const burst = sendAll(Array.from({ length: 10 }, (_, j) => `burst-message-${j}`));
          outage = postgres.halt().then(() => burst);
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    await Promise.all([0, 1, 2].map(stream));
    await outage;
    assert.ok(stored.size >= 15, 'sends stored before the outage');
    assert.ok(streamed.filter((id) => !stored.has(id)).length >= 3, 'each loop stopped at a refusal');

    // While it is down: refused `internal`, /ready names it, the process and its sockets stay.
    const during = await send('during-the-outage');
    assert.equal(during.ok, false, JSON.stringify(during).slice(0, 300));
    assert.equal((during as { error: { code: string } }).error.code, 'internal');
    assert.deepEqual(await readiness(instance), { status: 503, checks: { postgres: 'down', memory: 'ok' } });
    assert.equal(instance.child.exitCode, null, 'the instance keeps running');
    assert.ok(ann.connected && viewer.connected, 'its sockets stay connected');

    await postgres.restart();
    await eventually(async () => assert.deepEqual(await readiness(instance), { status: 200, checks: { postgres: 'ok', memory: 'ok' } }), 15_000);

    // Retry every send, as a client does with what it has no ack for (and one that lost an ack
    // would with the rest): the same clientId stores once, and an acked one answers its message.
    const all = ['before-the-outage', ...streamed, 'during-the-outage'];
    for (const clientId of all) {
      const ack = await send(clientId);
      assert.equal(ack.ok, true, `${clientId} after the restart: ${JSON.stringify(ack).slice(0, 300)}`);
      const earlier = stored.get(clientId);
      if (earlier) assert.deepEqual([ack.message.id, ack.message.seq], [earlier.message.id, earlier.message.seq], `${clientId} is stored once`);
      record(clientId, ack);
    }
    assert.equal(stored.size, all.length);

    // History: each message once, under its own clientId, seqs one after another from the first.
    const late = await client('Outage Late');
    const history = await joinRoom(late, 'lobby', first.message.seq - 1);
    const anns = history.messages.filter((m) => stored.has(m.clientId));
    assert.deepEqual(anns.map((m) => m.clientId).sort(), [...all].sort());
    assert.deepEqual(
      anns.map((m) => m.seq),
      anns.map((_, i) => first.message.seq + i),
      'seqs run on without a gap or a repeat',
    );
    for (const m of anns) assert.equal(m.id, stored.get(m.clientId)!.message.id);

    // The viewer heard each stored message once.
    await eventually(() => assert.equal(viewerHears.filter((m) => stored.has(m.clientId ?? '')).length, all.length));
    assert.equal(new Set(viewerHears.map((m: Message) => m.id)).size, viewerHears.length, 'no message heard twice');

    // The economy: Ann's totals are the awards her stored messages were acked with, once each.
    const awards = [...stored.values()].map((a) => a.reward);
    const progress = (await joinRoom(ann)).me.progress!;
    assert.equal(progress.totalXp, awards.reduce((sum, r) => sum + (r?.xp ?? 0), 0));
    assert.equal(progress.totalXp, Math.min(all.length, progress.dailyXpCap), 'one XP a message up to the daily cap');
    assert.equal(progress.coinBalance, awards.reduce((sum, r) => sum + (r?.coins ?? 0), 0));
  });

  it('an instance that cannot reach PostgreSQL when it starts exits 1 naming DATABASE_URL', async () => {
    const nobody = await freePort();
    const run = runInstance({ DATA_DIR: dataDir(), DATABASE_URL: `postgres://postgres@127.0.0.1:${nobody}/live_chat` });
    const code = await run.closed;
    const output = run.output();
    assert.equal(code, 1, output);
    assert.match(output, /PostgreSQL ledger \(DATABASE_URL\): /);
    assert.doesNotMatch(output, /"msg":"listening"/);
  });
});

/**
 * Group commit (issue 8): chat messages that arrive together are stored in one ledger
 * transaction, still acked only after their commit, announced per room in seq order, with
 * exact awards; a failing batch stores nothing and answers `internal` to all of it.
 *
 * First the committer alone over a ledger the test controls (when batches form and settle),
 * then a real server over a real SQLite file.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createGroupCommitter, type GroupCommitOptions } from '../../server/services/group-commit.ts';
import type { AppendChatMessageInput, AppendChatMessageResult, Ledger } from '../../server/stores/ledger.ts';
import { clientId, collect, eventually, ok, refused, send, startServer, type TestServer } from './helpers.ts';

/** A ledger whose batches the test settles by hand; results echo the inputs. */
function controlledLedger() {
  const calls: { inputs: AppendChatMessageInput[]; settle(error?: Error): void }[] = [];
  const ledger: Pick<Ledger, 'appendChatMessages'> = {
    appendChatMessages(inputs) {
      return new Promise<AppendChatMessageResult[]>((resolve, reject) => {
        calls.push({
          inputs: [...inputs],
          settle: (error) =>
            error ? reject(error) : resolve(inputs.map((input) => ({ message: { clientId: input.clientId } as never, duplicate: false, sessionStarted: null }))),
        });
      });
    },
  };
  return { ledger, calls };
}

const input = (id: string, roomId = 'r'): AppendChatMessageInput => ({
  roomId,
  user: { id: 'u1', name: 'U1', avatarUrl: null, badges: [] },
  guest: false,
  clientId: id,
  text: id,
  now: 0,
  day: '1970-01-01',
  needsNewSession: () => false,
  decide: null,
});

const clientIds = (call: { inputs: AppendChatMessageInput[] }) => call.inputs.map((i) => i.clientId);

describe('group committer', () => {
  const options = (overrides: Partial<GroupCommitOptions> = {}): GroupCommitOptions => ({
    windowMs: 5,
    maxBatch: 64,
    committed: () => {},
    failed: (err) => assert.fail(String(err)),
    ...overrides,
  });

  it('commits what arrives within the window as one batch, in arrival order, across rooms', async () => {
    const { ledger, calls } = controlledLedger();
    const committed: string[] = [];
    const committer = createGroupCommitter(ledger, options({ committed: (r) => committed.push(r.message.clientId) }));
    const answered: string[] = [];
    const appends = ['a', 'b', 'c', 'd'].map((id, i) =>
      committer.append(input(id, i % 2 ? 'other' : 'r')).then((r) => {
        answered.push(r.message.clientId);
        assert.equal(committed.length, 4, 'every result announced before any caller is answered');
      }),
    );
    assert.equal(calls.length, 0, 'the window is still open');
    await eventually(() => assert.equal(calls.length, 1));
    assert.deepEqual(clientIds(calls[0]!), ['a', 'b', 'c', 'd']);
    assert.equal(committer.pending, 4);
    assert.deepEqual(answered, [], 'no answer before the commit');
    calls[0]!.settle();
    await Promise.all(appends);
    assert.deepEqual(committed, ['a', 'b', 'c', 'd']);
    assert.deepEqual(answered, ['a', 'b', 'c', 'd']);
    assert.equal(committer.pending, 0);
  });

  it('commits a full batch at once; what arrives meanwhile waits for that commit and goes right after', async () => {
    const { ledger, calls } = controlledLedger();
    const committer = createGroupCommitter(ledger, options({ windowMs: 60_000, maxBatch: 3 }));
    const first = ['a', 'b', 'c', 'd', 'e'].map((id) => committer.append(input(id)));
    assert.deepEqual(calls.map(clientIds), [['a', 'b', 'c']], 'full: no waiting for the window');
    const later = committer.append(input('f'));
    assert.equal(calls.length, 1, 'one batch commits at a time');
    calls[0]!.settle();
    await Promise.all(first.slice(0, 3));
    await eventually(() => assert.equal(calls.length, 2));
    assert.deepEqual(clientIds(calls[1]!), ['d', 'e', 'f'], 'the waiting ones, without a new window');
    calls[1]!.settle();
    await Promise.all([...first, later]);
  });

  it('rejects every append of a failing batch, and goes on with the next', async () => {
    const { ledger, calls } = controlledLedger();
    const committed: string[] = [];
    const committer = createGroupCommitter(ledger, options({ committed: (r) => committed.push(r.message.clientId) }));
    const doomed = ['a', 'b', 'c'].map((id) => committer.append(input(id)));
    await eventually(() => assert.equal(calls.length, 1));
    const next = committer.append(input('d'));
    calls[0]!.settle(new Error('disk full'));
    const outcomes = await Promise.allSettled(doomed);
    assert.deepEqual(outcomes.map((o) => (o.status === 'rejected' ? (o.reason as Error).message : 'ok')), ['disk full', 'disk full', 'disk full']);
    assert.deepEqual(committed, [], 'nothing announced');
    await eventually(() => assert.equal(calls.length, 2));
    calls[1]!.settle();
    assert.equal((await next).message.clientId, 'd');
  });

  it('with a window of 0, batches what arrives in the same turn of the event loop', async () => {
    const { ledger, calls } = controlledLedger();
    const committer = createGroupCommitter(ledger, options({ windowMs: 0 }));
    const appends = ['a', 'b'].map((id) => committer.append(input(id)));
    await eventually(() => assert.equal(calls.length, 1));
    assert.deepEqual(clientIds(calls[0]!), ['a', 'b']);
    calls[0]!.settle();
    await Promise.all(appends);
  });

  it('refuses a window below 0 or a batch below 1', () => {
    const { ledger } = controlledLedger();
    assert.throws(() => createGroupCommitter(ledger, options({ maxBatch: 0 })), /maxBatch/);
    assert.throws(() => createGroupCommitter(ledger, options({ windowMs: -1 })), /windowMs/);
  });
});

/** Sum and count of the group commit histogram (`live_chat_group_commit_messages`). */
async function batchHistogram(t: TestServer): Promise<{ sum: number; count: number }> {
  const { values } = await t.server.metrics.groupCommitMessages.get();
  const of = (suffix: string) => values.find((v) => v.metricName === `live_chat_group_commit_messages_${suffix}`)!.value;
  return { sum: of('sum'), count: of('count') };
}

describe('group commit in the server', () => {
  let t: TestServer;
  /** Batch sizes the ledger was given, and the ids it has committed so far. */
  const batches: number[] = [];
  const committedIds = new Set<string>();
  let failNext: ((inputs: readonly AppendChatMessageInput[]) => AppendChatMessageInput[]) | null = null;

  before(async () => {
    t = await startServer({ config: { messagesPerMinute: 100_000, groupCommitMs: 500, groupCommitMaxMessages: 64 } });
    const { ledger } = t.server;
    const original = ledger.appendChatMessages.bind(ledger);
    ledger.appendChatMessages = async (inputs) => {
      batches.push(inputs.length);
      const given = failNext ? failNext(inputs) : inputs;
      failNext = null;
      const results = await original(given);
      for (const r of results) committedIds.add(r.message.id);
      return results;
    };
  });
  after(() => t.destroy());

  it('stores a burst in a few transactions, acks each after its commit, in seq order, awards exact', async () => {
    const viewer = await t.joined('Burst Viewer');
    const seen = collect(viewer, 'message:new');
    const sender = await t.joined('Burst Bea');
    batches.length = 0;
    const histogramBefore = await batchHistogram(t);
    const acks = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        send(sender, `burst ${i}`).then((ack) => {
          // The ack left the server after the commit: the ledger had stored it already.
          assert.ok(committedIds.has(ack.message.id), 'acked after its commit');
          return ok(ack);
        }),
      ),
    );
    assert.equal(batches.reduce((s, n) => s + n, 0), 200);
    assert.ok(batches.length < 200 && Math.max(...batches) > 1, `grouped: ${batches.length} transactions`);
    const histogram = await batchHistogram(t);
    assert.deepEqual(
      { sum: histogram.sum - histogramBefore.sum, count: histogram.count - histogramBefore.count },
      { sum: 200, count: batches.length },
      'live_chat_group_commit_messages: one observation per transaction',
    );
    assert.equal(acks.reduce((s, a) => s + a.reward.xp, 0), 50, 'exactly the daily cap');
    assert.equal(acks.reduce((s, a) => s + a.reward.coins, 0), 1, 'one coin per cooldown');
    const seqs = acks.map((a) => a.message.seq as number).sort((a, b) => a - b);
    assert.deepEqual(seqs, seqs.map((_, i) => seqs[0]! + i), 'no gaps, no repeats');
    await eventually(() => assert.equal(seen.length, 200));
    assert.deepEqual(seen.map((m) => m.seq), seqs, 'message:new in seq order');
  });

  it('answers a clientId repeated within one batch with its first message, stored once', async () => {
    const sender = await t.joined('Repeat Rex');
    const id = clientId();
    batches.length = 0;
    const acks = (await Promise.all(Array.from({ length: 5 }, () => send(sender, 'same', 'lobby', id)))).map((a) => ok(a));
    assert.deepEqual(batches, [5], 'all five in one batch');
    assert.equal(new Set(acks.map((a) => a.message.id)).size, 1);
    assert.deepEqual(acks.map((a) => a.reward.xp), [1, 1, 1, 1, 1], 'the first award, every time');
    const stored = await t.server.ledger.messagesAfter('lobby', acks[0].message.seq - 1, 10);
    assert.deepEqual(stored.map((m) => m.clientId), [id]);
  });

  it('acks internal to every message of a failing batch and stores none of it; the retries store them', async () => {
    const sender = await t.joined('Failing Fay');
    const before = (await t.server.ledger.getRoom('lobby'))!.lastSeq;
    const ids = Array.from({ length: 8 }, () => clientId());
    // The 6th message's award rule throws inside the transaction, after five appends were written in it.
    failNext = (inputs) => inputs.map((x, i) => (i === 5 ? { ...x, decide: () => { throw new Error('injected failure'); } } : x));
    batches.length = 0;
    const acks = await Promise.all(ids.map((id, i) => send(sender, `doomed ${i}`, 'lobby', id)));
    assert.deepEqual(batches, [8]);
    for (const ack of acks) refused(ack, 'internal');
    assert.equal((await t.server.ledger.getRoom('lobby'))!.lastSeq, before, 'no seq taken');
    for (const id of ids) assert.equal(await t.server.ledger.findMessageByClientId('lobby', 'dev-failing-fay', id), null);
    assert.equal((await t.server.ledger.userStanding('dev-failing-fay', '2030-01-15')).totalXp, 0, 'no award written');

    const retried = (await Promise.all(ids.map((id, i) => send(sender, `doomed ${i}`, 'lobby', id)))).map((a) => ok(a));
    assert.deepEqual(
      retried.map((a) => a.message.seq).sort((a, b) => a - b),
      ids.map((_, i) => before + 1 + i),
    );
  });
});

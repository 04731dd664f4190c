/**
 * ReactionBroadcasts (server/realtime/reaction-broadcasts.ts) with fake timers: the first
 * change of a room is sent at once, later ones within the interval become one trailing flush
 * with one `message:reactions` per changed message and its counts at that moment; rooms are
 * independent; a message that is gone sends nothing; close() stops it. No sleeping.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ReactionCounts } from 'live-chat-protocol';
import { FakeTimers } from './fake-timers.ts';
import { ReactionBroadcasts } from '../../../server/realtime/reaction-broadcasts.ts';

const INTERVAL = 250;

/** Lets the flush's awaited reads settle (they resolve at once: no time passes). */
const settle = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

function setup() {
  const timers = new FakeTimers();
  /** `room/message` → counts; absent: the message is gone. */
  const counts = new Map<string, ReactionCounts>();
  const sent: [string, string, ReactionCounts][] = [];
  const broadcasts = new ReactionBroadcasts({
    intervalMs: INTERVAL,
    counts: async (roomId, messageId) => counts.get(`${roomId}/${messageId}`) ?? null,
    emit: ({ roomId, messageId, reactions }) => sent.push([roomId, messageId, { ...reactions }]),
    onError: (err) => assert.fail(String(err)),
    timers,
  });
  return { timers, counts, sent, broadcasts };
}

describe('ReactionBroadcasts', () => {
  it('sends the first change at once and folds 300 more into one trailing flush per message', async () => {
    const { timers, counts, sent, broadcasts } = setup();
    counts.set('r/a', { '👍': 1 });
    broadcasts.changedOne('r', 'a');
    await settle();
    assert.deepEqual(sent, [['r', 'a', { '👍': 1 }]]);

    for (let i = 0; i < 300; i++) {
      const id = ['a', 'b', 'c'][i % 3]!;
      counts.set(`r/${id}`, { '👍': i + 2 });
      broadcasts.changedOne('r', id);
      timers.advance(INTERVAL / 400);
    }
    await settle();
    assert.equal(sent.length, 1, 'nothing more inside the interval');
    timers.advance(INTERVAL);
    await settle();
    assert.deepEqual(sent.slice(1), [
      ['r', 'a', { '👍': 299 }],
      ['r', 'b', { '👍': 300 }],
      ['r', 'c', { '👍': 301 }],
    ]);
    timers.advance(INTERVAL * 4);
    await settle();
    assert.equal(sent.length, 4, 'an idle room sends nothing more');
    broadcasts.close();
  });

  it('keeps rooms apart, skips messages that are gone, and stops on close', async () => {
    const { timers, counts, sent, broadcasts } = setup();
    counts.set('r/a', { '🎉': 1 });
    counts.set('s/a', { '😂': 2 });
    broadcasts.changedOne('r', 'a');
    broadcasts.changedOne('s', 'a');
    broadcasts.changedOne('r', 'gone');
    broadcasts.changedOne('r', 'a');
    await settle();
    assert.deepEqual(sent, [
      ['r', 'a', { '🎉': 1 }],
      ['s', 'a', { '😂': 2 }],
    ]);
    timers.advance(INTERVAL);
    await settle();
    assert.deepEqual(sent.slice(2), [['r', 'a', { '🎉': 1 }]], 'the gone message sent nothing');
    // Inside the next interval: pending until its end, and dropped by close().
    broadcasts.changedOne('r', 'a');
    broadcasts.close();
    broadcasts.changedOne('r', 'a');
    timers.advance(INTERVAL * 2);
    await settle();
    assert.equal(sent.length, 3, 'nothing after close');
  });
});

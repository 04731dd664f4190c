/** The services' announcement channel: order, unsubscribing, and a failing listener. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createDomainEvents, type DomainEventName } from '../../../server/services/events.ts';

describe('domain events', () => {
  it('runs listeners synchronously, in subscription order, only for their event', () => {
    const events = createDomainEvents(() => assert.fail('no listener throws here'));
    const seen: string[] = [];
    events.on('statsChanged', ({ roomId }) => seen.push(`a:${roomId}`));
    events.on('statsChanged', ({ roomId }) => seen.push(`b:${roomId}`));
    events.on('leaderboardChanged', ({ roomId }) => seen.push(`board:${roomId}`));
    events.announce('statsChanged', { roomId: 'r1' });
    seen.push('after');
    assert.deepEqual(seen, ['a:r1', 'b:r1', 'after']);
  });

  it('stops calling a listener once unsubscribed, also during an announcement', () => {
    const events = createDomainEvents(() => undefined);
    const seen: string[] = [];
    let offB: () => void = () => undefined;
    events.on('typingChanged', () => {
      seen.push('a');
      offB();
    });
    offB = events.on('typingChanged', () => seen.push('b'));
    events.announce('typingChanged', { roomId: 'r', expiresInMs: null });
    events.announce('typingChanged', { roomId: 'r', expiresInMs: null });
    assert.deepEqual(seen, ['a', 'b', 'a'], 'the running announcement still reaches b; the next one does not');
  });

  it('reports a throwing listener and still runs the others; announce never throws', () => {
    const failures: [unknown, DomainEventName][] = [];
    const events = createDomainEvents((err, name) => failures.push([err, name]));
    const seen: string[] = [];
    const boom = new Error('emit failed');
    events.on('messageDeleted', () => {
      throw boom;
    });
    events.on('messageDeleted', ({ messageId }) => seen.push(messageId));
    assert.doesNotThrow(() => events.announce('messageDeleted', { roomId: 'r', messageId: 'm1' }));
    assert.deepEqual(seen, ['m1']);
    assert.deepEqual(failures, [[boom, 'messageDeleted']]);
  });
});

/** The reply quote rule (protocol/rules/replies.ts) and the quote the server stores (server/services/replies.ts). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isReaction, QUOTE_LENGTH, quoteText, REACTIONS } from 'live-chat-protocol';
import { quoteOf } from '../../../server/services/replies.ts';
import type { StoredMessage } from '../../../server/stores/ledger.ts';

const stored = (text: string, deleted = false): StoredMessage => ({
  id: 'm1',
  seq: 7,
  roomId: 'r',
  sessionId: 's',
  clientId: 'c',
  user: { id: 'u1', name: 'Ann', avatarUrl: null, badges: ['host'] },
  guest: false,
  text,
  createdAt: 0,
  likes: 0,
  deleted,
  award: null,
  replyTo: null,
  reactions: {},
});

describe('reply quotes', () => {
  it('keep the first 100 code points, never half a surrogate pair, and short texts whole', () => {
    assert.equal(QUOTE_LENGTH, 100);
    assert.equal(quoteText(''), '');
    assert.equal(quoteText('hello'), 'hello');
    assert.equal(quoteText('a'.repeat(100)), 'a'.repeat(100));
    assert.equal(quoteText('a'.repeat(101)), 'a'.repeat(100));
    const emoji = quoteText('𝒜'.repeat(99) + '😀😀');
    assert.equal([...emoji].length, 100);
    assert.equal(emoji.length, 200, 'every character whole (two UTF-16 units each)');
    assert.ok(emoji.endsWith('😀'));
  });

  it('are made of the original’s id, seq, author and text; blank for a deleted original', () => {
    assert.deepEqual(quoteOf(stored('x'.repeat(150))), { id: 'm1', seq: 7, userId: 'u1', name: 'Ann', text: 'x'.repeat(100) });
    assert.equal(quoteOf(stored('gone', true)).text, '');
  });
});

describe('reactions', () => {
  it('are the fixed set, checked exactly', () => {
    assert.deepEqual(REACTIONS, ['👍', '❤️', '😂', '😮', '🎉']);
    for (const r of REACTIONS) assert.equal(isReaction(r), true);
    for (const v of ['❤', '👎', '', ' 👍', null, 1]) assert.equal(isReaction(v), false, String(v));
  });
});

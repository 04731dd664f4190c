/** Message text rules (server/services/text.ts). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../../server/errors.ts';
import { isText, normalizeText, textLength } from 'live-chat-protocol';
import { checkMessageText, slugify } from '../../../server/services/text.ts';

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof AppError);
    return err.code;
  }
  return 'ok';
};

describe('message text', () => {
  it('strips controls and lone surrogates, turns line breaks into spaces, trims', () => {
    assert.equal(normalizeText('\u0000 a\tb\r\nc\u0085\u009f\uD800 '), 'a b c');
    assert.equal(normalizeText('e\u0301'), '\u00e9', 'NFC');
    assert.equal(normalizeText('👩‍👩‍👧 ok 👍🏽'), '👩‍👩‍👧 ok 👍🏽');
  });

  it('tells text from what normalising would strip, the same on every call', () => {
    for (const s of ['nul\u0000', 'tab\t', 'del\u007f', 'c1\u0085', 'lone\uD800', '\uDC00low']) assert.equal(isText(s), false, JSON.stringify(s));
    for (const s of ['plain', 'é 中文 😀👍🏽 "q" \\ {a,b}', '\u2028']) assert.equal(isText(s), true, JSON.stringify(s));
    assert.deepEqual([isText('a\u0000'), isText('a\u0000')], [false, false]);
  });

  it('counts code points and applies 1..max', () => {
    assert.equal(textLength('😀😀'), 2);
    assert.equal(code(() => checkMessageText('😀'.repeat(2000), 2000)), 'ok');
    assert.equal(code(() => checkMessageText('a'.repeat(2001), 2000)), 'too_long');
    assert.equal(code(() => checkMessageText('  \u0007  ', 2000)), 'invalid');
  });

  it('slugs names and titles', () => {
    assert.equal(slugify('Ana María  Ö!'), 'ana-maria-o');
    assert.equal(slugify('🎉'), '');
  });
});

/**
 * Replies (issue 10; docs/protocol.md, "Rules"): the quote a reply keeps of the message it
 * answers, and what a deletion of that message does to the quotes. The chat service checks
 * the answered message and stores the quote with the reply; the ledger blanks the stored
 * quotes when the original is deleted; {@link blankCachedQuotes} does the same for the copies
 * in the hot recent window, so a replay never shows a deleted message's text.
 */
import { quoteText, type ReplyQuote } from 'live-chat-protocol';
import type { HotStore } from '../stores/hot-store.ts';
import type { Ledger, StoredMessage } from '../stores/ledger.ts';

/**
 * The quote a reply stores of `original`: its id, seq, author and the first `QUOTE_LENGTH`
 * (100) characters (code points) of its text ('' for a deleted one).
 */
export function quoteOf(original: StoredMessage): ReplyQuote {
  return {
    id: original.id,
    seq: original.seq,
    userId: original.user.id,
    name: original.user.name,
    text: original.deleted ? '' : quoteText(original.text),
  };
}

/**
 * After `deleted` was deleted (the ledger blanked the stored quotes of it): gives the recent
 * window's copies of its replies the blank quote. Replies outside the window are not there;
 * patching them is a no-op. Rejects with the store's error.
 */
export async function blankCachedQuotes(stores: { ledger: Ledger; hot: HotStore }, deleted: StoredMessage): Promise<void> {
  const replyIds = await stores.ledger.replyIds(deleted.roomId, deleted.id);
  const blank = quoteOf({ ...deleted, deleted: true });
  for (const id of replyIds) await stores.hot.patchRecent(deleted.roomId, id, { replyTo: blank });
}

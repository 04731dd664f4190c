import { atom } from 'nanostores';
import { noActions, type ChatActions } from './actions.ts';
import { createLocale, type Locale } from '../i18n/locale.ts';
import { createConnectionStore } from './connection.ts';
import { createHiddenStore } from './hidden.ts';
import { createMeStore } from './me.ts';
import { createMessageStore } from './messages.ts';
import { createOutboxStore } from './outbox.ts';
import { createLeaderboardStore, createRoomStore, createStatsStore } from './room.ts';
import { createUiStore } from './ui.ts';

/**
 * Makes one set of stores for one `<live-chat>` (STYLE.md rule 6). Components only read
 * them; the connection controller writes them through their actions.
 *
 * Stories and tests may build one, fill it, and hand it to a lone inner element:
 * `html\`<lc-leaderboard .stores=${stores}></lc-leaderboard>\``.
 */
export function createChatStores() {
  const messages = createMessageStore();
  const outbox = createOutboxStore();
  const room = createRoomStore();
  const stats = createStatsStore();
  const leaderboard = createLeaderboardStore();
  return {
    messages,
    outbox,
    room,
    stats,
    leaderboard,
    me: createMeStore(),
    /** Users I hid, per server and room (localStorage). */
    hidden: createHiddenStore(),
    connection: createConnectionStore(),
    ui: createUiStore(),
    /** Strings and `Intl` formatters for the element's language and direction. */
    $locale: atom<Locale>(createLocale('en')),
    /** Set by `<live-chat>` to its connection controller. */
    actions: noActions as ChatActions,
    /** Forgets everything of the joined room (left, switched, or disconnected). */
    clearRoom(): void {
      messages.reset();
      outbox.clear();
      room.clear();
      leaderboard.apply([]);
      stats.apply(null);
    },
  };
}
export type ChatStores = ReturnType<typeof createChatStores>;

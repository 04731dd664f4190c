/**
 * Fixture data for stories and widget tests: users with every badge combination, a busy room
 * with hundreds of messages, long words and names, right-to-left text, a leaderboard, rooms
 * in each state of their chat window. Deterministic (a seeded generator), so screenshots and
 * assertions are stable. Not part of the production bundle.
 */
import type { Badge, LeaderboardEntry, Me, Message, Room, UserRef } from 'live-chat-protocol';
import type { FakeTransportOptions } from './fake-transport.ts';

/** A small deterministic PRNG (mulberry32): the same seed gives the same room. */
export function seeded(seed = 42): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An avatar picture as a data URL (works offline): a coloured circle with a letter. */
export function avatar(letter: string, hue: number): string {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><defs><linearGradient id="g" x2="1" y2="1"><stop offset="0" stop-color="hsl(${hue} 70% 60%)"/><stop offset="1" stop-color="hsl(${(hue + 40) % 360} 70% 40%)"/></linearGradient></defs><rect width="64" height="64" fill="url(#g)"/><text x="32" y="42" font-family="sans-serif" font-size="28" font-weight="700" fill="#fff" text-anchor="middle">${letter}</text></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

const user = (id: string, name: string, badges: Badge[], avatarUrl: string | null = null): UserRef => ({ id, name, avatarUrl, badges });

/** Users, one per badge combination, plus a few plain ones and edge cases. */
export const users = {
  anna: user('u-anna', 'Anna Host', ['host'], avatar('A', 330)),
  bo: user('u-bo', 'Bo Winner', ['winner'], avatar('B', 40)),
  cleo: user('u-cleo', 'Cleo Mod', ['moderator']),
  dev: user('u-dev', 'Dev', []),
  eve: user('u-eve', 'Eve Host-Mod', ['host', 'moderator'], avatar('E', 200)),
  finn: user('u-finn', 'Finn Winner-Mod', ['winner', 'moderator']),
  gia: user('u-gia', 'Gia Host-Winner', ['host', 'winner']),
  hal: user('u-hal', 'Hal All-Badges', ['host', 'winner', 'moderator'], avatar('H', 270)),
  ivy: user('u-ivy', 'Ivy', [], avatar('I', 150)),
  jon: user('u-jon', 'Jon', []),
  kim: user('u-kim', 'Kim Andersson', []),
  long: user('u-long', 'Maximiliana Alexandrovna Featherstonehaugh-Wolfeschlegelsteinhausen', ['winner']),
  rtl: user('u-rtl', 'ليلى أحمد', []),
  /** The broken picture URL exercises the initials fallback. */
  broken: user('u-broken', 'Nora Broken-Picture', [], 'data:image/png;base64,broken'),
} satisfies Record<string, UserRef>;

/** Every badge combination, for a "badges" story. */
export const badgeUsers: UserRef[] = [users.dev, users.anna, users.bo, users.cleo, users.eve, users.finn, users.gia, users.hal];

/** Texts that stress layout and safety. */
export const texts = {
  longWord: 'Supercalifragilisticexpialidocious'.repeat(4),
  url: 'Tickets: https://example.com/events/2025/the-grand-draw?utm_source=chat&utm_medium=embed&ref=a-very-long-reference',
  rtl: 'مرحبا بالجميع! متى يبدأ السحب الكبير الليلة؟',
  hebrew: 'שלום לכולם, בהצלחה בהגרלה!',
  emoji: 'Let’s gooo 🎉🎉🔥 good luck everyone 🍀',
  xss: '<img src=x onerror="window.__xss=1"> <script>window.__xss=1</script> &amp; <b>bold?</b>',
  long: 'This is a long message that wraps over several lines so that designers can check spacing, line height and how the like button and coin chip sit next to a paragraph of text. '.repeat(3).trim(),
};

const LINES = [
  'Hello from Stockholm! 👋',
  'Good luck everyone',
  'When does the draw start?',
  'This is so exciting',
  'Anyone else watching from Gothenburg?',
  'The prize this week is huge 😮',
  '🔥🔥🔥',
  'Go go go!',
  'I have a good feeling about tonight',
  'First time here, hi all',
  'Can the host say hi to my mum?',
  'lol',
  'That was close!',
  'Congrats to last week’s winner 🎉',
  texts.emoji,
];

/** Plain chatters for generated rooms. */
export const crowd: UserRef[] = [users.ivy, users.jon, users.kim, users.dev, users.cleo, users.bo, users.anna, users.broken];

/**
 * `count` messages, oldest first, seq 1..count, one every ~20 s ending `endAt` (ms since
 * epoch; default now). Mixes users, badges, coin rewards (about one in four), likes, and
 * now and then a long word, a URL, RTL text or an attempted injection.
 */
export function makeMessages(count: number, { seed = 7, endAt = Date.now(), roomId = 'lobby', from = crowd } = {}): Message[] {
  const rnd = seeded(seed);
  const specials = [texts.longWord, texts.url, texts.rtl, texts.xss, texts.long, texts.hebrew];
  return Array.from({ length: count }, (_, i) => {
    const u = from[Math.floor(rnd() * from.length)]!;
    const special = rnd() < 0.06 ? specials[Math.floor(rnd() * specials.length)]! : null;
    const coins = rnd() < 0.25 ? 1 : 0;
    return {
      id: `m${i + 1}`,
      seq: i + 1,
      roomId,
      clientId: `fixture-${i + 1}`,
      user: u,
      text: special ?? LINES[Math.floor(rnd() * LINES.length)]!,
      createdAt: new Date(endAt - (count - i) * 20_000).toISOString(),
      likes: rnd() < 0.3 ? Math.floor(rnd() * 40) : 0,
      reward: { xp: 1, coins },
    };
  });
}

/** One message with defaults, for a focused test or story. */
export function message(seq: number, text: string, from: UserRef = users.dev, extra: Partial<Message> = {}): Message {
  return {
    id: `m${seq}`,
    seq,
    roomId: 'lobby',
    clientId: `fixture-${seq}`,
    user: from,
    text,
    createdAt: new Date(Date.now() - 60_000).toISOString(),
    likes: 0,
    reward: null,
    ...extra,
  };
}

/** A session leaderboard of `n` rows (max 10), best first. */
export function makeLeaderboard(n = 8): LeaderboardEntry[] {
  const people = [users.bo, users.ivy, users.anna, users.kim, users.jon, users.cleo, users.long, users.rtl, users.dev, users.hal];
  return people.slice(0, n).map((u, i) => ({
    rank: i + 1,
    userId: u.id,
    name: u.name,
    avatarUrl: u.avatarUrl,
    coins: Math.max(1, 14 - i * 2),
    messages: 40 - i * 3,
  }));
}

/** A signed-in member half way through level 4 (150..250 XP on the server's curve), 32 of 50 XP today. */
export const member: Me = {
  user: { id: 'me', name: 'Sam Viewer', avatarUrl: null, badges: [] },
  guest: false,
  canPost: true,
  progress: { userId: 'me', totalXp: 200, level: 4, levelStartXp: 150, nextLevelXp: 250, dailyXp: 32, dailyXpCap: 50, coinBalance: 18 },
};

/** A guest who can read but not post (docs/protocol.md, "Identity"). */
export const guest: Me = {
  user: { id: 'guest-7f3a', name: 'Guest', avatarUrl: null, badges: [] },
  guest: true,
  canPost: false,
  progress: null,
};

/** Rooms in each state of the chat window, relative to `now` (ms since epoch). */
export const rooms = {
  open: (): Partial<Room> => ({ id: 'lobby', title: 'Friday Night Draw', opensAt: null, closesAt: null }),
  /** Opens in `ms` (default 12 min 34 s: "Chat opens in 12:34"). */
  notYetOpen: (ms = 754_000, now = Date.now()): Partial<Room> => ({
    id: 'lobby',
    title: 'Friday Night Draw',
    opensAt: new Date(now + ms).toISOString(),
    closesAt: new Date(now + ms + 7_200_000).toISOString(),
  }),
  closed: (now = Date.now()): Partial<Room> => ({
    id: 'lobby',
    title: 'Friday Night Draw',
    opensAt: new Date(now - 7_200_000).toISOString(),
    closesAt: new Date(now - 60_000).toISOString(),
  }),
};

/** A busy, open room: 300 messages (the widget keeps the last 200), 12 345 viewers. */
export function busyRoom(extra: FakeTransportOptions = {}): FakeTransportOptions {
  return {
    room: rooms.open(),
    messages: makeMessages(300),
    me: member,
    leaderboard: makeLeaderboard(8),
    stats: { viewers: 12_345, likes: 4_821 },
    ...extra,
  };
}

/** An empty, open room. */
export function emptyRoom(extra: FakeTransportOptions = {}): FakeTransportOptions {
  return { room: rooms.open(), messages: [], me: member, leaderboard: [], stats: { viewers: 3, likes: 0 }, ...extra };
}

/** Lines for `FakeTransport.simulate`. */
export const chatter = LINES;

/**
 * Ids and free text with control characters, on both ledgers (docs/protocol.md, "Client →
 * server events" and "HTTP routes"): an id holding a NUL or another control character is
 * refused `invalid` by a socket event and by the XP route, and answered 404 by a route that
 * names it in its path or query, never `internal` or 500 (PostgreSQL text cannot store a NUL:
 * these once reached its ledger); a room's title and a moderator's reason are cleaned as
 * message text is. SQLite and a real PostgreSQL started by the test answer the same.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, http, nextEvent, ok, refused, send, startServer, type Client, type TestServer } from './helpers.ts';
import { startPostgres, type PostgresFixture } from '../helpers/postgres.ts';

const NUL_ID = 'a\u0000b';
const XP_KEY = 'xp-key-for-the-ids-test';

for (const ledger of ['SQLite', 'PostgreSQL'] as const) {
  describe(`ids and text with control characters (${ledger})`, () => {
    let postgres: PostgresFixture | null = null;
    let t: TestServer;
    let host: Client;
    let hostToken: string;
    before(async () => {
      let databaseUrl: string | null = null;
      if (ledger === 'PostgreSQL') {
        postgres = await startPostgres();
        databaseUrl = await postgres.createDatabase();
      }
      t = await startServer({ config: { databaseUrl, xpApiKey: XP_KEY } });
      hostToken = await t.token('Ids Host', ['host']);
      host = await t.connect(hostToken);
      ok(await call(host, 'room:join', { roomId: 'lobby' }));
    });
    after(async () => {
      await t?.destroy();
      await postgres?.stop();
    });

    it('refuses an id holding a control character `invalid` in every event that names one, and stores nothing', async () => {
      const { message } = ok(await send(host, 'an original'));
      const cases: [string, Record<string, unknown>][] = [
        ['message:like', { roomId: 'lobby', messageId: NUL_ID }],
        ['message:react', { roomId: 'lobby', messageId: NUL_ID, emoji: '👍' }],
        ['mod:delete', { roomId: 'lobby', messageId: NUL_ID }],
        ['room:pin', { roomId: 'lobby', messageId: 'm\u001f1' }],
        ['message:send', { roomId: 'lobby', clientId: 'ids-test-reply-1', text: 'a reply', replyTo: NUL_ID }],
        ['mod:timeout', { roomId: 'lobby', userId: NUL_ID, seconds: 60 }],
        ['mod:ban', { roomId: 'lobby', userId: 'dev-\u0007bell' }],
        ['mod:unban', { roomId: 'lobby', userId: '\ud800' }],
      ];
      for (const [event, payload] of cases) {
        const error = refused(await call(host, event, payload), 'invalid');
        assert.match(error.message, /control characters/, `${event}: ${error.message}`);
      }
      // Clean ids still work; the refused reply was not stored.
      ok(await call(host, 'message:like', { roomId: 'lobby', messageId: message.id }));
      const history = await http(t, 'GET', '/api/rooms/lobby/messages');
      assert.deepEqual(
        history.body.messages.map((m: { text: string }) => m.text),
        ['an original'],
      );
      // Nor was a refused moderation action logged.
      const log = await http(t, 'GET', '/api/rooms/lobby/moderation', { token: hostToken });
      assert.deepEqual(log.body.entries, []);
    });

    it('cleans a title and a reason as message text is, and refuses one left empty', async () => {
      const announced = nextEvent(host, 'room:updated');
      const updated = ok(await call(host, 'room:update', { roomId: 'lobby', title: ' Launch\u0000\tnight\n' }));
      assert.equal(updated.room.title, 'Launch night');
      assert.equal((await announced).title, 'Launch night', 'the broadcast says what is stored');
      assert.equal((await http(t, 'GET', '/api/rooms/lobby')).body.room.title, 'Launch night');
      // The length is checked after cleaning: 120 characters and some control characters fit.
      ok(await call(host, 'room:update', { roomId: 'lobby', title: `${'x'.repeat(120)}\u0000\n` }));
      refused(await call(host, 'room:update', { roomId: 'lobby', title: '\u0000\u0001' }), 'invalid');
      refused(await call(host, 'room:update', { roomId: 'lobby', title: 'x'.repeat(121) }), 'too_long');

      ok(await call(host, 'mod:timeout', { roomId: 'lobby', userId: 'dev-noisy', seconds: 60, reason: 'too\u0000 loud\r\nfor now ' }));
      ok(await call(host, 'mod:ban', { roomId: 'lobby', userId: 'dev-quiet', reason: '\u0000' }));
      const log = await http(t, 'GET', '/api/rooms/lobby/moderation', { token: hostToken });
      assert.equal(log.status, 200);
      const reasons = Object.fromEntries(
        log.body.entries.filter((e: { action: string }) => e.action !== 'room_update').map((e: { action: string; reason: string | null }) => [e.action, e.reason]),
      );
      assert.deepEqual(reasons, { timeout: 'too loud for now', ban: null });
      const titles = log.body.entries.filter((e: { action: string }) => e.action === 'room_update').map((e: { details: { title: string } }) => e.details.title);
      assert.ok(titles.includes('Launch night'), `the log says what is stored: ${JSON.stringify(titles)}`);

      const created = await http(t, 'POST', '/api/rooms', { token: hostToken, body: { title: 'Q\u0000&A\u0085time' } });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.equal(created.body.room.title, 'Q&A time');
      const empty = await http(t, 'POST', '/api/rooms', { token: hostToken, body: { title: '\u0000' } });
      assert.equal(empty.status, 400);
      assert.equal(empty.body.error.code, 'invalid');
      const long = await http(t, 'POST', '/api/rooms', { token: hostToken, body: { title: 'x'.repeat(121) } });
      assert.equal(long.status, 413);
      assert.equal(long.body.error.code, 'too_long');
    });

    it('answers a malformed id in a path or query 404, and an XP event with one 400 naming it', async () => {
      for (const route of ['/api/users/%00/xp', '/api/users/a%01b/xp', '/api/rooms/lobby/leaderboard?sessionId=%00', '/api/rooms/lobby/sessions/%00/recap']) {
        const res = await http(t, 'GET', route);
        assert.equal(res.status, 404, `${route}: ${res.status} ${JSON.stringify(res.body)}`);
        assert.equal(res.body.error.code, 'not_found', route);
      }
      for (const [field, value] of [['id', 'n\u0000'], ['userId', NUL_ID], ['kind', 'k\u0000']] as const) {
        const event = { id: 'ids-test-1', userId: 'dev-buyer', kind: 'purchase', delta: 5, [field]: value };
        const res = await http(t, 'POST', '/api/xp/events', { headers: { 'x-api-key': XP_KEY }, body: [event] });
        assert.equal(res.status, 400, `${field}: ${res.status} ${JSON.stringify(res.body)}`);
        assert.equal(res.body.error.code, 'invalid');
        assert.match(res.body.error.message, new RegExp(`events\\.0\\.${field}`));
      }
      const accepted = await http(t, 'POST', '/api/xp/events', {
        headers: { 'x-api-key': XP_KEY },
        body: [{ id: 'ids-test-1', userId: 'dev-buyer', kind: 'purchase', delta: 5 }],
      });
      assert.deepEqual(accepted.body, { acceptedIds: ['ids-test-1'], duplicateIds: [] });
      assert.equal((await http(t, 'GET', '/health')).status, 200);
    });
  });
}

/**
 * The socket.io transport against the real chat server (server/cli.ts, started by
 * chat-server.plugin.js on another origin than this page, with its own SQLite folder):
 * cross-origin connect, guest and signed-in joins, send and ack, the broadcast to another
 * element, a refused token, and a server crash and restart with the outbox and no duplicates.
 */
import { executeServerCommand } from '@web/test-runner-commands';
import { html } from 'lit';
import type { LiveChat } from '../../widget/live-chat.ts';
import { createSocketTransport } from '../../widget/transport/socket-transport.ts';
import { afterEach, cleanup, describe, equal, fixture, hover, it, match, messageIds, ok, part, parts, settle, text, typeAndSend, until, type TestContext } from './helpers.ts';

interface Server {
  id: string;
  url: string;
}

async function devToken(server: Server, name: string, roles: string[] = []): Promise<string> {
  const res = await fetch(`${server.url}/api/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, roles }) });
  equal(res.status, 200, 'dev token');
  return (await res.json()).token;
}

/** The message nodes whose text is `t`. */
const withText = (el: LiveChat, t: string) => parts(el, 'message').filter((m) => text(part(m, 'message-text')) === t);
const status = (el: LiveChat) => el.stores.connection.$connection.get().status;

async function chat(server: Server, token?: string): Promise<LiveChat> {
  const el = await fixture<LiveChat>(html`<live-chat server=${server.url} room="lobby" token=${token ?? ''}></live-chat>`);
  if (!token) el.token = null;
  await until(() => status(el) === 'online', 'online', 15_000);
  await settle(el);
  return el;
}

describe('socket transport, against the real server', () => {
  let server: Server | undefined;
  afterEach(async () => {
    cleanup();
    if (server) await executeServerCommand('chat-server-stop', { id: server.id });
    server = undefined;
  });

  it('connects cross-origin; a host sends, a guest sees it live; the ack carries seq and reward', async function (this: TestContext) {
    this.timeout(40_000);
    server = await executeServerCommand<Server, undefined>('chat-server-start');
    ok(new URL(server!.url).origin !== location.origin, 'the server is another origin');
    const host = await chat(server!, await devToken(server!, 'Widget Host', ['host']));
    const guest = await chat(server!);
    match(text(part(guest, 'composer-status')), /Sign in to chat/);
    equal(part<HTMLInputElement>(host, 'input')!.disabled, false);

    await typeAndSend(host, 'Hello from the widget test');
    const mine = await until(() => parts(host, 'message').find((m) => m.dataset.seq && text(part(m, 'message-text')) === 'Hello from the widget test'), 'acked in the host');
    ok(Number(mine.dataset.seq) >= 1, 'has a seq');
    equal(parts(mine, 'badge-host').length, 1);
    const seen = await until(() => parts(guest, 'message').find((m) => text(part(m, 'message-text')) === 'Hello from the widget test'), 'broadcast to the guest');
    equal(seen.dataset.id, mine.dataset.id);
    match(text(part(seen, 'author')), /Widget Host/);
    await until(() => Number(text(part(guest, 'viewer-count'))) === 2, 'two viewers');
    // The economy: the first message of a session earns a coin (issue 3).
    await until(() => part(mine, 'coin'), 'coin chip on the first message', 5000);
    await until(() => part(host, 'xp'), 'XP shown to the signed-in user', 5000);
  });

  it('a forged token is refused: error state, no loop', async function (this: TestContext) {
    this.timeout(40_000);
    server = await executeServerCommand<Server, undefined>('chat-server-start');
    const el = await fixture<LiveChat>(html`<live-chat server=${server!.url} room="lobby" token="not.a.jwt"></live-chat>`);
    await until(() => status(el) === 'error', 'error', 15_000);
    equal(el.stores.connection.$connection.get().error?.code, 'unauthorized');
  });

  it('the server crashes and restarts: reconnect with sinceSeq, outbox sent once, no duplicates', async function (this: TestContext) {
    this.timeout(60_000);
    server = await executeServerCommand<Server, undefined>('chat-server-start');
    const el = await chat(server!, await devToken(server!, 'Restart Tester'));
    await typeAndSend(el, 'before the crash');
    await until(() => withText(el, 'before the crash').some((m) => m.dataset.seq), 'acked');

    const restarted = executeServerCommand('chat-server-restart', { id: server!.id, signal: 'SIGKILL' });
    await until(() => status(el) === 'reconnecting', 'reconnecting', 15_000);
    await until(() => part(el, 'banner'), 'banner');
    await typeAndSend(el, 'typed while down');
    ok(withText(el, 'typed while down')[0]?.hasAttribute('data-pending'), 'pending while down');
    await restarted;
    await until(() => status(el) === 'online', 'back online', 30_000);
    await until(() => withText(el, 'typed while down').some((m) => m.dataset.seq), 'outbox flushed', 15_000);
    await settle(el);
    const ids = messageIds(el);
    equal(new Set(ids).size, ids.length, 'no duplicates');
    equal(withText(el, 'before the crash').length, 1);
    equal(withText(el, 'typed while down').length, 1);
    equal(part(el, 'banner'), undefined);
  });

  it('two pages on the real server (issue 10): a link, a reply with its quote, a reaction counted on the other page, history by beforeSeq', async function (this: TestContext) {
    this.timeout(60_000);
    server = await executeServerCommand<Server, undefined>('chat-server-start');
    const ana = await chat(server!, await devToken(server!, 'Ana Asker'));
    const bo = await chat(server!, await devToken(server!, 'Bo Answerer'));
    const question = 'Where is the stream? https://example.com/live';
    await typeAndSend(ana, question);
    const seen = await until(() => withText(bo, question)[0], 'the question on Bo\'s page');
    equal(part(seen, 'link')?.getAttribute('href'), 'https://example.com/live');
    equal(part(seen, 'link')?.getAttribute('rel'), 'noopener noreferrer nofollow ugc');

    part<HTMLButtonElement>(hover(seen), 'reply-button')!.click();
    await settle(bo);
    await typeAndSend(bo, 'Right here');
    const reply = await until(() => withText(ana, 'Right here').find((m) => part(m, 'reply-quote')), 'the reply and its quote on Ana\'s page');
    match(text(part(reply, 'reply-quote')), /^Ana Asker Where is the stream\?/);

    const onBo = () => withText(bo, question)[0]!;
    part<HTMLButtonElement>(hover(onBo()), 'react-button')!.click();
    await settle(bo);
    parts<HTMLButtonElement>(onBo(), 'reaction-option').find((o) => text(o) === '🎉')!.click();
    await until(() => text(part(withText(ana, question)[0]!, 'reaction')) === '🎉 1', 'the reaction counted on Ana\'s page', 10_000);
    await until(() => part(onBo(), 'reaction')?.getAttribute('aria-pressed') === 'true', 'mine on Bo\'s page');

    const t = createSocketTransport(server!.url);
    const page = await t.history!({ roomId: 'lobby', beforeSeq: 1_000_000, limit: 5 });
    ok(page.ok && page.messages.some((m) => m.text === 'Right here' && m.replyTo?.name === 'Ana Asker'), JSON.stringify(page).slice(0, 300));
    t.disconnect();
  });

  it('createSocketTransport answers offline at once while disconnected, and never throws', async () => {
    const t = createSocketTransport('http://127.0.0.1:9/');
    const ack = await t.send({ roomId: 'lobby', clientId: 'client-123456', text: 'x' });
    equal(ack.ok, false);
    equal(!ack.ok && ack.error.code, 'offline');
    t.disconnect();
  });
});

import { badgeUsers, busyRoom, emptyRoom, makeMessages, message, texts, users } from '../support/fixtures.ts';
import type { LcLikeEvent, LcMessageEvent } from '../../widget/live-chat.ts';
import { MAX_MESSAGES } from '../../widget/state/messages.ts';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import { afterEach, all, cleanup, deepEqual, describe, equal, hover, quiet, it, match, messageIds, mount, ok, part, parts, settle, text, until } from './helpers.ts';

describe('message list', () => {
  afterEach(cleanup);

  it('shows the name, avatar (picture or initials) and text of each message', async () => {
    const { el } = await mount(emptyRoom({ messages: [message(1, 'Hello there', users.anna), message(2, 'Hi', users.cleo), message(3, 'Oops', users.broken)] }));
    const [anna, cleo, broken] = parts(el, 'message');
    equal(text(part(anna!, 'author')), 'Anna Host');
    equal(text(part(anna!, 'message-text')), 'Hello there');
    ok(part(anna!, 'avatar')!.querySelector('img'), 'Anna has a picture');
    equal(text(part(cleo!, 'avatar')), 'CM', 'initials when there is no picture');
    await until(() => part(broken!, 'avatar')!.querySelector('img')!.hidden, 'a broken picture hides');
    equal(text(part(broken!, 'avatar')), 'NB', 'initials behind a broken picture');
  });

  it('shows HOST / WINNER / MOD badges, each with a text alternative, for every combination', async () => {
    const { el } = await mount(emptyRoom({ messages: badgeUsers.map((u, i) => message(i + 1, `from ${u.name}`, u)) }));
    const nodes = parts(el, 'message');
    badgeUsers.forEach((u, i) => {
      const badges = parts(nodes[i]!, 'badge');
      equal(badges.map((b) => b.getAttribute('part')).join(), u.badges.map((b) => `badge badge-${b}`).join(), u.name);
      for (const b of badges) ok(b.getAttribute('aria-label'), 'badge has a text alternative');
    });
    equal(text(part(nodes[7]!, 'badge-host')), 'HOST');
    equal(text(part(nodes[7]!, 'badge-winner')), 'WINNER');
    equal(text(part(nodes[7]!, 'badge-moderator')), 'MOD');
    equal(part(nodes[7]!, 'badge-moderator')!.getAttribute('aria-label'), 'Moderator');
  });

  it('renders user text as text: an injected <img onerror> shows as characters', async () => {
    (window as any).__xss = 0;
    const { el, fake } = await mount(emptyRoom({ messages: [message(1, texts.xss, users.dev)] }));
    fake.post(users.long, '<script>window.__xss=2</script><img src=x onerror="window.__xss=3">');
    await quiet(el);
    const [first, second] = parts(el, 'message-text');
    equal(first!.textContent, texts.xss);
    equal(second!.textContent, '<script>window.__xss=2</script><img src=x onerror="window.__xss=3">');
    for (const p of parts(el, 'message-text')) equal(p.children.length, 0, 'no element made from text');
    equal(all(el, 'script, b, img[src="x"]').length, 0);
    equal((window as any).__xss, 0);
  });

  it('keeps at most 200 message nodes, dropping the oldest', async () => {
    const { el, fake } = await mount(busyRoom({ messages: makeMessages(150) }));
    equal(parts(el, 'message').length, 100, 'history on join is the last 100');
    for (let i = 0; i < 130; i++) fake.post(users.ivy, `live ${i}`);
    await quiet(el);
    const ids = messageIds(el);
    equal(ids.length, MAX_MESSAGES);
    equal(ids.at(-1), 'm280');
    equal(ids[0], 'm81');
  });

  it('keeps each message in its own node as the list moves, so focus stays on the same message', async () => {
    const { el, fake } = await mount(busyRoom({ messages: makeMessages(150), limits: { historyLimit: 200 } }));
    const node = parts(el, 'message').find((m) => m.dataset.id === 'm120')!;
    const like = part<HTMLButtonElement>(node, 'like-button')!;
    like.focus();
    for (let i = 0; i < 60; i++) fake.post(users.ivy, `push ${i}`);
    await quiet(el);
    equal(messageIds(el)[0], 'm11', 'the oldest were dropped');
    equal(parts(el, 'message').find((m) => m.dataset.id === 'm120'), node, 'same node');
    equal((node.getRootNode() as ShadowRoot).activeElement, like, 'focus kept');
  });

  it('shares one toolbar: in the message the pointer is over or focus is in; the like (and its count) in every message', async () => {
    const { el } = await mount(emptyRoom({ messages: [message(1, 'one', users.anna, { likes: 2 }), message(2, 'two', users.bo), message(3, 'three', users.cleo)] }), { width: 600 });
    const [one, two, three] = parts(el, 'message');
    const toolbarIn = () => parts(el, 'react-button').map((b) => parts(el, 'message').findIndex((m) => m.contains(b)));
    equal(parts(el, 'like-button').length, 3, 'a like button in every message');
    equal(text(part(one!, 'like-button')), '2 Like');
    deepEqual(toolbarIn(), [], 'no toolbar before the pointer or focus comes');
    // The real pointer.
    const box = two!.getBoundingClientRect();
    await sendMouse({ type: 'move', position: [Math.round(box.x + box.width / 2), Math.round(box.y + box.height / 2)] });
    await until(() => toolbarIn().join() === '1', 'the toolbar in the message pointed at');
    ok(part(two!, 'reply-button') && part(two!, 'hide-button'), 'react, reply and hide');
    hover(one!);
    deepEqual(toolbarIn(), [0], 'follows the pointer');
    // Focus: the like button (the toolbar's tab stop) brings the toolbar with it, and keeps it.
    part<HTMLButtonElement>(three!, 'like-button')!.focus();
    deepEqual(toolbarIn(), [2], 'in the focused message');
    await sendKeys({ press: 'ArrowRight' });
    equal(part(three!, 'react-button')!.matches(':focus'), true, 'the keyboard on its tools');
    hover(one!);
    deepEqual(toolbarIn(), [2], 'stays while the keyboard is on its tools');
    part<HTMLInputElement>(el, 'input')!.focus();
    await sendMouse({ type: 'move', position: [0, 0] });
    await until(() => toolbarIn().length === 0, 'gone once the pointer and focus left');
  });

  it('a message is a few elements (issue 10, item 9: no element, shadow root or buttons of its own but the like)', async () => {
    const { el } = await mount(emptyRoom({ messages: [message(1, 'plain words', users.dev)] }));
    const row = parts(el, 'message')[0]!;
    equal(row.shadowRoot, null);
    // The row, avatar, author, time, text, toolbar, like and its hidden label.
    equal(row.querySelectorAll('*').length + 1, 8);
  });

  it('drops a message pushed twice (same id)', async () => {
    const { el, fake } = await mount(emptyRoom());
    const m = fake.post(users.bo, 'once');
    fake.push('message:new', m);
    await quiet(el);
    equal(messageIds(el).join(), m.id);
  });

  it('fires lc-message once per live message (not for history)', async () => {
    const { el, fake, events } = await mount(busyRoom({ messages: makeMessages(10) }));
    const m = fake.post(users.bo, 'live one');
    fake.push('message:new', m);
    await quiet(el);
    const got = events.filter((e) => e.type === 'lc-message') as LcMessageEvent[];
    equal(got.length, 1);
    equal(got[0]!.detail.message.text, 'live one');
    equal(got[0]!.detail.own, false);
    ok(got[0]!.bubbles && got[0]!.composed, 'bubbles and composed');
  });

  it('likes a message: count from the ack, aria-pressed, lc-like; a second press unlikes', async () => {
    const { el, events } = await mount(emptyRoom({ messages: [message(1, 'like me', users.bo, { likes: 4 })] }));
    const button = part<HTMLButtonElement>(el, 'like-button')!;
    equal(text(button), '4 Like');
    equal(button.getAttribute('aria-pressed'), 'false');
    button.click();
    await quiet(el);
    equal(parseInt(text(button)), 5);
    equal(button.getAttribute('aria-pressed'), 'true');
    const like = events.find((e) => e.type === 'lc-like') as LcLikeEvent;
    equal(JSON.stringify(like.detail), JSON.stringify({ roomId: 'lobby', messageId: 'm1', likes: 5, liked: true }));
    button.click();
    await quiet(el);
    equal(parseInt(text(button)), 4);
    equal(button.getAttribute('aria-pressed'), 'false');
  });

  it('updates likes and deletions pushed by the server', async () => {
    const { el, fake } = await mount(emptyRoom({ messages: [message(1, 'a', users.bo), message(2, 'b', users.ivy)] }));
    fake.push('message:likes', { roomId: 'lobby', messageId: 'm1', likes: 12 });
    fake.push('message:deleted', { roomId: 'lobby', messageId: 'm2' });
    await quiet(el);
    equal(parseInt(text(part(parts(el, 'message')[0]!, 'like-button'))), 12);
    equal(text(part(parts(el, 'message')[1]!, 'message-text')), 'Message deleted');
  });

  it('shows relative times through Intl', async () => {
    const at = new Date(Date.now() - 5 * 60_000).toISOString();
    const { el } = await mount(emptyRoom({ messages: [message(1, 'old', users.bo, { createdAt: at })] }));
    const time = part(el, 'time')!;
    equal(time.getAttribute('datetime'), at);
    equal(text(time), '5 min. ago');
  });

  it('follows the bottom, unless the reader scrolled up: then a "New messages" pill', async () => {
    const { el, fake } = await mount(busyRoom({ messages: makeMessages(100) }), { height: 500 });
    const log = all(el, '[role="log"]')[0]!;
    const atBottom = () => log.scrollHeight - log.scrollTop - log.clientHeight < 48;
    await until(atBottom, 'starts at the bottom');
    fake.post(users.bo, 'while at the bottom');
    await quiet(el);
    await until(atBottom, 'still at the bottom');
    equal(part(el, 'new-messages'), undefined);

    log.scrollTop = 0;
    log.dispatchEvent(new Event('scroll'));
    fake.post(users.bo, 'one');
    fake.post(users.ivy, 'two');
    await quiet(el);
    equal(log.scrollTop, 0, 'stays where the reader is');
    const pill = await until(() => part<HTMLButtonElement>(el, 'new-messages'), 'pill');
    match(text(pill), /New messages \(2\)/);
    pill.click();
    await settle(el);
    ok(atBottom(), 'back at the bottom');
    equal(part(el, 'new-messages'), undefined);
  });

  it('is a role="log" whose new messages are announced politely and in batches', async () => {
    const { el, fake } = await mount(busyRoom({ messages: makeMessages(5) }));
    const log = all(el, '[role="log"]')[0]!;
    equal(log.getAttribute('aria-live'), 'off', 'the log itself does not read every message');
    const region = all(el, 'lc-message-list')[0]!.shadowRoot!.querySelector('[aria-live="polite"]')!;
    equal(text(region), '');
    // Every text the region ever holds, in order: batching means one announcement for five.
    const said: string[] = [];
    const watch = new MutationObserver(() => text(region) && said.at(-1) !== text(region) && said.push(text(region)));
    watch.observe(region, { childList: true, characterData: true, subtree: true });
    for (let i = 0; i < 5; i++) fake.post(users.bo, `fast ${i}`);
    await until(() => said.length, 'the batch announcement');
    fake.post(users.ivy, 'just me');
    await until(() => said.length === 2, 'the next announcement');
    watch.disconnect();
    deepEqual(said, ['5 new messages', 'Ivy: just me']);
  });
});

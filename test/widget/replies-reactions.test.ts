/**
 * Replies and reactions (issue 10, items 1 and 3). Replies: the reply button starts an answer
 * ("Replying to Ana"), the message goes with replyTo and shows the quote (author, first 100
 * characters) above its text; activating the quote scrolls to the original. Reactions: the
 * toolbar's picker toggles one of 👍 ❤️ 😂 😮 🎉 per user; chips show the counts (❤️ is the like
 * button), broadcast counts from others update them.
 */
import { emptyRoom, makeMessages, message, users } from '../support/fixtures.ts';
import { afterEach, cleanup, describe, equal, hover, it, mount, ok, part, parts, quiet, text, typeAndSend, until } from './helpers.ts';
import type { LiveChat } from '../../widget/live-chat.ts';

const byText = (el: LiveChat, t: string) => parts(el, 'message').find((m) => text(part(m, 'message-text')) === t);

describe('replies', () => {
  afterEach(cleanup);

  it('reply button, "Replying to", the quote on the sent message and on the server, cancel', async () => {
    const long = 'x'.repeat(90) + ' and more than a hundred characters';
    const { el, fake } = await mount(emptyRoom({ messages: [message(1, long, users.anna)] }));
    part<HTMLButtonElement>(hover(byText(el, long)!), 'reply-button')!.click();
    await quiet(el);
    equal(text(part(el, 'reply-preview')), `Replying to Anna Host: ${long}`);
    await typeAndSend(el, 'good point');
    equal(part(el, 'reply-preview'), undefined, 'the composer is a plain one again');
    const reply = await until(() => (byText(el, 'good point')?.dataset.seq ? byText(el, 'good point') : undefined), 'acked');
    const quote = part(reply, 'reply-quote')!;
    equal(text(quote), `Anna Host ${long.slice(0, 100).trim()}`);
    const sent = fake.calls.find((c) => c.method === 'send')!;
    equal(sent.payload.replyTo, 'm1');
    equal(fake.messages.at(-1)!.replyTo!.id, 'm1');

    part<HTMLButtonElement>(hover(byText(el, long)!), 'reply-button')!.click();
    await quiet(el);
    part<HTMLButtonElement>(el, 'cancel-reply')!.click();
    await quiet(el);
    equal(part(el, 'reply-preview'), undefined);
  });

  it('activating a quote scrolls to the original and focuses it', async () => {
    const history = makeMessages(60);
    const first = history[0]!;
    const { el, fake } = await mount(emptyRoom({ messages: history }));
    fake.post(users.cleo, 'replying to the first', { replyTo: { id: first.id, seq: first.seq, userId: first.user.id, name: first.user.name, text: first.text } });
    await quiet(el);
    const log = part(el, 'message-list')!.shadowRoot!.querySelector<HTMLElement>('.log')!;
    await until(() => log.scrollTop > 0, 'at the bottom');
    part<HTMLButtonElement>(byText(el, 'replying to the first')!, 'reply-quote')!.click();
    const original = parts(el, 'message').find((m) => m.dataset.id === first.id)!;
    await until(() => Math.abs(original.getBoundingClientRect().top - log.getBoundingClientRect().top) < log.clientHeight, 'the original in view');
    equal(original.matches(':focus'), true);
  });

  it('a reply to a message the server does not know is refused with not_found, its text given back', async () => {
    const { el } = await mount(emptyRoom({ messages: [message(1, 'soon deleted', users.anna)] }));
    part<HTMLButtonElement>(hover(byText(el, 'soon deleted')!), 'reply-button')!.click();
    el.stores.ui.replyTo({ ...el.stores.messages.$messages.get()[0]!, id: 'gone' });
    await typeAndSend(el, 'to nothing');
    await until(() => part<HTMLInputElement>(el, 'input')!.value === 'to nothing', 'the text back');
  });
});

describe('reactions', () => {
  afterEach(cleanup);

  it('the picker toggles my reaction; chips show counts, aria-pressed when mine; ❤️ is the like', async () => {
    const { el, fake } = await mount(emptyRoom({ messages: [message(1, 'react to me', users.anna)] }));
    const node = () => byText(el, 'react to me')!;
    part<HTMLButtonElement>(hover(node()), 'react-button')!.click();
    await quiet(el);
    const options = parts<HTMLButtonElement>(node(), 'reaction-option');
    equal(options.map((o) => text(o)).join(' '), '👍 ❤️ 😂 😮 🎉');
    options[4]!.click();
    await quiet(el);
    equal(part(node(), 'reaction-picker'), undefined, 'the picker closes');
    const chip = part<HTMLButtonElement>(node(), 'reaction')!;
    equal(text(chip), '🎉 1');
    equal(chip.getAttribute('aria-pressed'), 'true');
    equal(fake.calls.filter((c) => c.method === 'react').length, 1);

    // Others react: the broadcast updates the counts.
    fake.push('message:reactions', { roomId: 'lobby', messageId: 'm1', reactions: { '🎉': 3, '👍': 2, '❤️': 4 } });
    await quiet(el);
    equal(parts(node(), 'reaction').map((c) => text(c)).join(' '), '👍 2 🎉 3');
    equal(text(part(node(), 'like-button')), '4 Like', 'the ❤️ count is the like count');

    // Toggle off by the chip.
    part<HTMLButtonElement>(node(), 'reaction', )!.click();
    await quiet(el);
    equal(fake.calls.filter((c) => c.method === 'react').at(-1)!.payload.emoji, '👍');
  });

  it('the toolbar is one tab stop; arrow keys reach react, reply and hide', async () => {
    const { el } = await mount(emptyRoom({ messages: [message(1, 'tools', users.anna)] }));
    const node = byText(el, 'tools')!;
    const like = part<HTMLButtonElement>(node, 'like-button')!;
    like.focus();
    like.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true, composed: true }));
    const root = node.getRootNode() as ShadowRoot;
    const active = () => root.activeElement?.getAttribute('part');
    equal(active(), 'react-button');
    ok(node.contains(root.activeElement), 'in the focused message');
    root.activeElement!.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true, composed: true }));
    equal(active(), 'reply-button');
    root.activeElement!.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true, composed: true }));
    equal(active(), 'hide-button');
    root.activeElement!.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true, composed: true }));
    equal(active(), 'like-button', 'around to the like');
    ok(parts(node, 'react-button').every((b) => b.tabIndex === -1));
  });
});

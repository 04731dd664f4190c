/**
 * Hiding a user for myself (issue 10, item 7): their messages go from my list (not from the
 * room), the choice is remembered per server and room in localStorage (a new page of the same
 * room hides them too; another room does not), and it can be undone.
 */
import { emptyRoom, message, users } from '../support/fixtures.ts';
import { afterEach, cleanup, describe, equal, hover, it, mount, ok, part, parts, quiet, text } from './helpers.ts';
import type { LiveChat } from '../../widget/live-chat.ts';

const authors = (el: LiveChat) => parts(el, 'message').map((m) => text(part(m, 'author')));
const history = () => [message(1, 'hi from Anna', users.anna), message(2, 'hi from Cleo', users.cleo), message(3, 'Anna again', users.anna)];

describe('hide a user', () => {
  afterEach(cleanup);

  it('hides their messages, past and new, keeps them hidden in a new page of the room, and undoes', async () => {
    const server = `https://hide-${Math.random().toString(36).slice(2)}.test`;
    const { el, fake } = await mount(emptyRoom({ messages: history() }), { attrs: { server } });
    const anna = parts(el, 'message')[0]!;
    const button = part<HTMLButtonElement>(hover(anna), 'hide-button')!;
    equal(button.getAttribute('aria-label'), 'Hide messages from Anna Host');
    button.click();
    await quiet(el);
    equal(authors(el).join(), 'Cleo Mod');
    equal(text(part(el, 'hidden-notice')), 'Messages from Anna Host are hidden for you. Undo');
    fake.post(users.anna, 'still talking');
    fake.post(users.cleo, 'me too');
    await quiet(el);
    equal(authors(el).join(), 'Cleo Mod,Cleo Mod', 'new messages of a hidden user are not shown');
    equal(fake.messages.filter((m) => m.user.id === users.anna.id).length, 3, 'still in the room');
    cleanup();

    // A new page of the same server and room.
    const second = await mount(emptyRoom({ messages: history() }), { attrs: { server } });
    equal(authors(second.el).join(), 'Cleo Mod', 'remembered');
    equal(text(part(second.el, 'hidden-notice')), '1 person hidden. Show all');
    // Another room of the server: not hidden there.
    const other = await mount(emptyRoom({ messages: history(), room: { id: 'stage' } }), { attrs: { server, room: 'stage' } });
    equal(authors(other.el).length, 3);
    equal(part(other.el, 'hidden-notice'), undefined);

    part<HTMLButtonElement>(second.el, 'undo-button')!.click();
    await quiet(second.el);
    equal(authors(second.el).length, 3, 'shown again');
    equal(part(second.el, 'hidden-notice'), undefined);
  });

  it('undo right after hiding brings them back; my own messages have no hide button', async () => {
    const { el, fake } = await mount(emptyRoom({ messages: history() }));
    fake.post(fake.me.user, 'mine');
    await quiet(el);
    const mine = parts(el, 'message').find((m) => text(part(m, 'message-text')) === 'mine')!;
    equal(part(hover(mine), 'hide-button'), undefined);
    part<HTMLButtonElement>(hover(parts(el, 'message')[1]!), 'hide-button')!.click();
    await quiet(el);
    equal(authors(el).filter((a) => a === 'Cleo Mod').length, 0);
    part<HTMLButtonElement>(el, 'undo-button')!.click();
    await quiet(el);
    ok(authors(el).includes('Cleo Mod'));
    equal(part(el, 'hidden-notice'), undefined);
  });
});

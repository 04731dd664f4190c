/**
 * Scrollback (issue 10, item 5): at the top of the list older messages load by beforeSeq
 * pages (GET /api/rooms/:roomId/messages through the transport's history), at most 200 message
 * nodes are mounted at any time, and back at the bottom the live end (and live follow) resumes.
 */
import { emptyRoom, makeMessages, users } from '../support/fixtures.ts';
import { afterEach, cleanup, describe, equal, it, mount, ok, part, parts, quiet, text, until } from './helpers.ts';
import type { LiveChat } from '../../widget/live-chat.ts';

const seqs = (el: LiveChat) => parts(el, 'message').map((m) => Number(m.dataset.seq));
const logOf = (el: LiveChat) => part(el, 'message-list')!.shadowRoot!.querySelector<HTMLElement>('.log')!;

async function scrollTo(el: LiveChat, where: 'top' | 'bottom'): Promise<void> {
  const log = logOf(el);
  log.scrollTop = where === 'top' ? 0 : log.scrollHeight;
  log.dispatchEvent(new Event('scroll'));
  await quiet(el);
}

describe('scrollback', () => {
  afterEach(cleanup);

  it('pages back by beforeSeq at the top, never more than 200 nodes, and follows live again at the bottom', async function () {
    this.timeout(20_000);
    const { el, fake } = await mount(emptyRoom({ messages: makeMessages(450), limits: { historyLimit: 200 } }));
    equal(seqs(el)[0], 251, 'the join holds the newest 200');
    await until(() => logOf(el).scrollTop > 0, 'at the bottom');

    await scrollTo(el, 'top');
    await until(() => seqs(el)[0] === 201, 'the page before 251');
    equal(fake.calls.filter((c) => c.method === 'history').at(-1)!.payload.beforeSeq, 251);
    ok(seqs(el).length <= 200, `${seqs(el).length} nodes`);
    await until(() => logOf(el).scrollTop > 0, 'the reader kept where they were, not thrown to the new top');

    await scrollTo(el, 'top');
    await until(() => seqs(el)[0] === 151, 'another page');
    equal(seqs(el).length, 200, 'the newest left the window');
    equal(seqs(el).at(-1), 350);

    // A live message meanwhile is not shown in the window paged back to...
    fake.post(users.anna, 'live while reading old ones');
    await quiet(el);
    equal(parts(el, 'message').some((m) => text(part(m, 'message-text')) === 'live while reading old ones'), false);
    // ...and is there once back at the bottom, which follows live again.
    await scrollTo(el, 'bottom');
    await until(() => seqs(el).at(-1) === 451, 'the live end');
    ok(seqs(el).length <= 200);
    fake.post(users.kim, 'and another one');
    await until(() => seqs(el).at(-1) === 452, 'live follow');
  });

  it('does not page back from a list that is near its top only because it barely overflows', async function () {
    this.timeout(20_000);
    const { el, fake } = await mount(emptyRoom({ messages: makeMessages(30), limits: { historyLimit: 10 } }));
    await quiet(el);
    // Size the widget so the list overflows by 20 px: at the bottom, the reader is also within 48 px of the top.
    const log = logOf(el);
    for (let i = 0; i < 5 && log.scrollHeight - log.clientHeight !== 20; i++) {
      el.style.height = `${el.getBoundingClientRect().height + (log.scrollHeight - log.clientHeight - 20)}px`;
      await quiet(el);
    }
    equal(log.scrollHeight - log.clientHeight, 20, 'the list overflows by 20 px');
    await scrollTo(el, 'bottom');
    equal(fake.calls.filter((c) => c.method === 'history').length, 0, 'no page asked for at the live end');
    equal(seqs(el)[0], 21, 'still the newest 10');
  });

  it('stops at the room\'s first message', async function () {
    this.timeout(20_000);
    const { el, fake } = await mount(emptyRoom({ messages: makeMessages(230) }));
    await until(() => logOf(el).scrollTop > 0, 'at the bottom');
    for (let i = 0; i < 5 && seqs(el)[0] !== 1; i++) await scrollTo(el, 'top');
    equal(seqs(el)[0], 1, 'the first message');
    const asked = fake.calls.filter((c) => c.method === 'history').length;
    await scrollTo(el, 'top');
    await quiet(el);
    equal(fake.calls.filter((c) => c.method === 'history').length, asked, 'nothing more to ask');
  });
});

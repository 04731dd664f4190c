/**
 * Mentions (issue 10, item 2): "@" opens a keyboard-driven list of recent chatters; a message
 * that mentions me is part="message mention" and counted in the "New messages" pill.
 */
import { sendKeys } from '@web/test-runner-commands';
import { emptyRoom, member, message, users } from '../support/fixtures.ts';
import { mentions } from '../../widget/state/mentions.ts';
import { afterEach, cleanup, describe, equal, it, mount, ok, part, parts, quiet, text, until } from './helpers.ts';

describe('mentions', () => {
  afterEach(cleanup);

  it('the rule: @ and the whole name or its first word, not a longer word', () => {
    ok(mentions('hi @Sam!', 'Sam Viewer'));
    ok(mentions('hey @sam viewer, look', 'Sam Viewer'));
    ok(!mentions('hi @Samantha', 'Sam Viewer'));
    ok(!mentions('email sam@example.com', 'Sam Viewer'));
  });

  it('a message that mentions me is part="message mention"; others are not', async () => {
    const { el, fake } = await mount(emptyRoom({ me: member, messages: [message(1, 'hello all', users.anna), message(2, 'welcome @Sam!', users.kim)] }));
    fake.post(users.bo, '@sam viewer did you see that?');
    await quiet(el);
    equal(parts(el, 'mention').map((m) => text(part(m, 'message-text'))).join(' | '), 'welcome @Sam! | @sam viewer did you see that?');
    equal(parts(el, 'message').length, 3);
  });

  it('mentions that arrive while scrolled up are counted in the "New messages" pill', async () => {
    const { el, fake } = await mount(emptyRoom({ me: member, messages: Array.from({ length: 60 }, (_, i) => message(i + 1, `line ${i + 1}`, users.anna)) }));
    const log = part(el, 'message-list')!.shadowRoot!.querySelector<HTMLElement>('.log')!;
    await until(() => log.scrollTop > 0, 'at the bottom');
    log.scrollTop = 0;
    log.dispatchEvent(new Event('scroll'));
    fake.post(users.kim, 'plain');
    fake.post(users.bo, 'ping @Sam');
    await quiet(el);
    const pill = await until(() => part(el, 'new-messages'), 'the pill');
    equal(text(part(pill, 'mention-count')), '@1');
    match2(text(pill), /\(2\)/);
  });

  it('@ opens recent chatters; arrows move, Enter completes, Escape closes', async () => {
    const { el } = await mount(emptyRoom({ me: member, messages: [message(1, 'a', users.anna), message(2, 'b', users.bo), message(3, 'c', users.kim), message(4, 'd', users.anna)] }));
    const input = part<HTMLInputElement>(el, 'input')!;
    input.focus();
    await sendKeys({ type: 'hi @' });
    await quiet(el);
    const names = () => parts(el, 'mention-option').map((o) => text(o));
    equal(names().join(), `${users.anna.name},${users.kim.name},${users.bo.name}`, 'newest first, each once');
    await sendKeys({ type: 'k' });
    await quiet(el);
    equal(names().join(), users.kim.name);
    await sendKeys({ press: 'Backspace' });
    await quiet(el);
    await sendKeys({ press: 'ArrowDown' });
    await quiet(el);
    equal(parts(el, 'mention-option')[1]!.getAttribute('aria-selected'), 'true');
    await sendKeys({ press: 'Enter' });
    await quiet(el);
    equal(input.value, `hi @${users.kim.name} `);
    equal(names().length, 0, 'closed after completing');
    await sendKeys({ type: '@' });
    await quiet(el);
    ok(names().length > 0);
    await sendKeys({ press: 'Escape' });
    await quiet(el);
    equal(names().length, 0, 'Escape closes it');
    equal(input.value, `hi @${users.kim.name} @`, 'nothing was sent');
  });
});

function match2(actual: string, re: RegExp): void {
  ok(re.test(actual), `${actual} should match ${re}`);
}

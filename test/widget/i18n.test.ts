import { busyRoom, emptyRoom, guest, member, message, rooms, texts, users } from '../support/fixtures.ts';
import { createLocale, registerCatalogue } from '../../widget/i18n/locale.ts';
import { en } from '../../widget/i18n/en.ts';
import { sv } from '../../widget/i18n/sv.ts';
import { afterEach, cleanup, describe, equal, it, match, mount, ok, part, settle, text } from './helpers.ts';

describe('languages', () => {
  afterEach(() => {
    cleanup();
    document.documentElement.lang = 'en';
  });

  it('the Swedish catalogue has every key of the English one', () => {
    const keys = (o: object): string[] => Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' ? keys(v).map((x) => `${k}.${x}`) : [k])).sort();
    equal(keys(sv).join(), keys(en).join());
  });

  it('lang="sv": Swedish strings, Swedish numbers and times', async () => {
    const at = new Date(Date.now() - 3 * 60_000).toISOString();
    const { el } = await mount(busyRoom({ messages: [message(1, 'hej', users.anna, { createdAt: at })], stats: { viewers: 12_345, likes: 0 }, room: rooms.closed() }), { attrs: { lang: 'sv' } });
    equal(text(part(el, 'composer-status')), 'Chatten har stängt');
    equal(text(part(el, 'viewer-count')), '12,3 tn');
    equal(text(part(el, 'time')), 'för 3 min sen');
    equal(text(part(el, 'badge-host')), 'VÄRD');
    equal(part(el, 'base')!.getAttribute('lang'), 'sv');
  });

  it('message counts agree in number in both catalogues', () => {
    equal(en.messagesCount(1, '1'), '1 message');
    equal(en.messagesCount(2, '2'), '2 messages');
    equal(sv.messagesCount(1, '1'), '1 meddelande');
    equal(sv.messagesCount(1200, '1,2 tn'), '1,2 tn meddelanden');
  });

  it('falls back to the page <html lang>, and follows a change of the lang attribute', async () => {
    document.documentElement.lang = 'sv-SE';
    const { el } = await mount(busyRoom({ me: guest }));
    equal(text(part(el, 'composer-status')), 'Logga in för att chatta');
    el.setAttribute('lang', 'en');
    await settle(el);
    equal(text(part(el, 'composer-status')), 'Sign in to chat');
  });

  it('an unknown language shows English strings with that language’s number format', async () => {
    const { el } = await mount(emptyRoom({ stats: { viewers: 1500, likes: 0 } }), { attrs: { lang: 'de' } });
    equal(text(part(el, 'composer-status')), '');
    equal(text(part(el, 'viewer-count')), '1500');
    equal(part(el, 'input')!.getAttribute('placeholder'), 'Say something…');
  });

  it('registerCatalogue adds a language', async () => {
    registerCatalogue('xx', { ...en, closed: 'XX closed' });
    const { el } = await mount(busyRoom({ room: rooms.closed() }), { attrs: { lang: 'xx' } });
    equal(text(part(el, 'composer-status')), 'XX closed');
  });

  it('right to left: dir from an RTL lang, or from the dir attribute', async () => {
    const arabic = await mount(busyRoom({ messages: [message(1, texts.rtl, users.rtl)] }), { attrs: { lang: 'ar' } });
    const base = part(arabic.el, 'base')!;
    equal(base.getAttribute('dir'), 'rtl');
    equal(getComputedStyle(part(arabic.el, 'message-text')!).direction, 'rtl');
    // Avatar on the right of the text in RTL.
    const row = part(arabic.el, 'message')!;
    const avatar = part(row, 'avatar')!.getBoundingClientRect();
    const body = part(row, 'message-text')!.getBoundingClientRect();
    equal(avatar.left > body.left, true, 'avatar at the start (right) edge');

    const forced = await mount(emptyRoom(), { attrs: { dir: 'rtl', lang: 'en' } });
    equal(part(forced.el, 'base')!.getAttribute('dir'), 'rtl');
    const ltr = await mount(emptyRoom(), { attrs: { lang: 'he', dir: 'ltr' } });
    equal(part(ltr.el, 'base')!.getAttribute('dir'), 'ltr');
  });

  it('right to left without a catalogue: the English UI strings keep their own order', async () => {
    const { el } = await mount(emptyRoom({ me: member }), { attrs: { lang: 'ar' } });
    equal(part(el, 'base')!.getAttribute('dir'), 'rtl');
    /** The left edge (px) of the first `ch` in the text of `node`, as rendered. */
    const leftOf = (node: Element, ch: string) => {
      const t = [...node.childNodes].find((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.includes(ch))!;
      const range = document.createRange();
      range.setStart(t, t.textContent!.indexOf(ch));
      range.setEnd(t, t.textContent!.indexOf(ch) + 1);
      return range.getBoundingClientRect().left;
    };
    // "32 / 50 XP today" in an RTL paragraph would read "XP today 50 / 32".
    const today = [...part(el, 'xp')!.querySelectorAll('span')].find((s) => /XP today/.test(s.textContent!))!;
    ok(leftOf(today, '3') < leftOf(today, '5') && leftOf(today, '5') < leftOf(today, 'X'), `reads "32 / 50 XP today"`);
    equal(part(el, 'input')!.getAttribute('dir'), 'auto', 'the placeholder and the typed text take their own direction');
    // "Level 5!" would show its "!" on the left.
    el.stores.ui.$toast.set({ id: 1, text: 'Level 5!' });
    await settle(el);
    const toast = part(el, 'toast')!.querySelector('bdi')!;
    ok(leftOf(toast, 'L') < leftOf(toast, '!'), 'the "!" ends the toast on the right');
  });

  it('formats counts compactly and countdowns as m:ss or h:mm:ss', () => {
    const l = createLocale('en');
    equal(l.compact(12_345), '12.3K');
    equal(l.compact(999), '999');
    equal(l.compact(2_500_000), '2.5M');
    equal(l.countdown(754_000), '12:34');
    equal(l.countdown(3_725_000), '1:02:05');
    equal(l.countdown(-5), '0:00');
    match(createLocale('not a tag!').relative(new Date().toISOString(), Date.now()), /now/);
    equal(createLocale('sv').t, sv);
  });
});

/**
 * Links in messages (issue 10, "Links"): http(s) URLs become links that open in a new tab
 * with rel="noopener noreferrer nofollow ugc"; nothing else becomes markup: javascript: and
 * data: URLs, HTML, look-alike hosts and bidi-control tricks stay text (or link to the real,
 * parsed URL).
 */
import { emptyRoom, users } from '../support/fixtures.ts';
import { afterEach, all, cleanup, describe, equal, it, mount, ok, part, parts, quiet, text } from './helpers.ts';

/** The links of the message whose text contains `needle`. */
async function linksOf(needle: string, posted: string) {
  const { el, fake } = await mount(emptyRoom());
  fake.post(users.anna, posted);
  await quiet(el);
  const node = parts(el, 'message').find((m) => text(part(m, 'message-text')).includes(needle));
  ok(node, `the message with "${needle}"`);
  return { el, node, links: all<HTMLAnchorElement>(node, 'a') };
}

describe('links in messages', () => {
  afterEach(cleanup);

  it('an https URL becomes a link to a new tab with rel="noopener noreferrer nofollow ugc"; the text around stays', async () => {
    const { node, links } = await linksOf('schedule', 'The schedule: https://example.com/live?day=2#stage, see you.');
    equal(links.length, 1);
    const a = links[0]!;
    equal(a.getAttribute('href'), 'https://example.com/live?day=2#stage');
    equal(a.getAttribute('target'), '_blank');
    equal(a.getAttribute('rel'), 'noopener noreferrer nofollow ugc');
    equal(a.getAttribute('part'), 'link');
    equal(text(a), 'https://example.com/live?day=2#stage', 'the trailing comma is not part of it');
    equal(text(part(node, 'message-text')), 'The schedule: https://example.com/live?day=2#stage, see you.');
  });

  it('http URLs, several per message, and a balanced ")" of a wiki link', async () => {
    const { links } = await linksOf('two', 'two: http://a.example/x and (https://en.wikipedia.org/wiki/Lit_(software)).');
    equal(links.map((a) => a.getAttribute('href')).join(' '), 'http://a.example/x https://en.wikipedia.org/wiki/Lit_(software)');
  });

  it('javascript: and data: URLs, and HTML, never become links or markup', async () => {
    (window as any).__xss = 0;
    const { node, links } = await linksOf(
      'tricks',
      'tricks javascript:window.__xss=1 data:text/html,<script>window.__xss=2</script> <a href="javascript:window.__xss=3">x</a> JAVASCRIPT://%0aalert(1)',
    );
    equal(links.length, 0, links.map((a) => a.href).join());
    equal(all(part(node, 'message-text')!, '*').length, 0, 'no element inside the text');
    ok(text(part(node, 'message-text')).includes('<a href="javascript:window.__xss=3">x</a>'), 'the HTML shows as characters');
    equal((window as any).__xss, 0);
  });

  it('a URL smuggled after javascript: links only to its http(s) part', async () => {
    const { links } = await linksOf('smuggle', 'smuggle javascript:alert(1)//https://evil.example/');
    equal(links.length, 1);
    equal(links[0]!.getAttribute('href'), 'https://evil.example/');
    equal(new URL(links[0]!.href).protocol, 'https:');
  });

  it('a look-alike host links to its real (punycode) name, shown on hover', async () => {
    // "аpple" with a Cyrillic а (U+0430).
    const { links } = await linksOf('look', 'look https://\u0430pple.com/login');
    equal(links.length, 1);
    equal(links[0]!.getAttribute('href'), 'https://xn--pple-43d.com/login');
    equal(links[0]!.getAttribute('title'), 'https://xn--pple-43d.com/login');
    equal(text(links[0]!), 'https://\u0430pple.com/login', 'the text is what was written');
  });

  it('bidi controls and invisible characters end a URL: the link never includes them', async () => {
    // U+202E (right-to-left override) would show "https://example.com/gpj.exe" reversed.
    const { links } = await linksOf('bidi', 'bidi https://example.com/\u202Eexe.jpg and https://ex\u200Bample.org/');
    equal(links.map((a) => a.getAttribute('href')).join(' '), 'https://example.com/ https://ex/');
    for (const a of links) ok(!/[\u200b-\u200f\u202a-\u202e\u2066-\u2069]/.test(a.textContent!), 'no control character inside a link');
  });

  it('a deleted message shows no link', async () => {
    const { el, fake } = await mount(emptyRoom());
    const m = fake.post(users.anna, 'gone https://example.com/');
    await quiet(el);
    fake.push('message:deleted', { roomId: 'lobby', messageId: m.id });
    await quiet(el);
    equal(all(el, 'a[part="link"]').length, 0);
  });
});

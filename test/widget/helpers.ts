/**
 * Small helpers for the widget tests (mocha globals typed, assertions, fixtures, waiting,
 * and queries through shadow roots). No assertion library: `node:assert` is not in the
 * browser, and these few cover what the tests say.
 */
import { html, render, type TemplateResult } from 'lit';
import '../../widget/live-chat.ts';
import type { LiveChat } from '../../widget/live-chat.ts';
import { FakeTransport, type FakeTransportOptions } from '../support/fake-transport.ts';

/** What mocha passes as `this` to a test. */
export interface TestContext {
  timeout(ms: number): void;
}
type Fn = (this: TestContext) => void | Promise<void>;
const g = globalThis as any;
export const describe: (name: string, fn: () => void) => void = g.describe;
export const it: (name: string, fn: Fn) => void = g.it;
export const beforeEach: (fn: Fn) => void = g.beforeEach;
export const afterEach: (fn: Fn) => void = g.afterEach;

export class AssertionError extends Error {}

export function ok(value: unknown, message = 'expected a truthy value'): asserts value {
  if (!value) throw new AssertionError(message);
}

export function equal<T>(actual: T, expected: T, message?: string): void {
  if (!Object.is(actual, expected)) {
    throw new AssertionError(`${message ? message + ': ' : ''}expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

export function deepEqual(actual: unknown, expected: unknown, message?: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new AssertionError(`${message ? message + ': ' : ''}expected ${e}, got ${a}`);
}

export function match(actual: string | null | undefined, re: RegExp, message?: string): void {
  if (actual == null || !re.test(actual)) {
    throw new AssertionError(`${message ? message + ': ' : ''}expected ${JSON.stringify(actual)} to match ${re}`);
  }
}

const containers: HTMLElement[] = [];

/**
 * Renders a template into a fresh container (default 420×640 px) on the page and returns
 * its first element, once it has rendered.
 */
export async function fixture<T extends Element>(template: TemplateResult, { width = 420, height = 640 } = {}): Promise<T> {
  const box = document.createElement('div');
  box.style.cssText = `width:${width}px;height:${height}px`;
  document.body.append(box);
  containers.push(box);
  render(template, box);
  const el = box.firstElementChild as T;
  await settle(el);
  return el;
}

/** Removes every fixture (call in afterEach). */
export function cleanup(): void {
  for (const box of containers.splice(0)) {
    render(null, box);
    box.remove();
  }
}

/** Waits until the element and every Lit element inside it have no pending update. */
export async function settle(root: Element): Promise<void> {
  for (let i = 0; i < 20; i++) {
    const pending = all<Element>(root, '*').filter((e: any) => e.isUpdatePending);
    if ((root as any).isUpdatePending) pending.push(root);
    if (!pending.length) return;
    await Promise.all(pending.map((e: any) => e.updateComplete));
  }
}

/** Waits for `predicate` to hold (polling each task), or fails with `what` after `ms`. */
export async function until<T>(predicate: () => T, what: string, ms = 4000): Promise<NonNullable<T>> {
  const start = performance.now();
  for (;;) {
    const value = predicate();
    if (value) return value as NonNullable<T>;
    if (performance.now() - start > ms) throw new AssertionError(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The fake each mounted element talks to (see {@link quiet}). */
const fakes = new WeakMap<Element, FakeTransport>();

/**
 * Waits until the element's fake server has nothing on its way (no ack or event waiting for
 * its latency: `FakeTransport.busy`) and the element and everything inside it have rendered;
 * what the widget does with an answer (the next send of the outbox, say) is waited for too.
 * For an element of {@link mount} (on any other, it only waits for the renders); fails after `ms`.
 */
export async function quiet(el: Element, ms = 4000): Promise<void> {
  const fake = fakes.get(el);
  // A real server (socket-transport.test.ts): what is on its way is unknown here; the test waits on what it expects.
  if (!fake) return settle(el);
  do {
    await until(() => !fake.busy, 'the fake server to go quiet', ms);
    await settle(el);
  } while (fake.busy);
}

/** Every element matching `selector` in `root` and all shadow roots below it, in tree order. */
export function all<T extends Element = HTMLElement>(root: Element | ShadowRoot | Document, selector: string): T[] {
  const out: T[] = [];
  const walk = (node: Element | ShadowRoot | Document) => {
    for (const el of node.querySelectorAll('*')) {
      if (el.matches(selector)) out.push(el as T);
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  if (root instanceof Element && root.shadowRoot) walk(root.shadowRoot);
  walk(root);
  return out;
}

/** The first element with `part~=name` anywhere below `root` (through shadow roots). */
export function part<T extends Element = HTMLElement>(root: Element, name: string): T | undefined {
  return all<T>(root, `[part~="${name}"]`)[0];
}

/** Every element with `part~=name` below `root`. */
export function parts<T extends Element = HTMLElement>(root: Element, name: string): T[] {
  return all<T>(root, `[part~="${name}"]`);
}

/**
 * Points at a message as the pointer does (`pointerover`), which shows the toolbar the list
 * shares between its messages (react, reply, hide, the moderation menu) in that message
 * (issue 10, item 9). Returns the message.
 */
export function hover<T extends Element>(message: T): T {
  message.dispatchEvent(new PointerEvent('pointerover', { bubbles: true, composed: true }));
  return message;
}

/** Text of an element with whitespace collapsed. */
export const text = (el: Element | undefined | null): string => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();

/* ------------------------------------------------------------------------------------------ */
/* <live-chat> on a FakeTransport                                                              */
/* ------------------------------------------------------------------------------------------ */


export interface Mounted {
  el: LiveChat;
  fake: FakeTransport;
  /** Events of these types the element fired, in order. */
  events: Event[];
}

let mounts = 0;

/** The DOM events a test may want to see. */
const EVENTS = ['lc-send', 'lc-message', 'lc-like', 'lc-error', 'lc-connection-change', 'lc-reward', 'lc-level-up'];

/**
 * A `<live-chat>` on a {@link FakeTransport} built from `options`, in a box of `width` px,
 * waited on until it is online (unless `online: false` or the fake refuses).
 */
export async function mount(
  options: FakeTransportOptions = {},
  { width = 420, height = 640, attrs = {} as Record<string, string>, props = {} as Partial<LiveChat>, waitOnline = true } = {},
): Promise<Mounted> {
  const fake = new FakeTransport(options);
  const events: Event[] = [];
  const el = document.createElement('live-chat');
  // A server of its own (the transport is the fake): the outbox a test leaves in IndexedDB,
  // kept per server, room and user, is not sent by the next test's element.
  el.setAttribute('server', `https://fake-${++mounts}.test`);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  for (const type of EVENTS) el.addEventListener(type, (e) => events.push(e));
  el.transport = fake;
  fakes.set(el, fake);
  Object.assign(el, props);
  await fixture(html`<div style="width:100%;height:100%"></div>`, { width, height }).then((box) => box.append(el));
  await settle(el);
  if (waitOnline && (options.online ?? true)) await until(() => el.stores.connection.$connection.get().status === 'online', 'online');
  await quiet(el);
  return { el, fake, events };
}

/** Types `text` into the composer and presses Enter (a real form submit). */
export async function typeAndSend(el: LiveChat, value: string): Promise<void> {
  const input = part<HTMLInputElement>(el, 'input')!;
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  await settle(el);
  input.form!.requestSubmit();
  await quiet(el);
}

/** The `data-id`s of the message nodes, in DOM order. */
export const messageIds = (el: Element): string[] => parts(el, 'message').map((m) => m.dataset.id!);

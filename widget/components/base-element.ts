import { ContextConsumer } from '@lit/context';
import { LitElement, type PropertyDeclarations } from 'lit';
import type { ReadableAtom } from 'nanostores';
import { createLocale, type Locale } from '../i18n/locale.ts';
import type { ChatStores } from '../state/chat-stores.ts';
import { storesContext } from '../state/context.ts';
import { StoreController } from '../state/store-controller.ts';

const english = createLocale('en');

/**
 * Registers a custom element, or warns when the tag is taken: a page may load the embed
 * script twice, and a second `customElements.define` would throw (STYLE.md rule 3).
 */
export function define(tag: string, element: CustomElementConstructor): void {
  if (customElements.get(tag)) {
    console.warn(`live-chat: <${tag}> is already defined (script loaded twice?)`);
  } else {
    customElements.define(tag, element);
  }
}

/**
 * The base of every inner element (`lc-header`, `lc-message-list`, …). It receives the
 * stores of the surrounding `<live-chat>` through `@lit/context`, or through the `stores`
 * property when an element is used alone (stories), and re-renders when the locale changes.
 */
export class LcElement extends LitElement {
  static override properties: PropertyDeclarations = { stores: { attribute: false } };

  /** The chat's stores: from the enclosing `<live-chat>` (`@lit/context`), or set by hand. */
  declare stores?: ChatStores;

  /**
   * Whether the element asks the enclosing `<live-chat>` for its stores (`@lit/context`).
   * `lc-message` does not: the list sets `stores` on each (a context request per message
   * costs in a busy room).
   * @internal
   */
  static consumesContext = true;

  constructor() {
    super();
    if ((this.constructor as typeof LcElement).consumesContext) new ContextConsumer(this, { context: storesContext, callback: (stores) => (this.stores = stores) });
  }

  private readonly localeStore = this.watch((s) => s.$locale);

  /** Strings and formatters of the chat's language (English until stores arrive). */
  protected get locale(): Locale {
    return this.localeStore.value ?? english;
  }

  /** Subscribes this element to one store; read it with `.value` in `render()`. */
  protected watch<T>(pick: (s: ChatStores) => ReadableAtom<T>): StoreController<T> {
    return new StoreController(this, () => this.stores && pick(this.stores));
  }
}

import { createContext } from '@lit/context';
import type { ChatStores } from './chat-stores.ts';

/**
 * The `@lit/context` key under which `<live-chat>` provides its {@link ChatStores} to every
 * inner element (STYLE.md rule 6: one set of stores per `<live-chat>` on the page).
 */
export const storesContext = createContext<ChatStores>(Symbol('lc-stores'));

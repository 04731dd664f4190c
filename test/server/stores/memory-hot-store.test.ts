/** Runs the hot-store contract against the in-memory store. */
import { createMemoryHotStore } from '../../../server/stores/memory-hot-store.ts';
import { hotStoreContract } from './hot-store.contract.ts';

hotStoreContract('memory', () => createMemoryHotStore());

/**
 * Cost that grows with history (issue 8): messages per second of a user who already sent
 * 20,000 messages in the session against a fresh user, through the chat service and the
 * ledger in this process (no sockets: the send path alone), on the ledger `env` selects.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import type { Identity } from '../server/services/identity.ts';

export interface HistoryCost {
  fresh: number;
  heavy: number;
  /** Messages the heavy user had sent before the timed run. */
  seeded: number;
}

/**
 * @param env `DATABASE_URL` for PostgreSQL; SQLite in a temp folder otherwise.
 * @param seeded messages the heavy user sends first (not timed); `timed` per user (in 4 rounds
 *   that alternate between the users), 16 in flight.
 */
export async function historyCost(env: Record<string, string>, seeded = 20_000, timed = 8000): Promise<HistoryCost> {
  const dataDir = mkdtempSync(join(tmpdir(), 'live-chat-bench-history-'));
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', NODE_ENV: 'development', MESSAGES_PER_MINUTE: '100000', ...env });
  const server = createServer(config);
  try {
    await server.ready;
    const { chat, identity } = server.services;
    const user = async (name: string) => identity.authenticate(await identity.mintDevToken(name, []));
    let n = 0;
    /** Sends `count` messages as `who`, 16 in flight; answers messages per second. */
    const run = async (who: Identity, count: number) => {
      const started = performance.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          while (next < count) {
            next++;
            await chat.send(who, { roomId: 'lobby', clientId: `history-cost-${++n}-bench`, text: `message ${n}` });
          }
        }),
      );
      return count / ((performance.now() - started) / 1000);
    };
    const heavy = await user('Heavy Hal');
    await run(heavy, seeded);
    const fresh = await user('Fresh Fay');
    // Rounds that alternate, so neither user always goes first (a WAL checkpoint, the GC or the
    // machine's other work lands on both alike): each rate is its messages over its summed time.
    const rounds = 4;
    const seconds = { fresh: 0, heavy: 0 };
    for (let r = 0; r < rounds; r++) {
      seconds.fresh += timed / rounds / (await run(fresh, timed / rounds));
      seconds.heavy += timed / rounds / (await run(heavy, timed / rounds));
    }
    return { fresh: timed / seconds.fresh, heavy: timed / seconds.heavy, seeded };
  } finally {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

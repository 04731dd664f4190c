/**
 * The Redis connections of the Socket.IO Redis adapter (several instances: a broadcast on one
 * reaches the sockets of all), kept working through Redis outages.
 *
 * The adapter subscribes once, when it is created. ioredis re-subscribes after a reconnect
 * only what had succeeded; a `subscribe` / `psubscribe` made while Redis is down fails after
 * `maxRetriesPerRequest` and is lost for good: an instance started during an outage would
 * never hear the others. So every subscription the adapter asks for is recorded, made again
 * each time the subscriber connection is `ready`, and its confirmation tracked; `ping()`
 * rejects until both connections are up and every subscription is confirmed (`/ready` reports
 * it under `redis`).
 *
 * The adapter also leaves some promises (publish, (un)subscribe) unobserved; while Redis is
 * down those would be unhandled rejections that stop the process, so they are observed (and
 * logged) here.
 */
import { Redis } from 'ioredis';
import type { Logger } from 'pino';

export interface RedisAdapterClients {
  pub: Redis;
  sub: Redis;
  /** Resolves when both connections are ready and every subscription is confirmed; rejects saying what is missing. */
  ping(): Promise<void>;
  /**
   * Resolves once {@link ping} passes, or after `timeoutMs` whatever the state (an instance
   * started during an outage starts anyway, and subscribes when Redis returns). Never rejects.
   */
  settled(timeoutMs: number): Promise<void>;
  /** QUITs both connections (or drops them when Redis is gone). */
  close(): Promise<void>;
}

type SubscribeCommand = 'subscribe' | 'psubscribe';

/** QUIT when connected, else drop the connection (no waiting for a Redis that is gone). */
async function closeClient(client: Redis): Promise<void> {
  if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
  else client.disconnect();
}

/**
 * Opens the publish and subscribe connections for `createAdapter(pub, sub)`.
 * @param url `REDIS_URL`.
 * @param logger failures of adapter commands are logged at `warn`; re-subscriptions after the
 *   subscriber's connection was lost or refused at `info` (`redis adapter subscribing again`).
 */
export function redisAdapterClients(url: string, logger: Logger): RedisAdapterClients {
  const pub = new Redis(url, { maxRetriesPerRequest: 2 });
  const sub = pub.duplicate();
  /** channel or pattern → confirmed by Redis since the subscriber connection last became ready. */
  const wanted = new Map<string, { command: SubscribeCommand; confirmed: boolean }>();

  for (const client of [pub, sub]) {
    client.on('error', () => {
      /* reconnects by itself; ping() says whether the adapter is usable */
    });
    const methods = client as unknown as Record<string, (...args: unknown[]) => unknown>;
    for (const name of ['publish', 'spublish', 'subscribe', 'psubscribe', 'unsubscribe', 'punsubscribe']) {
      const original = methods[name]!.bind(client);
      methods[name] = (...args: unknown[]) => {
        const channels = client === sub ? track(name, args) : [];
        const result = original(...args);
        if (result instanceof Promise) {
          result.then(
            () => channels.forEach(confirm),
            (err: unknown) => logger.warn({ err, command: name }, 'redis adapter command failed'),
          );
        }
        return result;
      };
    }
  }
  const raw = sub as unknown as Record<SubscribeCommand, (...channels: string[]) => Promise<unknown>>;

  /**
   * Records what the adapter (un)subscribes; answers the channels of a subscription, to be
   * confirmed when Redis answers it.
   */
  function track(command: string, args: unknown[]): string[] {
    const channels = args.flat().filter((a): a is string => typeof a === 'string');
    if (command === 'unsubscribe' || command === 'punsubscribe') {
      for (const c of channels) wanted.delete(c);
      return [];
    }
    if (command !== 'subscribe' && command !== 'psubscribe') return [];
    for (const c of channels) wanted.set(c, { command, confirmed: false });
    return channels;
  }
  function confirm(channel: string): void {
    const entry = wanted.get(channel);
    if (entry) entry.confirmed = true;
  }

  /** Set once the subscriber's connection was lost or refused: a clean start logs nothing. */
  let lost = false;
  sub.on('ready', () => {
    // Made again every time: Redis ignores a subscription it already has, and the wrapper
    // above confirms each one when Redis answers.
    for (const command of ['subscribe', 'psubscribe'] as const) {
      const channels = [...wanted].filter(([, e]) => e.command === command).map(([c]) => c);
      if (channels.length === 0) continue;
      if (lost) logger.info({ channels: channels.length, command }, 'redis adapter subscribing again');
      void raw[command](...channels);
    }
  });
  sub.on('close', () => {
    lost = true;
    for (const entry of wanted.values()) entry.confirmed = false;
  });

  return {
    pub,
    sub,
    async ping() {
      if (pub.status !== 'ready') throw new Error(`adapter publisher is ${pub.status}`);
      if (sub.status !== 'ready') throw new Error(`adapter subscriber is ${sub.status}`);
      const missing = [...wanted].filter(([, e]) => !e.confirmed).map(([c]) => c);
      if (missing.length > 0) throw new Error(`adapter not subscribed to ${missing.join(', ')}`);
    },
    async settled(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (await this.ping().then(() => true, () => false)) return;
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async close() {
      await Promise.all([closeClient(pub), closeClient(sub)]);
    },
  };
}

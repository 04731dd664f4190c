/** Runs the hot-store contract against the Redis store on a throwaway redis-server. */
import { after, before } from 'node:test';
import { createRedisHotStore } from '../../../server/stores/redis-hot-store.ts';
import { startRedis, type RedisFixture } from '../redis-fixture.ts';
import { hotStoreContract } from './hot-store.contract.ts';

let redis: RedisFixture;
let n = 0;
before(async () => {
  redis = await startRedis();
});
after(() => redis.stop());

hotStoreContract('redis', () => createRedisHotStore(redis.url, { prefix: `contract${++n}:` }));

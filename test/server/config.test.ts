/** Configuration from the environment (server/config.ts): defaults, parsing, refusals. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, DEV_JWT_SECRET, loadConfig } from '../../server/config.ts';

const refusal = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err;
  }
  assert.fail(`accepted ${JSON.stringify(env)}`);
};

describe('loadConfig', () => {
  it('has the documented defaults outside production', () => {
    const c = loadConfig({});
    assert.equal(c.port, 3000);
    assert.equal(c.host, '0.0.0.0');
    assert.equal(c.dataDir, './data');
    assert.equal(c.jwtSecret, DEV_JWT_SECRET);
    assert.equal(c.devTokens, true);
    assert.equal(c.allowGuests, true);
    assert.equal(c.guestCanPost, false);
    assert.equal(c.corsOrigins, '*');
    assert.equal(c.redisUrl, null);
    assert.equal(c.xpApiKey, null);
    assert.equal(c.logLevel, 'info');
    assert.deepEqual(
      [c.maxMessageLength, c.messagesPerMinute, c.historyLimit, c.replayWindow, c.roomLikesPerMinute],
      [2000, 10, 100, 500, 60],
    );
    assert.deepEqual(
      [c.xpPerMessage, c.dailyXpCap, c.coinsPerMessage, c.coinCooldownSeconds, c.statsIntervalMs, c.leaderboardSize],
      [1, 50, 1, 300, 250, 10],
    );
  });

  it('reads every variable', () => {
    const c = loadConfig({
      PORT: '8080',
      DATA_DIR: '/var/lib/chat',
      GUEST_CAN_POST: 'true',
      CORS_ORIGINS: 'https://a.example, https://b.example/',
      DAILY_XP_CAP: '10',
      COIN_COOLDOWN_SECONDS: '0',
      XP_API_KEY: 'k'.repeat(32),
      LOG_LEVEL: 'silent',
    });
    assert.equal(c.port, 8080);
    assert.equal(c.dataDir, '/var/lib/chat');
    assert.equal(c.guestCanPost, true);
    assert.deepEqual(c.corsOrigins, ['https://a.example', 'https://b.example']);
    assert.equal(c.dailyXpCap, 10);
    assert.equal(c.coinCooldownSeconds, 0);
    assert.equal(c.xpApiKey, 'k'.repeat(32));
    assert.equal(c.logLevel, 'silent');
  });

  it('closes the dev doors in production and needs a secret there', () => {
    assert.equal(refusal({ NODE_ENV: 'production' }).variable, 'JWT_SECRET');
    const c = loadConfig({ NODE_ENV: 'production', JWT_SECRET: 's'.repeat(32) });
    assert.equal(c.devTokens, false);
    assert.equal(c.allowGuests, false);
    assert.deepEqual(c.corsOrigins, []);
    const jwks = loadConfig({ NODE_ENV: 'production', JWKS_URL: 'https://id.example/.well-known/jwks.json' });
    assert.equal(jwks.jwtSecret, null, 'no HS256 secret falls back to the dev one in production');
    assert.equal(refusal({ NODE_ENV: 'production', JWKS_URL: 'https://id.example/jwks', DEV_TOKENS: 'true' }).variable, 'DEV_TOKENS');
  });

  it('names the variable of a bad value', () => {
    for (const [name, value] of [
      ['PORT', '70000'],
      ['PORT', '3.5'],
      ['MESSAGES_PER_MINUTE', '0'],
      ['ALLOW_GUESTS', 'sometimes'],
      ['LOG_LEVEL', 'loud'],
      ['JWT_SECRET', 'short'],
      ['CORS_ORIGINS', 'not an origin'],
      ['REDIS_URL', 'http://redis'],
      ['JWKS_URL', 'nope'],
      ['STATS_INTERVAL_MS', '0'],
      ['STATS_INTERVAL_MS', '249'],
    ] as const) {
      const err = refusal({ [name]: value });
      assert.equal(err.variable, name);
      assert.match(err.message, new RegExp(`^${name}: `));
    }
    assert.equal(loadConfig({ STATS_INTERVAL_MS: '250' }).statsIntervalMs, 250, 'at most 4 a second is allowed');
  });
});

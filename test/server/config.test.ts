/** Configuration from the environment (server/config.ts): defaults, parsing, refusals. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, DEV_JWT_SECRET, loadConfig, startupWarnings } from '../../server/config.ts';

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
    assert.equal(c.metricsToken, null);
    assert.equal(c.serveDemo, true);
    assert.equal(c.trustProxy, false);
    assert.equal(c.jwtAudience, null);
    assert.equal(c.jwtIssuer, null);
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
      METRICS_TOKEN: 'm'.repeat(24),
      SERVE_DEMO: 'false',
      TRUST_PROXY: '1',
      JWT_AUDIENCE: 'live-chat',
      JWT_ISSUER: 'https://id.example/',
    });
    assert.equal(c.port, 8080);
    assert.equal(c.dataDir, '/var/lib/chat');
    assert.equal(c.guestCanPost, true);
    assert.deepEqual(c.corsOrigins, ['https://a.example', 'https://b.example']);
    assert.equal(c.dailyXpCap, 10);
    assert.equal(c.coinCooldownSeconds, 0);
    assert.equal(c.xpApiKey, 'k'.repeat(32));
    assert.equal(c.logLevel, 'silent');
    assert.equal(c.metricsToken, 'm'.repeat(24));
    assert.equal(c.serveDemo, false);
    assert.equal(c.trustProxy, 1);
    assert.equal(c.jwtAudience, 'live-chat');
    assert.equal(c.jwtIssuer, 'https://id.example/');
  });

  it('reads TRUST_PROXY as a boolean, a hop count or a list of addresses', () => {
    const trust = (value: string) => loadConfig({ TRUST_PROXY: value }).trustProxy;
    assert.equal(trust('true'), true);
    assert.equal(trust('false'), false);
    assert.equal(trust('0'), false);
    assert.equal(trust('2'), 2);
    assert.deepEqual(trust('loopback, 10.0.0.0/8,fd00::/8, 203.0.113.7'), ['loopback', '10.0.0.0/8', 'fd00::/8', '203.0.113.7']);
    for (const bad of ['yes please', '10.0.0.0/33', '::1/129', '300.1.1.1', '10.0.0.1/8/2', '65', 'localhost', ',']) {
      const err = refusal({ TRUST_PROXY: bad });
      assert.equal(err.variable, 'TRUST_PROXY', bad);
    }
  });

  it('closes the dev doors in production and needs a secret there', () => {
    assert.equal(refusal({ NODE_ENV: 'production' }).variable, 'JWT_SECRET');
    const c = loadConfig({ NODE_ENV: 'production', JWT_SECRET: 's'.repeat(32) });
    assert.equal(c.devTokens, false);
    assert.equal(c.allowGuests, false);
    assert.deepEqual(c.corsOrigins, []);
    assert.equal(c.serveDemo, false);
    assert.equal(c.trustProxy, false);
    const idp = { NODE_ENV: 'production', JWKS_URL: 'https://id.example/.well-known/jwks.json', JWT_AUDIENCE: 'chat', JWT_ISSUER: 'https://id.example/' };
    const jwks = loadConfig(idp);
    assert.equal(jwks.jwtSecret, null, 'no HS256 secret falls back to the dev one in production');
    assert.equal(refusal({ ...idp, DEV_TOKENS: 'true' }).variable, 'DEV_TOKENS');
    assert.equal(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 's'.repeat(32), SERVE_DEMO: 'true' }).serveDemo, true);
  });

  it('needs JWT_AUDIENCE and JWT_ISSUER with JWKS_URL in production', () => {
    const idp = { NODE_ENV: 'production', JWKS_URL: 'https://id.example/jwks', JWT_AUDIENCE: 'chat', JWT_ISSUER: 'https://id.example/' };
    const noAudience = refusal({ ...idp, JWT_AUDIENCE: '' });
    assert.equal(noAudience.variable, 'JWT_AUDIENCE');
    assert.match(noAudience.message, /required with JWKS_URL when NODE_ENV=production/);
    assert.equal(refusal({ ...idp, JWT_ISSUER: '' }).variable, 'JWT_ISSUER');
    assert.equal(loadConfig({ ...idp, NODE_ENV: 'development', JWT_AUDIENCE: '', JWT_ISSUER: '' }).jwtAudience, null, 'optional outside production');
    assert.equal(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 's'.repeat(32) }).jwtAudience, null, 'optional with HS256 only');
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
      ['METRICS_TOKEN', 'short'],
      ['METRICS_TOKEN', 'has spaces in the middle'],
      ['SERVE_DEMO', 'maybe'],
      ['TRUST_PROXY', 'everyone'],
    ] as const) {
      const err = refusal({ [name]: value });
      assert.equal(err.variable, name);
      assert.match(err.message, new RegExp(`^${name}: `));
    }
    assert.equal(loadConfig({ STATS_INTERVAL_MS: '250' }).statsIntervalMs, 250, 'at most 4 a second is allowed');
  });
});

describe('DATABASE_URL and start-up warnings', () => {
  it('selects PostgreSQL with a postgres:// or postgresql:// URL, SQLite by default', () => {
    assert.equal(loadConfig({}).databaseUrl, null);
    const url = 'postgres://chat:secret@db.internal:5432/chat';
    assert.equal(loadConfig({ DATABASE_URL: url }).databaseUrl, url);
    assert.equal(loadConfig({ DATABASE_URL: 'postgresql://db/chat' }).databaseUrl, 'postgresql://db/chat');
    for (const bad of ['mysql://db/chat', 'db.internal', 'postgres://has space/x']) {
      assert.match(refusal({ DATABASE_URL: bad }).message, /^DATABASE_URL: expected a postgres:\/\/ or postgresql:\/\/ URL/);
    }
  });

  it('warns "one host only" for REDIS_URL with the SQLite ledger, and only then', () => {
    const [warning, ...more] = startupWarnings(loadConfig({ REDIS_URL: 'redis://cache:6379' }));
    assert.match(warning!, /one host only/);
    assert.match(warning!, /DATABASE_URL/);
    assert.deepEqual(more, []);
    assert.deepEqual(startupWarnings(loadConfig({ REDIS_URL: 'redis://cache:6379', DATABASE_URL: 'postgres://db/chat' })), []);
    assert.deepEqual(startupWarnings(loadConfig({})), [], 'one instance: nothing to warn about');
  });

  it('reads the group commit window (0..1000 ms) and batch size (1..10000)', () => {
    const defaults = loadConfig({});
    assert.deepEqual([defaults.groupCommitMs, defaults.groupCommitMaxMessages], [0, 64]);
    const set = loadConfig({ GROUP_COMMIT_MS: '2', GROUP_COMMIT_MAX_MESSAGES: '1' });
    assert.deepEqual([set.groupCommitMs, set.groupCommitMaxMessages], [2, 1]);
    for (const bad of ['-1', '1001', '1.5', 'soon']) assert.match(refusal({ GROUP_COMMIT_MS: bad }).message, /^GROUP_COMMIT_MS: /);
    for (const bad of ['0', '10001']) assert.match(refusal({ GROUP_COMMIT_MAX_MESSAGES: bad }).message, /^GROUP_COMMIT_MAX_MESSAGES: /);
  });

  it('reads the presence heartbeat and timeout (ms), the timeout at least twice the heartbeat', () => {
    const defaults = loadConfig({});
    assert.deepEqual([defaults.presenceHeartbeatMs, defaults.presenceTimeoutMs], [5000, 30_000]);
    const set = loadConfig({ PRESENCE_HEARTBEAT_MS: '200', PRESENCE_TIMEOUT_MS: '400' });
    assert.deepEqual([set.presenceHeartbeatMs, set.presenceTimeoutMs], [200, 400]);
    assert.equal(
      refusal({ PRESENCE_HEARTBEAT_MS: '200', PRESENCE_TIMEOUT_MS: '399' }).message,
      'PRESENCE_TIMEOUT_MS: must be at least twice PRESENCE_HEARTBEAT_MS (200 ms)',
    );
    assert.match(refusal({ PRESENCE_HEARTBEAT_MS: '20000' }).message, /^PRESENCE_TIMEOUT_MS: /, 'against the default timeout too');
    for (const bad of ['99', '60001', 'often']) assert.match(refusal({ PRESENCE_HEARTBEAT_MS: bad }).message, /^PRESENCE_HEARTBEAT_MS: /);
    for (const bad of ['199', '3600001']) assert.match(refusal({ PRESENCE_TIMEOUT_MS: bad }).message, /^PRESENCE_TIMEOUT_MS: /);
  });
});

/**
 * `npm run bench` (issue 8): the reference server side by side with a bare Socket.IO 4.8
 * server doing the same work without rules (bench/baseline-server.js), both started by this
 * run, on the SQLite ledger always and on PostgreSQL when Debian's `postgresql` is installed
 * (a throw-away server from the test fixture, test/helpers/postgres.ts). Clients run in load
 * generator processes (bench/load-worker.js), never in a server's process. Loopback only.
 *
 * Prints a Markdown table for the README: each figure of live-chat with its ratio to the bare
 * server measured in the same run (× bare), and the load average as it went. Scenarios take
 * turns between the servers, so a busy machine weighs on both alike.
 *
 * - join storm: STORM guests join a room with 100 messages of history at once (ROUNDS times)
 * - fan-out: one sender, FANOUT receivers, stepped rates (messages/s), each step at least 100 messages
 * - throughput: 8 senders in one room, 100 senders in 100 rooms, closed loop, then half the peak
 *   (ROUNDS times each); with PostgreSQL, also against the bare server acking after a commit of
 *   each group of messages (`BASELINE_DATABASE_URL`): what that database's round trip alone costs
 * - a user with 20,000 messages in the session against a fresh user (send path, in process)
 * - idle memory per connection, cold start to /health, the widget bundle
 *
 * Env: BENCH_QUICK=1 (fewer clients and steps, for a smoke run), BENCH_WORKERS (4), BENCH_ROUNDS
 * (3: rounds of the join storm and of each throughput run, medians reported),
 * BENCH_POSTGRES=0 (skip PostgreSQL), BENCH_ONLY=memory,join,fanout,throughput,history,startup (a
 * comma list: only these scenarios, to iterate on one), BENCH_CPU_PROF=DIR (the live-chat servers write CPU profiles
 * there as they stop). Bounded: well under 10 minutes on 2 cores.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { repoRoot } from '../test/helpers/processes.ts';
import { postgresBin, startPostgres, type PostgresFixture } from '../test/helpers/postgres.ts';
import { LoadPool, metricValue, percentile, startBaseline, startLiveChat, type Target } from './harness.ts';
import { historyCost } from './history-cost.ts';
import { fanout, idleMemory, joinStorm, throughput } from './scenarios.ts';
import { measureStartup } from './startup.ts';

const QUICK = process.env.BENCH_QUICK === '1';
const STORM = QUICK ? 100 : 500;
const FANOUT = QUICK ? [200] : [200, 1000, 2000];
const RATES = QUICK ? [10] : [10, 40];
const STEP_MS = QUICK ? 1500 : 3000;
const IDLE = QUICK ? 200 : 1000;
const WORKERS = Number(process.env.BENCH_WORKERS ?? 4);
/** Rounds of the join storm and of each throughput run, the servers taking turns and each round starting with the next (medians reported). */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (QUICK ? 1 : 3));
const SEEDED = QUICK ? 2000 : 20_000;
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',').map((s) => s.trim())) : null;
/** Whether the scenario named `name` runs (BENCH_ONLY). */
const runs = (name: 'memory' | 'join' | 'fanout' | 'throughput' | 'history' | 'startup') => ONLY === null || ONLY.has(name);

const load = () => loadavg()[0]!.toFixed(2);
const started = Date.now();
const loads: string[] = [`start ${load()}`];

/** One row: the measure, its unit, whether more is better, and a value per server. */
interface Row {
  measure: string;
  unit: string;
  higherIsBetter: boolean;
  values: Map<string, number>;
}
const rows: Row[] = [];
function record(measure: string, unit: string, higherIsBetter: boolean, target: string, value: number): void {
  let row = rows.find((r) => r.measure === measure);
  if (!row) rows.push((row = { measure, unit, higherIsBetter, values: new Map() }));
  row.values.set(target, value);
}
/** measure → server → the value of each round so far; the row holds their median. */
const rounds = new Map<string, Map<string, number[]>>();
/** Records one round's value of a measure repeated over ROUNDS: the row shows the median so far. */
function sample(measure: string, unit: string, higherIsBetter: boolean, target: string, value: number): void {
  const byTarget = rounds.get(measure) ?? new Map<string, number[]>();
  rounds.set(measure, byTarget);
  const values = [...(byTarget.get(target) ?? []), value];
  byTarget.set(target, values);
  record(measure, unit, higherIsBetter, target, percentile(values, 50));
}

const dataDir = mkdtempSync(join(tmpdir(), 'live-chat-bench-'));
let postgres: PostgresFixture | null = null;
let postgresNote = '';
const targets: Target[] = [];
/**
 * The bare server acking after a PostgreSQL commit of each group of messages (throughput
 * only): the floor of any server that acks after committing to that database on this machine.
 */
const FLOOR = 'bare + PostgreSQL commit';
let floor: Target | null = null;
const pool = await LoadPool.start(WORKERS);
const sender = await LoadPool.start(1);
try {
  targets.push(await startBaseline());
  targets.push(await startLiveChat('live-chat (SQLite)', { DATA_DIR: join(dataDir, 'sqlite') }));
  if (process.env.BENCH_POSTGRES !== '0') {
    try {
      postgresBin();
      postgres = await startPostgres();
      targets.push(await startLiveChat('live-chat (PostgreSQL)', { DATA_DIR: join(dataDir, 'pg'), DATABASE_URL: await postgres.createDatabase('bench') }));
      if (runs('throughput')) floor = await startBaseline(FLOOR, { BASELINE_DATABASE_URL: await postgres.createDatabase('bench_floor') });
    } catch (err) {
      postgresNote = `PostgreSQL skipped: ${(err as Error).message.split('\n')[0]}`;
    }
  }
  /**
   * The targets in round `round`'s order: each round starts with the next one, so no server
   * always runs first (warm-up, the previous run's garbage and disconnects land on all alike).
   */
  const inTurn = (round: number, list = targets) => list.map((_, i) => list[(i + round) % list.length]!);
  const step = (what: string) => console.error(`[bench ${((Date.now() - started) / 1000).toFixed(0)} s, load ${load()}] ${what}`);

  for (const t of runs('memory') ? targets : []) {
    step(`idle memory: ${t.name}`);
    record(`idle memory per connection (${IDLE} joined guests)`, 'KB', false, t.name, await idleMemory(t, pool, IDLE, 'idle'));
  }
  // A storm lasts a fraction of a second: ROUNDS of them, the servers taking turns (each round
  // in another order), and the median of each figure (the rounds' join rates are printed under
  // the table). One storm per server first, not measured: a server's first storm runs cold
  // (its JIT, its first 500 sockets), which made round 1 a contest of cold starts.
  for (const t of runs('join') ? targets : []) {
    step(`join storm warm-up: ${t.name}`);
    await joinStorm(t, pool, STORM, 'storm-warm-up');
  }
  for (let round = 0; round < (runs('join') ? ROUNDS : 0); round++) {
    for (const t of inTurn(round)) {
      step(`join storm ${round + 1}/${ROUNDS}: ${t.name}`);
      const storm = await joinStorm(t, pool, STORM, `storm-${round}`);
      sample(`join storm, ${STORM} clients, 100 messages of history: joins/s`, 'joins/s', true, t.name, storm.joinsPerSecond);
      sample('join storm: join ack p50', 'ms', false, t.name, storm.p50);
      sample('join storm: join ack p99', 'ms', false, t.name, storm.p99);
      sample('join storm: frames received by the joining clients', 'frames', false, t.name, storm.frames);
      sample('join storm: joins refused or dropped', 'joins', false, t.name, storm.failed);
      sample('join storm: server CPU per join', 'µs', false, t.name, storm.cpuUsPerJoin);
    }
  }
  loads.push(`after the join storm ${load()}`);
  for (const [n, receivers] of (runs('fanout') ? FANOUT : []).entries()) {
    for (const t of inTurn(n)) {
      step(`fan-out to ${receivers}: ${t.name}`);
      for (const s of await fanout(t, pool, sender, receivers, RATES, STEP_MS)) {
        record(`fan-out to ${receivers} at ${s.rate} msg/s: deliveries/s`, 'deliveries/s', true, t.name, s.deliveriesPerSecond);
        record(`fan-out to ${receivers} at ${s.rate} msg/s: send → last receiver p99`, 'ms', false, t.name, s.p99);
        if (s.missing > 0) console.error(`  ${t.name}: ${s.missing} deliveries missing after the drain`);
        if (s.failedJoins > 0) record(`fan-out to ${receivers}: receivers whose join was refused or dropped`, 'joins', false, t.name, s.failedJoins);
      }
    }
  }
  loads.push(`after the fan-out ${load()}`);
  const throughputRuns = [
    [8, 1],
    [100, 100],
  ] as const;
  const throughputTargets = floor ? [...targets, floor] : targets;
  for (const [senders, rooms] of runs('throughput') ? throughputRuns : []) {
    for (let round = 0; round < ROUNDS; round++) {
      for (const t of inTurn(round, throughputTargets)) {
        step(`throughput ${senders} senders / ${rooms} rooms, round ${round + 1}/${ROUNDS}: ${t.name}`);
        const tag = `${t.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}-${round}`;
        const tp = await throughput(t, pool, senders, rooms, STEP_MS, tag);
        const where = rooms === 1 ? `one room, ${senders} senders` : `${rooms} rooms, ${senders} senders`;
        sample(`throughput, ${where}: msg/s (closed loop)`, 'msg/s', true, t.name, tp.peak);
        sample(`throughput, ${where}: ack p99 at half the peak rate`, 'ms', false, t.name, tp.halfP99);
        sample(`throughput, ${where}: server CPU per message`, 'µs', false, t.name, tp.cpuUsPerMessage);
        sample(`throughput, ${where}: events received per message`, 'events', false, t.name, tp.framesPerMessage);
      }
    }
  }
  // The event-loop time of the SQLite WAL restarts those runs caused (sqlite/checkpointer.ts).
  const sqlite = targets.find((t) => t.name === 'live-chat (SQLite)');
  if (sqlite && runs('throughput')) {
    const count = await metricValue(sqlite.url, 'live_chat_sqlite_wal_restart_ms_count');
    const sum = await metricValue(sqlite.url, 'live_chat_sqlite_wal_restart_ms_sum');
    record('throughput runs: SQLite WAL restarts (each holds the event loop)', 'restarts', false, sqlite.name, count);
    record('throughput runs: event-loop time per SQLite WAL restart, mean', 'ms', false, sqlite.name, count > 0 ? sum / count : Number.NaN);
  }
  loads.push(`after the throughput ${load()}`);
} finally {
  await pool.close();
  await sender.close();
  for (const t of targets) await t.stop();
  await floor?.stop();
}

try {
  if (runs('history')) {
    console.error('[bench] history cost: SQLite');
    const sqlite = await historyCost({}, SEEDED);
    record(`send path, a user with ${SEEDED.toLocaleString('en')} messages in the session ÷ a fresh user`, 'ratio', true, 'live-chat (SQLite)', sqlite.heavy / sqlite.fresh);
    record('send path, fresh user (in process, 16 in flight)', 'msg/s', true, 'live-chat (SQLite)', sqlite.fresh);
    if (postgres) {
      console.error('[bench] history cost: PostgreSQL');
      const pg = await historyCost({ DATABASE_URL: await postgres.createDatabase('bench_history') }, SEEDED);
      record(`send path, a user with ${SEEDED.toLocaleString('en')} messages in the session ÷ a fresh user`, 'ratio', true, 'live-chat (PostgreSQL)', pg.heavy / pg.fresh);
      record('send path, fresh user (in process, 16 in flight)', 'msg/s', true, 'live-chat (PostgreSQL)', pg.fresh);
    }
  }
} finally {
  await postgres?.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

if (runs('startup')) {
  console.error('[bench] cold start');
  const startup = await measureStartup(QUICK ? 2 : 5);
  record('cold start to /health (median)', 'ms', false, 'bare Socket.IO', startup.baselineMs);
  record('cold start to /health (median)', 'ms', false, 'live-chat (SQLite)', startup.serverMs);
}
loads.push(`end ${load()}`);

const bundle = join(repoRoot, 'widget', 'dist', 'live-chat.js');
const bundleNote = existsSync(bundle)
  ? (() => {
      const code = readFileSync(bundle);
      return `widget bundle (widget/dist/live-chat.js): ${code.length.toLocaleString('en')} B minified, ${gzipSync(code, { level: 9 }).length.toLocaleString('en')} B gzip, ${brotliCompressSync(code).length.toLocaleString('en')} B brotli (budget 30,720 B gzip)`;
    })()
  : 'widget bundle: not built';

const names = ['bare Socket.IO', 'live-chat (SQLite)', 'live-chat (PostgreSQL)', FLOOR].filter((n) => [...targets, floor].some((t) => t?.name === n));
const fmt = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '–' : x >= 100 ? Math.round(x).toLocaleString('en') : x.toFixed(x >= 10 ? 1 : 2));
const ours = names.filter((n) => n !== 'bare Socket.IO');
console.log(`\n| measure (${new Date(started).toISOString().slice(0, 10)}, node ${process.version}, ${WORKERS} load processes) | unit | bare Socket.IO | ${ours.map((n) => `${n} | × bare`).join(' | ')} |`);
console.log(`| --- | --- | ---: | ${ours.map(() => '---: | ---:').join(' | ')} |`);
for (const row of rows) {
  const bare = row.values.get('bare Socket.IO');
  const cells = ours.map((n) => {
    const v = row.values.get(n);
    const ratio = v !== undefined && bare !== undefined && bare > 0 ? `${(v / bare).toFixed(2)}×` : '';
    return `${fmt(v)} | ${ratio}`;
  });
  console.log(`| ${row.measure} ${row.higherIsBetter ? '↑' : '↓'} | ${row.unit} | ${fmt(bare)} | ${cells.join(' | ')} |`);
}
const perRound = [...rounds]
  .filter(([measure]) => / joins\/s$| msg\/s \(closed loop\)$/.test(measure))
  .flatMap(([measure, byTarget]) =>
    ours
      .filter((n) => byTarget.has(n))
      .map((n) => `${measure}, ${n}: ${byTarget.get(n)!.map((v, i) => `${(v / byTarget.get('bare Socket.IO')![i]!).toFixed(2)}×`).join(', ')}`),
  );
if (perRound.length > 0 && ROUNDS > 1) console.log(`\nEach row of a repeated scenario is the median of ${ROUNDS} rounds; round by round, against the bare server's same round:\n${perRound.map((l) => `- ${l}`).join('\n')}`);
console.log(`\n↑ more is better, ↓ less is better. Load average (1 min): ${loads.join(', ')}. ${bundleNote}.${postgresNote ? ` ${postgresNote}.` : ''}`);
console.log(`PostgreSQL runs with fsync=off (the test fixture); SQLite with synchronous=NORMAL (the default). Total ${((Date.now() - started) / 1000).toFixed(0)} s.`);

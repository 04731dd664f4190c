/**
 * The bench's scenarios, each run the same way against the real server and the bare
 * baseline (bench/harness.ts). Clients live in the load generator processes, never in the
 * process of the server under test. Every scenario is bounded in clients and time.
 */
import { cpuMs, fillHistory, percentile, rssKb, sleep, type LoadPool, type Target } from './harness.ts';

export interface JoinStorm {
  joinsPerSecond: number;
  p50: number;
  p99: number;
  /** Events received by all the joining clients from the first join until 1 s after the last ack. */
  frames: number;
  /** Joins refused or dropped (a client disconnected before its ack). */
  failed: number;
  /** The server's CPU time per join ack, in µs (user + system, all threads). */
  cpuUsPerJoin: number;
}

/**
 * `clients` guests (spread over the pool) connect, then all join one room with 100 messages
 * of history at once.
 */
export async function joinStorm(target: Target, pool: LoadPool, clients: number, roomId: string): Promise<JoinStorm> {
  await target.createRoom(roomId);
  // The baseline holds 100 messages in every room from the start.
  if (!target.bare) await fillHistory(target, roomId, 100);
  await pool.all('connect', (i) => ({ url: target.url, count: pool.share(clients, i) }));
  await pool.all('count', { on: true });
  const cpuBefore = cpuMs(target.pid);
  const joins = await pool.all<{ latencies: number[]; failed: number; first: number; last: number }>('join', { roomId });
  const cpuUsed = cpuMs(target.pid) - cpuBefore;
  const latencies = joins.flatMap((j) => j.latencies);
  const seconds = (Math.max(...joins.map((j) => j.last)) - Math.min(...joins.map((j) => j.first))) / 1000;
  // Coalesced events (room:stats, presence batches) keep coming for a moment: count them too.
  await sleep(1000);
  const counts = await pool.all<{ frames: number }>('count', { on: false });
  await pool.all('disconnect');
  return {
    joinsPerSecond: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    frames: counts.reduce((sum, c) => sum + c.frames, 0),
    failed: joins.reduce((sum, j) => sum + j.failed, 0),
    cpuUsPerJoin: (cpuUsed * 1000) / latencies.length,
  };
}

export interface FanoutStep {
  rate: number;
  /** `message:new` received per second, all receivers together. */
  deliveriesPerSecond: number;
  /** ms from a send to its arrival at the last receiver, p50 / p99 over the messages. */
  p50: number;
  p99: number;
  /** Deliveries that never came within the drain time. */
  missing: number;
  /** Receivers whose join was refused or dropped (they receive nothing). */
  failedJoins: number;
}

/** Messages a fan-out step sends at least, so that its p99 is not simply its worst message. */
const FANOUT_MIN_MESSAGES = 100;

/**
 * `receivers` guests join a room; one signed-in sender (its own process) sends at each rate
 * of `rates` (messages/s) for `ms`, or longer when that would be fewer than
 * {@link FANOUT_MIN_MESSAGES} messages (10 s at 10 msg/s); deliveries counted until every
 * receiver has every message or 5 s after the last ack.
 */
export async function fanout(target: Target, pool: LoadPool, sender: LoadPool, receivers: number, rates: number[], ms: number): Promise<FanoutStep[]> {
  const roomId = `fanout-${receivers}`;
  await target.createRoom(roomId);
  await pool.all('connect', (i) => ({ url: target.url, count: pool.share(receivers, i) }));
  const joined = await pool.all<{ failed: number }>('join', { roomId });
  const failedJoins = joined.reduce((sum, j) => sum + j.failed, 0);
  const token = await target.token(`Fan-out Sender ${receivers}`);
  await sender.all('connect', { url: target.url, count: 1, tokens: [token] });
  await sender.all('join', { roomId });
  const steps: FanoutStep[] = [];
  for (const rate of rates) {
    const prefix = `f${receivers}r${rate}-`;
    await pool.all('watch', { prefix, on: true });
    const stepMs = Math.max(ms, Math.ceil((FANOUT_MIN_MESSAGES / rate) * 1000));
    const [sent] = await sender.all<{ sent: [string, number][] }>('openLoop', { roomIds: [roomId], rate, ms: stepMs, prefix });
    const expected = sent!.sent.length * (receivers - failedJoins);
    const deadline = Date.now() + 5000;
    for (;;) {
      const got = (await pool.all<{ received: number }>('received')).reduce((s, r) => s + r.received, 0);
      if (got >= expected || Date.now() > deadline) break;
      await sleep(50);
    }
    const watched = await pool.all<{ arrivals: Record<string, number>; received: number }>('watch', { on: false });
    const received = watched.reduce((s, w) => s + w.received, 0);
    const lastArrival = new Map<string, number>();
    for (const w of watched) for (const [text, at] of Object.entries(w.arrivals)) lastArrival.set(text, Math.max(lastArrival.get(text) ?? 0, at));
    const latencies = sent!.sent.filter(([text]) => lastArrival.has(text)).map(([text, at]) => lastArrival.get(text)! - at);
    const first = Math.min(...sent!.sent.map(([, at]) => at));
    const last = Math.max(...lastArrival.values());
    steps.push({
      rate,
      deliveriesPerSecond: received / ((last - first) / 1000),
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      missing: expected - received,
      failedJoins,
    });
  }
  await pool.all('disconnect');
  await sender.all('disconnect');
  return steps;
}

export interface Throughput {
  /** Acked messages per second with every sender in a closed loop (send, await the ack, repeat). */
  peak: number;
  /** Ack p99 (ms) in that closed loop. */
  peakP99: number;
  /** The server's CPU time per acked message in that closed loop, in µs (user + system). */
  cpuUsPerMessage: number;
  /** Events the senders received per acked message in that closed loop (broadcasts and the rest; acks not counted). */
  framesPerMessage: number;
  /** Ack p50 / p99 (ms) when sending at half the peak rate. */
  halfP50: number;
  halfP99: number;
}

/**
 * `senders` signed-in users over `rooms` rooms (one viewer each: the senders themselves),
 * spread over the pool: closed loop for `ms`, then an open loop at half the peak for `ms`.
 */
export async function throughput(target: Target, pool: LoadPool, senders: number, rooms: number, ms: number, tag: string): Promise<Throughput> {
  const roomIds = Array.from({ length: rooms }, (_, i) => `tp-${tag}-${rooms}-${i}`);
  for (const id of roomIds) await target.createRoom(id);
  const tokens = await Promise.all(Array.from({ length: senders }, (_, i) => target.token(`Sender ${tag} ${rooms} ${i}`)));
  let offset = 0;
  const slices = pool.workers.map((_, i) => {
    const n = pool.share(senders, i);
    const slice = { tokens: tokens.slice(offset, offset + n), roomIds: roomIds.filter((_, r) => r % pool.workers.length === i) };
    offset += n;
    return slice;
  });
  // Worker i's sockets send to the rooms of its slice (every room gets senders when senders ≥ rooms).
  await pool.all('connect', (i) => ({ url: target.url, count: slices[i]!.tokens.length, tokens: slices[i]!.tokens }));
  await pool.all('join', (i) => ({ roomIds: slices[i]!.roomIds.length > 0 ? slices[i]!.roomIds : roomIds }));
  await pool.all('count', { on: true });
  const cpuBefore = cpuMs(target.pid);
  const closed = await pool.all<{ latencies: number[] }>('closedLoop', (i) => ({ roomIds: slices[i]!.roomIds.length > 0 ? slices[i]!.roomIds : roomIds, ms }));
  const cpuUsed = cpuMs(target.pid) - cpuBefore;
  const frames = (await pool.all<{ frames: number }>('count', { on: false })).reduce((sum, c) => sum + c.frames, 0);
  const acked = closed.flatMap((c) => c.latencies);
  const peak = acked.length / (ms / 1000);
  const open = await pool.all<{ latencies: number[] }>('openLoop', (i) => ({
    roomIds: slices[i]!.roomIds.length > 0 ? slices[i]!.roomIds : roomIds,
    rate: peak / 2 / pool.workers.length,
    ms,
    prefix: `half-${tag}-`,
  }));
  const half = open.flatMap((o) => o.latencies);
  await pool.all('disconnect');
  return { peak, peakP99: percentile(acked, 99), cpuUsPerMessage: (cpuUsed * 1000) / acked.length, framesPerMessage: frames / acked.length, halfP50: percentile(half, 50), halfP99: percentile(half, 99) };
}

/** KB of server memory per idle connection: RSS before and after `clients` guests joined a room. */
export async function idleMemory(target: Target, pool: LoadPool, clients: number, roomId: string): Promise<number> {
  await target.createRoom(roomId);
  await sleep(500);
  const before = rssKb(target.pid);
  await pool.all('connect', (i) => ({ url: target.url, count: pool.share(clients, i) }));
  await pool.all('join', { roomId });
  await sleep(1500);
  const after = rssKb(target.pid);
  await pool.all('disconnect');
  return (after - before) / clients;
}

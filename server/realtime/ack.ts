/**
 * The one way a client event is handled: validate with the event's zod schema, run, and
 * ack `{ ok: true, …result }` or `{ ok: false, error }` (docs/protocol.md).
 *
 * A handler never throws out and never crashes the process: any failure becomes an ack with
 * a code from `ERROR_CODES` (`internal` for bugs, which are logged). The ack is always called
 * when the client gave one; a missing or non-function ack is tolerated, and so is a client
 * that sends only an ack (no payload).
 *
 * Every handler runs as one entry of an {@link InFlight} set, so a shutdown can refuse new
 * events and wait for those already running to ack (graceful drain).
 */
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { Histogram } from 'prom-client';
import type { Socket } from 'socket.io';
import type { z } from 'zod';
import { AppError, fromZod, toWireError } from '../errors.ts';
import type { Metrics } from '../metrics.ts';
import type { Ack, ClientToServerEvents, WireError } from 'live-chat-protocol';

type Listener = (...args: unknown[]) => void;

/** The refusal of an event that arrives while the server shuts down: the client retries elsewhere or later. */
export const SHUTTING_DOWN: WireError = { code: 'internal', message: 'The server is shutting down; retry' };

/**
 * Client events being handled now. `drain` refuses new ones and waits for the running ones.
 */
export class InFlight {
  private running = 0;
  private closing = false;
  private readonly idle = new Set<() => void>();

  /** Handlers running now. */
  get size(): number {
    return this.running;
  }

  /** True once {@link drain} was called: new events are refused. */
  get draining(): boolean {
    return this.closing;
  }

  /** Counts a handler in; false (nothing counted) while draining. */
  begin(): boolean {
    if (this.closing) return false;
    this.running += 1;
    return true;
  }

  /** Counts a handler out (after its ack was handed to the transport). */
  end(): void {
    this.running -= 1;
    if (this.running === 0) for (const resolve of this.idle) resolve();
  }

  /**
   * Refuses new handlers from now on, and resolves once none is running or after
   * `timeoutMs` (ms), whichever comes first. It first waits `settleMs` (ms, default 100, at
   * most `timeoutMs`) so that events clients sent just before the shutdown, already on their
   * way or in the socket's buffer, are read and refused with an ack instead of dropped with
   * the connection.
   * @returns how many handlers were still running when it resolved (0 after a clean drain).
   */
  async drain(timeoutMs: number, settleMs = 100): Promise<number> {
    this.closing = true;
    await new Promise((r) => setTimeout(r, Math.min(settleMs, timeoutMs)));
    if (this.running === 0) return 0;
    let resolve!: () => void;
    const done = new Promise<void>((r) => (resolve = r));
    this.idle.add(resolve);
    const timer = setTimeout(resolve, timeoutMs);
    await done;
    clearTimeout(timer);
    this.idle.delete(resolve);
    return this.running;
  }
}

export interface AckContext {
  logger: Logger;
  metrics: Metrics;
  /** Where handlers are counted; a draining set refuses the event with {@link SHUTTING_DOWN}. */
  inFlight: InFlight;
}

/** The handling-time histograms (ms, receipt to ack) of the events that have one. */
function ackTimer(metrics: Metrics, event: keyof ClientToServerEvents): Histogram | undefined {
  if (event === 'message:send') return metrics.sendAckMs;
  if (event === 'room:join') return metrics.joinAckMs;
  return undefined;
}

/**
 * Registers `run` for `event` on `socket`.
 * @param schema the payload's zod schema from live-chat-protocol/schemas.
 * @param run gets the parsed payload; what it resolves with is spread into the ack.
 */
export function onEvent<S extends z.ZodType, R extends object>(
  socket: Socket,
  event: keyof ClientToServerEvents,
  schema: S,
  context: AckContext,
  run: (payload: z.output<S>) => Promise<R>,
): void {
  const timer = ackTimer(context.metrics, event);
  // The typed event map cannot express "any arguments"; validation is what gives types here.
  (socket as unknown as { on(event: string, listener: Listener): void }).on(event, (...args: unknown[]) => {
    const last = args[args.length - 1];
    const ack = typeof last === 'function' ? (args.pop() as (a: Ack) => void) : undefined;
    const reply = (answer: Ack) => {
      try {
        ack?.(answer);
      } catch (err) {
        context.logger.warn({ err, event }, 'ack callback threw');
      }
    };
    if (!context.inFlight.begin()) {
      context.metrics.refusals.inc({ code: SHUTTING_DOWN.code });
      reply({ ok: false, error: SHUTTING_DOWN });
      return;
    }
    const started = performance.now();
    void (async () => {
      try {
        const parsed = schema.safeParse(args[0]);
        if (!parsed.success) throw fromZod(parsed.error);
        const result = await run(parsed.data);
        reply({ ok: true, ...result });
      } catch (err) {
        const error = toWireError(err);
        context.metrics.refusals.inc({ code: error.code });
        if (!(err instanceof AppError)) {
          context.logger.error({ err, event, user: socket.data?.identity?.user?.id }, 'socket handler failed');
        }
        reply({ ok: false, error });
      } finally {
        timer?.observe(performance.now() - started);
        context.inFlight.end();
      }
    })();
  });
}

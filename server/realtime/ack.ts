/**
 * The one way a client event is handled: validate with the event's zod schema, run, and
 * ack `{ ok: true, …result }` or `{ ok: false, error }` (DESIGN.md "Wire contract").
 *
 * A handler never throws out and never crashes the process: any failure becomes an ack with
 * a code from `ERROR_CODES` (`internal` for bugs, which are logged). The ack is always called
 * when the client gave one; a missing or non-function ack is tolerated, and so is a client
 * that sends only an ack (no payload).
 */
import type { Logger } from 'pino';
import type { Socket } from 'socket.io';
import type { z } from 'zod';
import { AppError, fromZod, toWireError } from '../errors.ts';
import type { Metrics } from '../metrics.ts';
import type { Ack, ClientToServerEvents } from 'live-chat-protocol';

type Listener = (...args: unknown[]) => void;

export interface AckContext {
  logger: Logger;
  metrics: Metrics;
}

/**
 * Registers `run` for `event` on `socket`.
 * @param schema the payload's zod schema from protocol.ts.
 * @param run gets the parsed payload; what it resolves with is spread into the ack.
 */
export function onEvent<S extends z.ZodType, R extends object>(
  socket: Socket,
  event: keyof ClientToServerEvents,
  schema: S,
  context: AckContext,
  run: (payload: z.output<S>) => Promise<R>,
): void {
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
      }
    })();
  });
}

/**
 * The one error type of the server, and how any thrown value becomes a wire error.
 *
 * Services throw {@link AppError}; socket handlers turn it into `{ ok: false, error }` acks and
 * the Express error handler into `{ error }` bodies with `status` (STYLE.md "Errors").
 * Anything else that is thrown is a bug: it is logged and answered as `internal` with a
 * message that hides the details.
 */
import type { z } from 'zod';
import type { ErrorCode, WireError } from 'live-chat-protocol';

/** A refusal the caller can understand: a wire `code`, an HTTP `status`, a safe message. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly status: number,
    message: string,
    /** For `rate_limited`, `slow_mode`, `timed_out`, `chat_closed`: ms until a retry can work. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'AppError';
  }

  /** The `{ code, message, retryAfterMs? }` sent to clients. */
  toWire(): WireError {
    const wire: WireError = { code: this.code, message: this.message };
    if (this.retryAfterMs !== undefined) wire.retryAfterMs = Math.max(0, Math.ceil(this.retryAfterMs));
    return wire;
  }
}

/** Shorthands for the refusals services raise, with their HTTP statuses. */
export const refuse = {
  unauthorized: (message = 'Sign in to do this') => new AppError('unauthorized', 401, message),
  forbidden: (message = 'Not allowed') => new AppError('forbidden', 403, message),
  notFound: (message = 'Not found') => new AppError('not_found', 404, message),
  invalid: (message: string) => new AppError('invalid', 400, message),
  tooLong: (message: string) => new AppError('too_long', 413, message),
  rateLimited: (retryAfterMs: number, message = 'Too many requests, slow down') =>
    new AppError('rate_limited', 429, message, retryAfterMs),
  slowMode: (retryAfterMs: number) =>
    new AppError('slow_mode', 429, 'Slow mode is on: wait before sending again', retryAfterMs),
  /** `mod:timeout`: the message is the moderator's reason when they gave one. */
  timedOut: (retryAfterMs: number, reason?: string) =>
    new AppError('timed_out', 403, reason ? reason : 'A moderator has timed you out in this room', retryAfterMs),
  chatClosed: (message: string, retryAfterMs?: number) => new AppError('chat_closed', 403, message, retryAfterMs),
  /** `mod:ban`: the message is the moderator's reason when they gave one. */
  banned: (reason: string | null) =>
    new AppError('banned', 403, reason ? reason : 'A moderator has banned you from this room'),
};

/**
 * Turns a failed zod parse into an `invalid` (or `too_long` for an over-long text or title)
 * AppError whose message names the path of the first issue, e.g. `events.3.delta: …`.
 */
export function fromZod(error: z.ZodError, what = 'payload'): AppError {
  const issue = error.issues[0];
  if (!issue) return refuse.invalid(`Invalid ${what}`);
  const path = issue.path.map(String).join('.');
  const message = `${path || what}: ${issue.message}`;
  if (issue.code === 'too_big' && issue.origin === 'string' && (path === 'text' || path === 'title')) {
    return refuse.tooLong(message);
  }
  return refuse.invalid(message);
}

/** The wire form of any thrown value; non-AppErrors become a generic `internal`. */
export function toWireError(err: unknown): WireError {
  if (err instanceof AppError) return err.toWire();
  return { code: 'internal', message: 'Something went wrong on the server' };
}

/**
 * The one Express error handler (STYLE.md "Errors"): AppErrors answer their status with
 * `{ error: { code, message } }` (429 with `Retry-After` in seconds); a client's mistake that
 * Express or a middleware reports (malformed percent-encoding in the path, a malformed or
 * too large body) answers 400 `invalid` or 413 `too_long` (a file's failed precondition or
 * unsatisfiable range: `invalid` with its 412 or 416); anything else is logged and answered 500
 * `internal` with its text hidden. No error answer keeps the representation headers a handler
 * set before it failed (a file's type, encoding, cache lifetime or ETag).
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { AppError, refuse, toWireError } from '../errors.ts';

/** Unknown routes: 404 `not_found` as JSON. */
export const notFound: RequestHandler = (req, _res, next) => {
  next(refuse.notFound(`No route ${req.method} ${req.path}`));
};

/**
 * The Express error handler (register last).
 * @param logger gets every error that is not an AppError (`request failed`, with method and
 *   path), i.e. bugs and store failures.
 * @returns a handler answering `{ error: { code, message } }`: an AppError's status and wire
 *   form (429s with `Retry-After` in whole seconds); a client error of Express itself (see
 *   {@link clientMistake}) as `invalid` (400, or send's 412 / 416) or 413 `too_long`; anything else 500 `internal`
 *   with a generic message (nothing answered when headers were already sent).
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const error = err instanceof AppError ? err : (clientMistake(err) ?? err);
    // What a handler set for the representation it meant to send (a file's type, encoding,
    // cache lifetime, validators) does not describe the error's JSON.
    if (!res.headersSent) for (const header of REPRESENTATION_HEADERS) res.removeHeader(header);
    if (error instanceof AppError) {
      // A client error's own headers (http-errors' `headers`: send's `Content-Range` on a 416).
      const own = err !== error && (err as { headers?: unknown }).headers;
      if (own && typeof own === 'object') res.set(own as Record<string, string>);
      if (error.retryAfterMs !== undefined) res.setHeader('Retry-After', String(Math.ceil(error.retryAfterMs / 1000)));
      res.status(error.status).json({ error: error.toWire() });
      return;
    }
    logger.error({ err, method: req.method, path: req.path }, 'request failed');
    if (res.headersSent) return;
    res.status(500).json({ error: toWireError(err) });
  };
}

/** Headers of the response a handler meant to send, removed before an error answers instead. */
const REPRESENTATION_HEADERS = ['Content-Type', 'Content-Encoding', 'Content-Range', 'Cache-Control', 'ETag', 'Last-Modified'];

/** Statuses of send's (and serve-static's) refusals that keep their status: a failed `If-Match` and an unsatisfiable `Range`. */
const CONDITIONAL_STATUSES = new Set([412, 416]);

/**
 * The AppError for an error that Express or a middleware raised because of the request:
 * - a URIError (Express 5 decoding a route parameter such as `/api/rooms/%ZZ`, which it marks
 *   `status: 400`): 400 `invalid`;
 * - a body-parser error (`type` is a string, `status` 4xx): 413 `too_long` for a body over the
 *   limit, else 400 `invalid` (malformed JSON, bad charset or encoding);
 * - a failed precondition or an unsatisfiable range of a file (send's 412 and 416): `invalid`
 *   with that status and http-errors' own message;
 * - any other error marked by http-errors as a client error (`status` 400..499 and `expose`):
 *   400 `invalid`, or 413 `too_long`.
 * @returns null for anything else (a bug or a store failure: a 500).
 */
export function clientMistake(err: unknown): AppError | null {
  if (err instanceof URIError) return refuse.invalid('Malformed percent-encoding in the request path');
  if (typeof err !== 'object' || err === null) return null;
  const { status, type, expose } = err as { status?: unknown; type?: unknown; expose?: unknown };
  if (typeof status !== 'number' || status < 400 || status > 499) return null;
  if (typeof type === 'string') return status === 413 ? refuse.tooLong('Request body is too large') : refuse.invalid('Malformed request body');
  if (expose !== true) return null;
  if (CONDITIONAL_STATUSES.has(status)) return new AppError('invalid', status, (err as Error).message);
  return status === 413 ? refuse.tooLong('Request is too large') : refuse.invalid('Malformed request');
}

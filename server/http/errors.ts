/**
 * The one Express error handler (STYLE.md "Errors"): AppErrors answer their status with
 * `{ error: { code, message } }` (429 with `Retry-After` in seconds); a client's mistake that
 * Express or a middleware reports (malformed percent-encoding in the path, a malformed or
 * too large body) answers 400 `invalid` or 413 `too_long`; anything else is logged and
 * answered 500 `internal` with its text hidden.
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
 *   {@link clientMistake}) as 400 `invalid` or 413 `too_long`; anything else 500 `internal`
 *   with a generic message (nothing answered when headers were already sent).
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const error = err instanceof AppError ? err : (clientMistake(err) ?? err);
    if (error instanceof AppError) {
      if (error.retryAfterMs !== undefined) res.setHeader('Retry-After', String(Math.ceil(error.retryAfterMs / 1000)));
      res.status(error.status).json({ error: error.toWire() });
      return;
    }
    logger.error({ err, method: req.method, path: req.path }, 'request failed');
    if (res.headersSent) return;
    res.status(500).json({ error: toWireError(err) });
  };
}

/**
 * The AppError for an error that Express or a middleware raised because of the request:
 * - a URIError (Express 5 decoding a route parameter such as `/api/rooms/%ZZ`, which it marks
 *   `status: 400`): 400 `invalid`;
 * - a body-parser error (`type` is a string, `status` 4xx): 413 `too_long` for a body over the
 *   limit, else 400 `invalid` (malformed JSON, bad charset or encoding);
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
  if (expose === true) return status === 413 ? refuse.tooLong('Request is too large') : refuse.invalid('Malformed request');
  return null;
}

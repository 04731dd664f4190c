/**
 * The one Express error handler (STYLE.md "Errors"): AppErrors answer their status with
 * `{ error: { code, message } }` (429 with `Retry-After` in seconds); body-parser failures
 * answer 400 `invalid` or 413 `too_long`; anything else is logged and answered 500 `internal`
 * with its text hidden.
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
 *   form (429s with `Retry-After` in whole seconds); a body-parser failure as 400 `invalid` or
 *   413 `too_long`; anything else 500 `internal` with a generic message (nothing answered when
 *   headers were already sent).
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    let error = err;
    const parserStatus = (err as { status?: unknown; type?: unknown })?.status;
    if (!(err instanceof AppError) && typeof parserStatus === 'number' && typeof (err as { type?: unknown }).type === 'string') {
      error = parserStatus === 413 ? refuse.tooLong('Request body is too large') : refuse.invalid('Malformed request body');
    }
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

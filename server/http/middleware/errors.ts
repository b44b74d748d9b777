/**
 * The app's error handler and not-found handler: a domain refusal (ProblemError) becomes its
 * problem+json response; a client that disconnected mid-request is answered 499 without a log
 * line of its own; anything else is logged (never the request, its headers or its body,
 * which may hold personal data or tokens) and answered `internal_error`; an unknown path is
 * `not_found`.
 */
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { routePath } from 'hono/route';
import { createLogger } from '../../log.js';
import { ProblemError } from '../../domain/problems.js';
import { problemResponse } from '../problem.js';

const log = createLogger();

export const onError: ErrorHandler = (err: Error, c: Context) => {
  if (err instanceof ProblemError) return problemResponse(c, err.code, err.extras);
  // A client that went away mid-request is not the server's error: no stack, no alarm. The
  // request log records it as 499; nobody reads the answer.
  if (clientGone(c, err)) return new Response(null, { status: 499 });
  log.error('internal error', {
    method: c.req.method,
    route: routePath(c, -1),
    error: err.stack ?? err.message,
  });
  return problemResponse(c, 'internal_error');
};

export const notFound: NotFoundHandler = (c) => problemResponse(c, 'not_found');

/** The client disconnected: its request was aborted, or reading from it failed as a reset does. */
function clientGone(c: Context, err: Error): boolean {
  if (c.req.raw.signal?.aborted) return true;
  const code = (err as { code?: unknown }).code;
  return (
    err.name === 'AbortError' ||
    code === 'ECONNRESET' ||
    code === 'ERR_STREAM_PREMATURE_CLOSE' ||
    (err.name === 'TypeError' && err.message === 'terminated')
  );
}

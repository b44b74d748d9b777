/**
 * The app's error handler and not-found handler: a domain refusal (ProblemError) becomes its
 * problem+json response; anything else is logged (never the request, its headers or its body,
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
  log.error('internal error', {
    method: c.req.method,
    route: routePath(c, -1),
    error: err.stack ?? err.message,
  });
  return problemResponse(c, 'internal_error');
};

export const notFound: NotFoundHandler = (c) => problemResponse(c, 'not_found');

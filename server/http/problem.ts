/** RFC 9457 problem+json responses, and zod issues as the contract's field errors. */
import type { Context } from 'hono';
import type { z } from 'zod/mini';
import { problemType, type FieldError, type Problem, type ProblemCode } from '../../src/api/contract.js';
import { PROBLEMS, type ProblemExtras } from '../domain/problems.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function problemBody(code: ProblemCode, extras: ProblemExtras = {}): Problem {
  const { status, title } = PROBLEMS[code];
  return { type: problemType(code), title, status, ...extras };
}

export function problemResponse(c: Context, code: ProblemCode, extras: ProblemExtras = {}): Response {
  const body = problemBody(code, extras);
  c.header('Content-Type', PROBLEM_CONTENT_TYPE);
  c.header('Cache-Control', 'no-store');
  if (extras.retryAfter !== undefined) c.header('Retry-After', String(extras.retryAfter));
  return c.body(JSON.stringify(body), body.status as 400);
}

/** zod issues as `{ field, message, code }`, field being the dotted path ("customer.email"). */
export function fieldErrors(issues: readonly z.core.$ZodIssue[], prefix = ''): FieldError[] {
  return issues.slice(0, 100).map((i) => {
    const path = i.path.map(String).join('.');
    return {
      field: (prefix && path ? `${prefix}.${path}` : prefix || path).slice(0, 200),
      message: i.message.slice(0, 500),
      code: i.code,
    };
  });
}

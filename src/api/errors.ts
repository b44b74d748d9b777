/**
 * The errors the Cita client throws. Every one extends `CitaError` and has a stable `kind`, so the
 * UI can `switch (error.kind)` and explain it; `message` is developer-facing English (the UI shows
 * its own localised text, never `message`).
 *
 * | kind         | class             | meaning                                                          |
 * |--------------|-------------------|------------------------------------------------------------------|
 * | `config`     | `ConfigError`     | the client was set up wrong (endpoint, business slug, options)   |
 * | `validation` | `ValidationError` | the caller's input failed the contract; nothing was sent         |
 * | `network`    | `NetworkError`    | no HTTP response (offline, DNS, TLS, CORS, connection dropped)   |
 * | `timeout`    | `TimeoutError`    | no answer within `timeoutMs` (retries and waits included)        |
 * | `abort`      | `CitaAbortError`  | the caller's `AbortSignal` fired; `reason` is the signal's reason |
 * | `problem`    | `ProblemError`    | the server answered with an error (RFC 9457 problem details)     |
 * | `contract`   | `ContractError`   | the server's answer did not match the contract (data discarded)  |
 *
 * Nothing here imports Node APIs or `zod` (only `zod/mini` types): this file is in the browser bundle.
 */
import type * as z from 'zod/mini';
import type { FieldError, PolicyKind, ProblemCode } from './contract.js';

export type CitaErrorKind =
  'config' | 'validation' | 'network' | 'timeout' | 'abort' | 'problem' | 'contract';

/** The request an error belongs to. `url` never contains a manage token (it travels in a header). */
export interface RequestSummary {
  method: string;
  url: string;
}

/** Base class of every error the client throws. */
export abstract class CitaError extends Error {
  /** Stable discriminant for the UI; never renamed. */
  abstract readonly kind: CitaErrorKind;
}

/** The client options are unusable, e.g. a plain-`http:` endpoint that is not loopback. */
export class ConfigError extends CitaError {
  readonly kind = 'config' as const;
  override readonly name = 'ConfigError';
}

/**
 * The caller's input (an availability query, a booking, a manage token...) failed the contract, so
 * no request was sent. `errors` has the same shape as a `validation_failed` problem's, so the UI
 * can show both the same way.
 */
export class ValidationError extends CitaError {
  readonly kind = 'validation' as const;
  override readonly name = 'ValidationError';
  readonly errors: FieldError[];

  constructor(what: string, errors: FieldError[]) {
    super(`Invalid ${what}: ${describeFieldErrors(errors)}. Nothing was sent.`);
    this.errors = errors;
  }
}

/** The request got no HTTP response: offline, DNS, TLS, CORS refusal, or the connection dropped. */
export class NetworkError extends CitaError {
  readonly kind = 'network' as const;
  override readonly name = 'NetworkError';
  readonly request: RequestSummary;

  constructor(request: RequestSummary, cause: unknown) {
    super(`${request.method} ${request.url} failed: no response (${describeCause(cause)})`, { cause });
    this.request = request;
  }
}

/** No answer within the client's `timeoutMs`, which bounds the whole call, retries and waits included. */
export class TimeoutError extends CitaError {
  readonly kind = 'timeout' as const;
  override readonly name = 'TimeoutError';
  readonly request: RequestSummary;
  readonly timeoutMs: number;

  constructor(request: RequestSummary, timeoutMs: number) {
    super(`${request.method} ${request.url} timed out after ${timeoutMs} ms`);
    this.request = request;
    this.timeoutMs = timeoutMs;
  }
}

/**
 * The caller aborted through its `AbortSignal`. The client always rejects with this class (never
 * with the bare reason), so `instanceof CitaError` covers every failure; the signal's reason is
 * kept in `reason` (and `cause`). `name` is `'AbortError'`, as for an aborted `fetch`, so code
 * that checks `error.name === 'AbortError'` keeps working.
 */
export class CitaAbortError extends CitaError {
  readonly kind = 'abort' as const;
  override readonly name = 'AbortError';
  /** `signal.reason` of the caller's signal. */
  readonly reason: unknown;
  readonly request: RequestSummary;

  constructor(request: RequestSummary, reason: unknown) {
    super(`${request.method} ${request.url} was aborted by the caller`, { cause: reason });
    this.request = request;
    this.reason = reason;
  }
}

/** The problem fields a `ProblemError` carries (RFC 9457 plus Cita's extensions). */
export interface ProblemFields {
  /** HTTP status of the response (authoritative over the body's advisory `status`). */
  status: number;
  /** Problem type URI; `about:blank` when synthesised. */
  type: string;
  /** Cita's stable code (from `problemCode(type)`), undefined for a type that is not ours. */
  code: ProblemCode | undefined;
  title: string;
  detail?: string;
  instance?: string;
  /** `validation_failed`: one entry per bad field; empty otherwise. */
  errors: FieldError[];
  /** Seconds to wait before retrying: the `Retry-After` header, else the body's `retryAfter`. */
  retryAfter?: number;
  /** `cancellation_closed`: the last moment a free cancellation was possible. */
  cancellableUntil?: string;
  /** `reschedule_closed`: the last moment the booking could be moved. */
  reschedulableUntil?: string;
  /** `consent_missing` / `consent_outdated`: the policies concerned. */
  policies?: PolicyKind[];
  /**
   * True when the error response was not a valid `application/problem+json` document (e.g. a
   * proxy's HTML 502) and the problem was made up from the status alone.
   */
  synthetic: boolean;
}

/** The server answered with an HTTP error; the fields come from its problem+json body. */
export class ProblemError extends CitaError implements ProblemFields {
  readonly kind = 'problem' as const;
  override readonly name = 'ProblemError';
  readonly request: RequestSummary;
  declare readonly status: number;
  declare readonly type: string;
  declare readonly code: ProblemCode | undefined;
  declare readonly title: string;
  declare readonly detail?: string;
  declare readonly instance?: string;
  declare readonly errors: FieldError[];
  declare readonly retryAfter?: number;
  declare readonly cancellableUntil?: string;
  declare readonly reschedulableUntil?: string;
  declare readonly policies?: PolicyKind[];
  declare readonly synthetic: boolean;

  constructor(request: RequestSummary, fields: ProblemFields) {
    const code = fields.code ?? fields.type;
    const detail = fields.detail ? `: ${fields.detail}` : '';
    const fieldList = fields.errors.length ? ` (${describeFieldErrors(fields.errors)})` : '';
    super(`${request.method} ${request.url} answered ${fields.status} ${code}${detail}${fieldList}`);
    this.request = request;
    Object.assign(this, fields);
  }
}

/** One reason a response broke the contract: where and what, never the offending value. */
export interface ContractIssue {
  /** Dotted path in the response body, `''` for the body as a whole. */
  path: string;
  code: string;
  message: string;
}

/**
 * The server's answer did not match the contract: wrong shape, malformed JSON, not JSON at all, or
 * a redirect. The response data is discarded; `issues` says where and what, without the values.
 */
export class ContractError extends CitaError {
  readonly kind = 'contract' as const;
  override readonly name = 'ContractError';
  readonly request: RequestSummary;
  /** HTTP status of the offending response (0 for an opaque redirect). */
  readonly status: number;
  readonly issues: ContractIssue[];

  constructor(request: RequestSummary, status: number, issues: ContractIssue[]) {
    const list = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
    super(`${request.method} ${request.url} (${status}) broke the contract: ${list}`);
    this.request = request;
    this.status = status;
    this.issues = issues;
  }
}

/** Every concrete error the client throws; `switch (error.kind)` narrows it. */
export type AnyCitaError =
  ConfigError | ValidationError | NetworkError | TimeoutError | CitaAbortError | ProblemError | ContractError;

export function isCitaError(value: unknown): value is AnyCitaError {
  return value instanceof CitaError;
}

/* ------------------------------------------------------------------------------------------------ */

const MAX_ISSUES = 20;
const MAX_MESSAGE = 300;

/**
 * Summarise zod issues as path, code and message. Zod's messages name types and expectations,
 * never the input, and `input` itself is dropped, so no data leaks into errors or logs.
 */
export function summariseIssues(issues: readonly z.core.$ZodIssue[]): ContractIssue[] {
  return issues.slice(0, MAX_ISSUES).map((issue) => ({
    path: issue.path.map(String).join('.'),
    code: issue.code,
    message: issue.message.slice(0, MAX_MESSAGE),
  }));
}

/** The same summary in the contract's `FieldError` shape, prefixed with the argument's name. */
export function issuesToFieldErrors(issues: readonly z.core.$ZodIssue[], prefix?: string): FieldError[] {
  return summariseIssues(issues).map(({ path, code, message }) => ({
    field: [prefix, path].filter(Boolean).join('.'),
    message,
    code,
  }));
}

function describeFieldErrors(errors: readonly FieldError[]): string {
  return errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join('; ');
}

function describeCause(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  // Node's fetch hides the real reason (ECONNRESET, ECONNREFUSED...) in `cause`.
  const inner = cause.cause instanceof Error ? `: ${cause.cause.message}` : '';
  return `${cause.message}${inner}`;
}

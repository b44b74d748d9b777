/**
 * The Cita HTTP client: the only code in the widget that talks to the backend (`CitaClient` in client.ts adds the manage calls). Runs in browsers
 * and in Node (global `fetch`); imports nothing from Node and only `zod/mini`.
 *
 * What it promises (each promise has a test in test/client.spec.ts and test/client.test.ts):
 * - Transport: the endpoint must be `https:`, or `http:` on a loopback host (localhost,
 *   127.0.0.0/8, [::1]); no credentials, query or fragment in it. Requests carry no cookies, no
 *   referrer and nothing from the host page (`credentials: 'omit'`, `referrerPolicy:
 *   'no-referrer'`, `cache: 'no-store'`, `mode: 'cors'`), and only these headers: `Accept`,
 *   `Content-Type` on bodies, `Idempotency-Key` on bookings, `Authorization` on manage calls.
 *   Redirects are not followed (the API has none): a redirect is a `ContractError`.
 * - Input: availability queries, booking requests, ids and manage tokens are checked with the
 *   contract first; a bad one rejects with `ValidationError` and sends nothing.
 * - Output: every response body is parsed with its contract schema; a mismatch, malformed JSON or
 *   a non-JSON body is a `ContractError` and the data is not returned. An HTTP error is a
 *   `ProblemError`: parsed from `application/problem+json`, or synthesised from the status when
 *   the body is not a valid problem (so a proxy's HTML 502 still counts as a retryable 5xx).
 * - Time: `timeoutMs` (default 10 s) bounds the whole call, retries and waits included ->
 *   `TimeoutError`. Aborting the caller's signal, even during a backoff wait, rejects at once
 *   with `CitaAbortError` (its `reason` is the signal's reason).
 * - Retries: GETs and `createBooking` (which always sends an `Idempotency-Key`, the same one on
 *   every attempt) are retried on network errors, 5xx (except 501) and 429, with exponential
 *   backoff and full jitter; `Retry-After` (seconds or HTTP date) is honoured as a minimum wait.
 *   When the server asks for longer than `maxRetryAfterMs`, or the wait would pass the deadline,
 *   the client stops and throws the `ProblemError` (with `retryAfter`) so the UI can say when to
 *   try again. Other 4xx are never retried; `cancelBooking` is never retried.
 */
import * as z from 'zod/mini';
import {
  Availability,
  AvailabilityQuery,
  BusinessConfig,
  OriginCheck,
  CreateBookingRequest,
  CreatedBooking,
  IDEMPOTENCY_HEADER,
  IdempotencyKey,
  PROBLEM_CODES,
  Problem,
  ServiceList,
  Slug,
  problemCode,
  routes,
} from './contract.js';
import {
  CitaAbortError,
  ConfigError,
  ContractError,
  NetworkError,
  ProblemError,
  TimeoutError,
  ValidationError,
  issuesToFieldErrors,
  summariseIssues,
  type CitaError,
  type RequestSummary,
} from './errors.js';

/** Development-only code is compiled out of the script-tag bundle (src/core/dev.ts). */
const DEV = typeof __CITA_DEV__ === 'undefined' || __CITA_DEV__;

export interface RetryOptions {
  /** First backoff ceiling; attempt n waits a random time in [0, min(maxDelayMs, baseDelayMs * 2^n)). Default 300. */
  baseDelayMs?: number;
  /** Ceiling of one backoff wait. Default 3000. */
  maxDelayMs?: number;
  /** Longest `Retry-After` the client waits out; a longer one ends the call with the 429/503. Default 5000. */
  maxRetryAfterMs?: number;
}

export interface CitaClientOptions {
  /** Base URL of the API, e.g. `https://book.example.com` (a path prefix is allowed). */
  endpoint: string | URL;
  /** The business slug, e.g. `salon-rosa`. */
  business: string;
  /** Deadline for a whole call, retries and waits included. Default 10 000 ms. */
  timeoutMs?: number;
  /** Extra attempts after the first for retryable failures. Default 2; 0 disables retries. */
  retries?: number;
  /** Backoff tuning (tests make it fast). */
  retry?: RetryOptions;
  /** A `fetch` to use instead of the global one. */
  fetch?: typeof globalThis.fetch;
}

export interface RequestOptions {
  /** Aborting rejects the call at once with `CitaAbortError`, even during a backoff wait. */
  signal?: AbortSignal;
}

export interface CreateBookingOptions extends RequestOptions {
  /**
   * Makes the booking safe to retry. Generated when absent; pass your own (see
   * `newIdempotencyKey()`) and reuse it when the person presses "try again" for the same booking.
   */
  idempotencyKey?: string;
}

const DEFAULTS = { timeoutMs: 10_000, retries: 2 };
const DEFAULTS_RETRY: Required<RetryOptions> = {
  baseDelayMs: 300,
  maxDelayMs: 3_000,
  maxRetryAfterMs: 5_000,
};
const MAX_RETRIES = 10;
const MAX_TIMEOUT_MS = 600_000;

const ACCEPT = 'application/json, application/problem+json';
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;
const PROBLEM_TYPE = /^application\/problem\+json\s*(?:;|$)/i;

/** Marks the internal abort fired by the deadline, so it is told apart from the caller's. */
const DEADLINE = Symbol('cita.deadline');

export interface Call<T> {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  search?: URLSearchParams;
  headers?: Record<string, string>;
  body?: unknown;
  schema: z.ZodMiniType<T>;
  /** Safe to repeat: a GET, or a POST carrying an idempotency key. */
  retry: boolean;
  /** The answer has no body to read (202, 204): any 2xx resolves with `undefined`. */
  empty?: boolean;
  /** `omit` (default; tier H never sends cookies) or `same-origin` (the /admin page's own cookie). */
  credentials?: 'omit' | 'same-origin';
}

/**
 * The calls the booking flow makes: business, services, availability, booking. `CitaClient`
 * adds the calls of the manage link; the script-tag bundle loads those with the booking manager.
 */
export class BookingClient {
  /** The endpoint as used: origin plus path prefix, no trailing slash. */
  readonly endpoint: string;
  readonly business: string;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly #retry: Required<RetryOptions>;
  readonly #fetch: typeof globalThis.fetch;
  /** The problem codes this client recognises (the account clients know the account APIs' too). */
  protected readonly problemCodes: readonly string[] = PROBLEM_CODES;

  constructor(options: CitaClientOptions) {
    this.endpoint = checkEndpoint(options.endpoint);
    if (!Slug.safeParse(options.business).success) {
      throw new ConfigError(
        `Business ${JSON.stringify(options.business)} is not a slug (lowercase letters, digits, inner hyphens).`,
      );
    }
    this.business = options.business;
    this.timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs;
    this.retries = options.retries ?? DEFAULTS.retries;
    const retry = options.retry ?? {};
    this.#retry = { ...DEFAULTS_RETRY };
    for (const key of Object.keys(DEFAULTS_RETRY) as (keyof RetryOptions)[])
      this.#retry[key] = retry[key] ?? DEFAULTS_RETRY[key];
    // The script-tag bundle's elements never set these options, so it leaves their checks out
    // (src/core/dev.ts); the npm build keeps them. The endpoint and business are always checked.
    if (DEV) {
      checkNumber('timeoutMs', this.timeoutMs, 1, MAX_TIMEOUT_MS);
      checkNumber('retries', this.retries, 0, MAX_RETRIES);
      if (!Number.isInteger(this.retries)) throw new ConfigError('retries must be a whole number.');
      for (const key of Object.keys(DEFAULTS_RETRY) as (keyof RetryOptions)[])
        checkNumber(`retry.${key}`, this.#retry[key], 0, MAX_TIMEOUT_MS);
      if (options.fetch !== undefined && typeof options.fetch !== 'function') {
        throw new ConfigError('fetch must be a function.');
      }
    }
    // Call the global through a wrapper: an unbound `window.fetch` throws "Illegal invocation".
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  /** GET the business's public configuration. */
  async getBusiness(options: RequestOptions = {}): Promise<BusinessConfig> {
    return this.call(
      { method: 'GET', path: routes.business(this.business), schema: BusinessConfig, retry: true },
      options,
    );
  }

  /** GET whether this page's origin may embed the business (answered to any origin). */
  async checkOrigin(options: RequestOptions = {}): Promise<OriginCheck> {
    return this.call(
      { method: 'GET', path: routes.originCheck(this.business), schema: OriginCheck, retry: false },
      options,
    );
  }

  /** GET the business's services. */
  async getServices(options: RequestOptions = {}): Promise<ServiceList> {
    return this.call(
      { method: 'GET', path: routes.services(this.business), schema: ServiceList, retry: true },
      options,
    );
  }

  /** GET free slots for a service over a range of days. A bad query rejects with `ValidationError` and sends nothing. */
  async getAvailability(
    query: z.input<typeof AvailabilityQuery>,
    options: RequestOptions = {},
  ): Promise<Availability> {
    const q = validate('availability query', AvailabilityQuery, query);
    const search = new URLSearchParams({ service: q.service, from: q.from, to: q.to });
    if (q.staff !== undefined) search.set('staff', q.staff);
    return this.call(
      {
        method: 'GET',
        path: routes.availability(this.business),
        search,
        schema: Availability,
        retry: true,
      },
      options,
    );
  }

  /**
   * POST a booking. Sends the request as normalised by the contract, with an `Idempotency-Key`
   * (the given one or a fresh one) that stays the same on every retry of this call.
   */
  async createBooking(
    request: z.input<typeof CreateBookingRequest>,
    options: CreateBookingOptions = {},
  ): Promise<CreatedBooking> {
    const body = validate('booking request', CreateBookingRequest, request);
    const key =
      options.idempotencyKey === undefined
        ? newIdempotencyKey()
        : validate('idempotency key', IdempotencyKey, options.idempotencyKey, 'idempotencyKey');
    return this.call(
      {
        method: 'POST',
        path: routes.bookings(this.business),
        headers: { [IDEMPOTENCY_HEADER]: key },
        body,
        schema: CreatedBooking,
        retry: true,
      },
      options,
    );
  }

  /** One call: deadline, retries, validation of the answer. */
  protected async call<T>(call: Call<T>, { signal }: RequestOptions): Promise<T> {
    const url = `${this.endpoint}${call.path}${call.search ? `?${call.search}` : ''}`;
    const request: RequestSummary = { method: call.method, url };
    if (signal?.aborted) throw new CitaAbortError(request, signal.reason);

    const deadline = Date.now() + this.timeoutMs;
    const controller = new AbortController();
    const onAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => controller.abort(DEADLINE), this.timeoutMs);
    const interrupted = (): CitaError =>
      controller.signal.reason === DEADLINE
        ? new TimeoutError(request, this.timeoutMs)
        : new CitaAbortError(request, controller.signal.reason);

    const headers: Record<string, string> = { Accept: ACCEPT, ...call.headers };
    if (call.body !== undefined) headers['Content-Type'] = 'application/json';
    const init: RequestInit = {
      method: call.method,
      headers,
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
      credentials: call.credentials ?? 'omit',
      referrerPolicy: 'no-referrer',
      cache: 'no-store',
      mode: 'cors',
      redirect: 'manual',
      signal: controller.signal,
    };

    try {
      for (let attempt = 0; ; attempt++) {
        let error: CitaError;
        try {
          return await this.#attempt(call, request, init);
        } catch (caught) {
          if (controller.signal.aborted) throw interrupted();
          error = caught as CitaError;
        }
        if (!call.retry || attempt >= this.retries || !isRetryable(error)) throw error;
        const wait = this.#waitBefore(attempt, error);
        if (wait === undefined || Date.now() + wait >= deadline) throw error;
        try {
          await sleep(wait, controller.signal);
        } catch {
          throw interrupted();
        }
      }
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** One HTTP exchange. Throws CitaErrors; an abort surfaces as whatever fetch threw. */
  async #attempt<T>(call: Call<T>, request: RequestSummary, init: RequestInit): Promise<T> {
    let response: Response;
    let text: string;
    try {
      response = await this.#fetch(request.url, init);
      if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
        // A browser hides a manual redirect's target; Node shows it. Either way: not followed.
        void response.body?.cancel().catch(() => undefined);
        throw new ContractError(request, response.status, [
          {
            path: '',
            code: 'redirect',
            message: 'The API answered with a redirect, which Cita does not follow',
          },
        ]);
      }
      text = await response.text();
    } catch (error) {
      if (error instanceof ContractError || init.signal?.aborted) throw error;
      throw new NetworkError(request, error);
    }

    const contentType = response.headers.get('Content-Type') ?? '';
    if (!response.ok) throw toProblemError(request, response, contentType, text, this.problemCodes);
    if (call.empty) return undefined as T;

    if (!JSON_TYPE.test(contentType)) {
      throw new ContractError(request, response.status, [
        {
          path: '',
          code: 'content_type',
          message: `Expected JSON, got ${contentType ? JSON.stringify(contentType.slice(0, 100)) : 'no Content-Type'}`,
        },
      ]);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new ContractError(request, response.status, [
        { path: '', code: 'invalid_json', message: 'The body is not valid JSON' },
      ]);
    }
    const parsed = call.schema.safeParse(json);
    if (!parsed.success)
      throw new ContractError(request, response.status, summariseIssues(parsed.error.issues));
    return parsed.data;
  }

  /** How long to wait before the next attempt, or undefined to give up now. */
  #waitBefore(attempt: number, error: CitaError): number | undefined {
    const { baseDelayMs, maxDelayMs, maxRetryAfterMs } = this.#retry;
    const backoff = Math.random() * Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
    const retryAfter = error instanceof ProblemError ? error.retryAfter : undefined;
    if (retryAfter === undefined) return backoff;
    const retryAfterMs = retryAfter * 1000;
    return retryAfterMs > maxRetryAfterMs ? undefined : Math.max(retryAfterMs, backoff);
  }
}

/** A fresh idempotency key: 18 random bytes, base64url (24 characters). */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_');
}

/**
 * Seconds to wait from a `Retry-After` header: delay-seconds or an HTTP date (RFC 9110 §10.2.3).
 * Undefined when absent or unreadable; a date in the past gives 0.
 */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v);
  const date = Date.parse(v);
  if (Number.isNaN(date) || !/[a-z]/i.test(v)) return undefined;
  return Math.max(0, (date - now) / 1000);
}

/* ------------------------------------------------------------------------------------------------ */

function checkEndpoint(endpoint: string | URL): string {
  const shown = JSON.stringify(String(endpoint));
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new ConfigError(`Endpoint ${shown} is not an absolute URL.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(`Endpoint ${shown} must use https: (got ${url.protocol}).`);
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    throw new ConfigError(
      `Endpoint ${shown} must use https:; plain http: is allowed only on loopback (localhost, 127.0.0.0/8, [::1]).`,
    );
  }
  if (url.username || url.password) {
    throw new ConfigError(`Endpoint ${shown} must not contain credentials (user:password@).`);
  }
  if (url.search || url.hash || String(endpoint).includes('#') || String(endpoint).includes('?')) {
    throw new ConfigError(`Endpoint ${shown} must not contain a query or a fragment.`);
  }
  return url.origin + url.pathname.replace(/\/+$/, '');
}

/** Loopback hosts, after URL parsing has normalised them (`127.1` -> `127.0.0.1`, `[0::1]` -> `[::1]`). */
function isLoopback(hostname: string): boolean {
  return (
    hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
  );
}

function checkNumber(name: string, value: number, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a number from ${min} to ${max} (got ${String(value)}).`);
  }
  return value;
}

/** `value` parsed by `schema`, or a `ValidationError` naming `what` (nothing is sent). */
export function validate<S extends z.ZodMiniType>(
  what: string,
  schema: S,
  value: unknown,
  field?: string,
): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ValidationError(what, issuesToFieldErrors(parsed.error.issues, field));
  return parsed.data;
}

function isRetryable(error: CitaError): boolean {
  if (error instanceof NetworkError) return true;
  if (error instanceof ProblemError)
    return error.status === 429 || (error.status >= 500 && error.status !== 501);
  return false;
}

function toProblemError(
  request: RequestSummary,
  response: Response,
  contentType: string,
  text: string,
  known: readonly string[],
): ProblemError {
  const headerRetryAfter = parseRetryAfter(response.headers.get('Retry-After'));
  let body: unknown;
  try {
    body = PROBLEM_TYPE.test(contentType) ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  const parsed = body === undefined ? undefined : Problem.safeParse(body);
  if (!parsed?.success) {
    return new ProblemError(request, {
      status: response.status,
      type: 'about:blank',
      code: undefined,
      title: response.statusText || `HTTP ${response.status}`,
      errors: [],
      retryAfter: headerRetryAfter,
      synthetic: true,
    });
  }
  const p = parsed.data;
  // The schema keeps only the contract's members: nothing else of the body reaches the error.
  return new ProblemError(request, {
    ...p,
    status: response.status,
    code: problemCode(p, known),
    errors: p.errors ?? [],
    retryAfter: headerRetryAfter ?? p.retryAfter,
    synthetic: false,
  });
}

/** Resolve after `ms`, or reject as soon as `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

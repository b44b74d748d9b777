/**
 * The HTTP client against a real, deliberately misbehaving `node:http` server on 127.0.0.1.
 * Each test gets its own run id (the endpoint's path prefix) so request logs never mix; the business
 * slug names the misbehaviour. Retry delays are shortened through the client's `retry` option.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CitaClient, newIdempotencyKey, parseRetryAfter, type CitaClientOptions } from '../src/api/client.js';
import {
  CitaAbortError,
  CitaError,
  ConfigError,
  ContractError,
  NetworkError,
  ProblemError,
  TimeoutError,
  ValidationError,
} from '../src/api/errors.js';
import { problemType, type ProblemCode } from '../src/api/contract.js';
import { business, services } from './support/api-fixtures.mjs';

/* ------------------------------------------------------------------------------------------------
 * Fixtures (valid against the contract)
 * --------------------------------------------------------------------------------------------- */

const BOOKING_ID = '3f2b8c1e-4d5a-4b6c-9d7e-8f9a0b1c2d3e';
const MANAGE_TOKEN = 'mt_0123456789abcdefghijklmnopqrstuvwxyz';
const SENTINEL = 'Sentinel Secret Value 42';

const booking = (slug: string, status = 'confirmed') => ({
  id: BOOKING_ID,
  reference: 'CITA-7KQ2M9',
  status,
  business: slug,
  service: { id: 'haircut', name: 'Haircut' },
  staff: { id: 'rosa', name: 'Rosa' },
  start: '2026-03-02T10:00:00+01:00',
  end: '2026-03-02T10:45:00+01:00',
  timeZone: 'Europe/Madrid',
  customer: { name: 'Ana' },
  createdAt: '2026-02-20T09:00:00Z',
});

const bookingRequest = {
  service: 'haircut',
  start: '2026-03-02T10:00:00+01:00',
  customer: { name: '  Ana  ', email: 'Ana@Example.com' },
  consents: [],
};

const problem = (code: ProblemCode, status: number, extra: Record<string, unknown> = {}) => ({
  type: problemType(code),
  title: code.replace(/_/g, ' '),
  status,
  ...extra,
});

/* ------------------------------------------------------------------------------------------------
 * The misbehaving server
 * --------------------------------------------------------------------------------------------- */

interface Seen {
  method: string;
  path: string;
  search: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

const logs = new Map<string, Seen[]>();

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const type = status >= 400 ? 'application/problem+json' : 'application/json';
  res.writeHead(status, { 'Content-Type': type, ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

/** The well-behaved answer to a route, used once a misbehaviour has played out. */
function behave(res: ServerResponse, slug: string, seen: Seen) {
  const rest = seen.path;
  // The API has no business planting cookies; a client with a cookie jar would send this back.
  res.setHeader('Set-Cookie', 'planted=1; Path=/; SameSite=None; Secure');
  if (seen.method === 'GET' && rest === '') return send(res, 200, business(slug));
  if (seen.method === 'GET' && rest === '/services') return send(res, 200, services);
  if (seen.method === 'GET' && rest === '/availability') {
    const q = Object.fromEntries(seen.search);
    return send(res, 200, {
      service: q.service,
      from: q.from,
      to: q.to,
      timeZone: 'Europe/Madrid',
      slots: [],
    });
  }
  if (seen.method === 'POST' && rest === '/bookings') {
    return send(res, 201, { ...booking(slug), manageToken: MANAGE_TOKEN });
  }
  if (seen.method === 'GET' && rest === `/bookings/${BOOKING_ID}`) return send(res, 200, booking(slug));
  if (seen.method === 'POST' && rest === `/bookings/${BOOKING_ID}/cancel`) {
    return send(res, 200, { ...booking(slug, 'cancelled'), cancelledAt: '2026-02-21T09:00:00Z' });
  }
  send(res, 404, problem('not_found', 404));
}

type Scenario = (res: ServerResponse, n: number, seen: Seen, slug: string) => void;

const scenarios: Record<string, Scenario> = {
  ok: (res, _n, seen, slug) => behave(res, slug, seen),
  slow: (res, _n, seen, slug) => {
    const timer = setTimeout(() => behave(res, slug, seen), 3_000);
    res.on('close', () => clearTimeout(timer));
  },
  'flaky-500': (res, n, seen, slug) =>
    n === 1 ? send(res, 500, problem('internal_error', 500)) : behave(res, slug, seen),
  'rate-limited': (res, n, seen, slug) =>
    n === 1
      ? send(res, 429, problem('rate_limited', 429, { retryAfter: 1 }), { 'Retry-After': '1' })
      : behave(res, slug, seen),
  'rate-limited-long': (res) =>
    send(res, 429, problem('rate_limited', 429, { retryAfter: 3600 }), { 'Retry-After': '3600' }),
  unavailable: (res) => send(res, 503, problem('internal_error', 503), { 'Retry-After': '2' }),
  malformed: (res) => send(res, 200, '{"services": [{"id": "haircut",'),
  'wrong-shape': (res) =>
    send(res, 200, {
      services: [{ id: SENTINEL, name: 'Haircut', durationMinutes: SENTINEL, staff: [SENTINEL] }],
    }),
  'html-200': (res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<!doctype html><title>Welcome to nginx</title>');
  },
  'html-502': (res) => {
    res.writeHead(502, { 'Content-Type': 'text/html' });
    res.end('<html><body>Bad gateway</body></html>');
  },
  'drop-once': (res, n, seen, slug) => (n === 1 ? res.socket?.destroy() : behave(res, slug, seen)),
  drop: (res) => res.socket?.destroy(),
  'bad-request': (res) =>
    send(
      res,
      400,
      problem('validation_failed', 400, {
        detail: 'Some fields are not valid.',
        errors: [{ field: 'customer.email', message: 'Not a valid email address', code: 'invalid_format' }],
      }),
    ),
  'cancellation-closed': (res) =>
    send(res, 409, problem('cancellation_closed', 409, { cancellableUntil: '2026-03-01T10:00:00+01:00' })),
  'consent-outdated': (res) => send(res, 409, problem('consent_outdated', 409, { policies: ['terms'] })),
  'problem-wrong-shape': (res) => send(res, 404, { error: 'nope' }),
  'flaky-booking': (res, n, seen, slug) => {
    if (n === 1) return send(res, 500, problem('internal_error', 500));
    if (n === 2) return res.socket?.destroy();
    behave(res, slug, seen);
  },
  'cancel-500': (res, _n, seen, slug) =>
    seen.method === 'POST' ? send(res, 500, problem('internal_error', 500)) : behave(res, slug, seen),
  redirect: (res) => {
    res.writeHead(301, { Location: '/elsewhere' });
    res.end();
  },
};

const ROUTE = /^\/([\w-]+)\/v1\/businesses\/([a-z0-9-]+)(\/.*)?$/;

function handle(req: IncomingMessage, res: ServerResponse) {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const match = ROUTE.exec(url.pathname);
    const run = match?.[1] ?? url.pathname.split('/')[1] ?? '';
    const seen: Seen = {
      method: req.method ?? '',
      path: match ? (match[3] ?? '') : url.pathname,
      search: url.searchParams,
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
      at: performance.now(),
    };
    const log = logs.get(run) ?? [];
    log.push(seen);
    logs.set(run, log);
    const scenario = match && scenarios[match[2]];
    if (!scenario) return send(res, 404, problem('not_found', 404));
    scenario(res, log.length, seen, match[2]);
  });
}

const server = createServer(handle);
let origin = '';
let runs = 0;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** A client for one scenario, with fast but real backoff, and the log of what the server saw. */
function setup(scenario: string, options: Partial<CitaClientOptions> = {}) {
  const run = `run${++runs}`;
  const client = new CitaClient({
    endpoint: `${origin}/${run}`,
    business: scenario,
    retry: { baseDelayMs: 10, maxDelayMs: 40 },
    ...options,
  });
  const seen = () => logs.get(run) ?? [];
  return { client, seen };
}

async function rejection(promise: Promise<unknown>): Promise<CitaError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(CitaError);
    return error as CitaError;
  }
  throw new Error('expected the call to fail');
}

/* ------------------------------------------------------------------------------------------------
 * Tests
 * --------------------------------------------------------------------------------------------- */

describe('CitaClient endpoint rules', () => {
  const make = (endpoint: string) => () => new CitaClient({ endpoint, business: 'salon-rosa' });

  it('refuses plain http on a public host, naming the endpoint and the rule, before any request', () => {
    let calls = 0;
    const fetch = async () => {
      calls++;
      return new Response('{}');
    };
    expect(
      () => new CitaClient({ endpoint: 'http://book.example.com', business: 'salon-rosa', fetch }),
    ).toThrow(ConfigError);
    expect(make('http://book.example.com/api')).toThrow(
      /"http:\/\/book\.example\.com\/api" must use https:; plain http: is allowed only on loopback/,
    );
    expect(calls).toBe(0);
  });

  it('accepts https anywhere and http on loopback only', () => {
    expect(make('https://book.example.com/')().endpoint).toBe('https://book.example.com');
    expect(make('https://book.example.com/api/cita/')().endpoint).toBe('https://book.example.com/api/cita');
    expect(make('http://localhost:8080')().endpoint).toBe('http://localhost:8080');
    expect(make('http://127.0.0.1:3000')().endpoint).toBe('http://127.0.0.1:3000');
    expect(make('http://127.12.0.9')().endpoint).toBe('http://127.12.0.9');
    expect(make('http://[::1]:3000')().endpoint).toBe('http://[::1]:3000');
    for (const lookalike of [
      'http://localhost.example.com',
      'http://127.0.0.1.nip.io',
      'http://128.0.0.1',
      'http://[::2]',
      'http://10.0.0.1',
    ]) {
      expect(make(lookalike), lookalike).toThrow(/allowed only on loopback/);
    }
  });

  it('refuses credentials, other schemes, queries, fragments and relative URLs', () => {
    expect(make('https://user:pass@book.example.com')).toThrow(/must not contain credentials/);
    expect(make('http://user@localhost:3000')).toThrow(/must not contain credentials/);
    for (const scheme of [
      'ftp://book.example.com',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:,x',
      'ws://localhost',
    ]) {
      expect(make(scheme), scheme).toThrow(/must use https: \(got [a-z]+:\)/);
    }
    expect(make('https://book.example.com/?tenant=x')).toThrow(/query or a fragment/);
    expect(make('https://book.example.com/#x')).toThrow(/query or a fragment/);
    expect(make('/v1')).toThrow(/not an absolute URL/);
  });

  it('refuses a bad business slug and nonsensical options', () => {
    expect(make.bind(null, 'https://x.example')).not.toThrow();
    expect(() => new CitaClient({ endpoint: 'https://x.example', business: 'Salon Rosa' })).toThrow(
      ConfigError,
    );
    expect(() => new CitaClient({ endpoint: 'https://x.example', business: 'a', timeoutMs: 0 })).toThrow(
      /timeoutMs/,
    );
    expect(() => new CitaClient({ endpoint: 'https://x.example', business: 'a', retries: 1.5 })).toThrow(
      /retries/,
    );
  });
});

describe('CitaClient against a misbehaving server', () => {
  it('sends only the allowed headers, no cookie or referrer, and the privacy fetch options', async () => {
    const inits: RequestInit[] = [];
    const { client, seen } = setup('ok', {
      fetch: (input, init) => {
        inits.push(init ?? {});
        return fetch(input, init);
      },
    });
    await client.getBusiness();
    await client.getServices();
    const availability = await client.getAvailability({
      service: 'haircut',
      from: '2026-03-01',
      to: '2026-03-31',
    });
    const created = await client.createBooking(bookingRequest);
    const read = await client.getBooking(created.id, created.manageToken!);
    const cancelled = await client.cancelBooking(created.id, created.manageToken!, { reason: 'Sick' });

    expect(availability.from).toBe('2026-03-01');
    expect(read.status).toBe('confirmed');
    expect(cancelled.status).toBe('cancelled');
    const log = seen();
    expect(log.map((s) => `${s.method} ${s.path}`)).toEqual([
      'GET ',
      'GET /services',
      'GET /availability',
      'POST /bookings',
      `GET /bookings/${BOOKING_ID}`,
      `POST /bookings/${BOOKING_ID}/cancel`,
    ]);
    expect(Object.fromEntries(log[2].search)).toEqual({
      service: 'haircut',
      from: '2026-03-01',
      to: '2026-03-31',
    });
    // The body sent is the contract-normalised request.
    expect(JSON.parse(log[3].body).customer).toEqual({ name: 'Ana', email: 'ana@example.com' });
    expect(JSON.parse(log[5].body)).toEqual({ reason: 'Sick' });

    for (const s of log) {
      // Every response set a cookie; none came back, and nothing says where the request came from.
      expect(s.headers.cookie, s.path).toBeUndefined();
      expect(s.headers.referer, s.path).toBeUndefined();
      expect(s.headers.origin, s.path).toBeUndefined();
      expect(s.headers.accept).toBe('application/json, application/problem+json');
      expect(Object.keys(s.headers).filter((h) => h.startsWith('x-'))).toEqual([]);
    }
    const has = (i: number, header: string) => log[i].headers[header] !== undefined;
    expect(log.map((_, i) => has(i, 'content-type'))).toEqual([false, false, false, true, false, true]);
    expect(log.map((_, i) => has(i, 'idempotency-key'))).toEqual([false, false, false, true, false, false]);
    expect(log.map((_, i) => has(i, 'authorization'))).toEqual([false, false, false, false, true, true]);
    expect(log[4].headers.authorization).toBe(`Bearer ${MANAGE_TOKEN}`);
    expect(log[3].headers['content-type']).toBe('application/json');

    for (const init of inits) {
      expect(init).toMatchObject({
        credentials: 'omit',
        referrerPolicy: 'no-referrer',
        cache: 'no-store',
        mode: 'cors',
        redirect: 'manual',
      });
    }
  });

  it('times out a slow server with TimeoutError', async () => {
    const { client, seen } = setup('slow', { timeoutMs: 300 });
    const started = performance.now();
    const error = await rejection(client.getServices());
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.kind).toBe('timeout');
    expect(error.message).toMatch(/timed out after 300 ms/);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(seen()).toHaveLength(1);
  });

  it('retries a 500 and returns the data of the 200 that follows', async () => {
    const { client, seen } = setup('flaky-500');
    const config = await client.getBusiness();
    expect(config.slug).toBe('flaky-500');
    expect(seen()).toHaveLength(2);
  });

  it('waits out a 429 Retry-After before retrying', async () => {
    const { client, seen } = setup('rate-limited');
    const started = performance.now();
    const list = await client.getServices();
    expect(list.services[0].id).toBe('haircut');
    const [first, second] = seen();
    expect(seen()).toHaveLength(2);
    expect(second.at - first.at).toBeGreaterThanOrEqual(1_000);
    expect(performance.now() - started).toBeGreaterThanOrEqual(1_000);
  });

  it('gives up at once on a Retry-After beyond the cap and reports when to try again', async () => {
    const { client, seen } = setup('rate-limited-long');
    const started = performance.now();
    const error = await rejection(client.getServices());
    expect(error).toBeInstanceOf(ProblemError);
    expect(error).toMatchObject({ kind: 'problem', status: 429, code: 'rate_limited', retryAfter: 3600 });
    expect(seen()).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('turns malformed JSON into ContractError', async () => {
    const { client } = setup('malformed');
    const error = await rejection(client.getServices());
    expect(error).toBeInstanceOf(ContractError);
    expect((error as ContractError).issues).toEqual([
      { path: '', code: 'invalid_json', message: 'The body is not valid JSON' },
    ]);
  });

  it('turns valid JSON of the wrong shape into ContractError without the data', async () => {
    const { client, seen } = setup('wrong-shape');
    const error = await rejection(client.getServices());
    expect(error).toBeInstanceOf(ContractError);
    const contract = error as ContractError;
    expect(contract.kind).toBe('contract');
    expect(contract.status).toBe(200);
    expect(contract.issues.map((i) => i.path)).toEqual(
      expect.arrayContaining(['services.0.id', 'services.0.durationMinutes']),
    );
    expect(JSON.stringify({ ...contract, message: contract.message })).not.toContain(SENTINEL);
    expect(seen()).toHaveLength(1); // a contract mismatch is not retried
  });

  it('turns a non-JSON success (an HTML page) into ContractError', async () => {
    const { client } = setup('html-200');
    const error = await rejection(client.getBusiness());
    expect(error).toBeInstanceOf(ContractError);
    expect(error.message).toMatch(/Expected JSON, got "text\/html"/);
  });

  it('does not follow redirects', async () => {
    const { client, seen } = setup('redirect');
    const error = await rejection(client.getBusiness());
    expect(error).toBeInstanceOf(ContractError);
    expect((error as ContractError).issues[0].code).toBe('redirect');
    expect(seen().map((s) => s.path)).toEqual(['']); // /elsewhere was never requested
  });

  it('retries a dropped connection', async () => {
    const { client, seen } = setup('drop-once');
    const list = await client.getServices();
    expect(list.services).toHaveLength(1);
    expect(seen()).toHaveLength(2);
  });

  it('gives up on a connection that always drops with NetworkError after the retries', async () => {
    const { client, seen } = setup('drop', { retries: 3 });
    const error = await rejection(client.getServices());
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.kind).toBe('network');
    expect(seen()).toHaveLength(4);
  });

  it('surfaces a 400 problem with its field errors and does not retry it', async () => {
    const { client, seen } = setup('bad-request');
    const error = await rejection(client.createBooking(bookingRequest));
    expect(error).toBeInstanceOf(ProblemError);
    expect(error).toMatchObject({
      kind: 'problem',
      status: 400,
      code: 'validation_failed',
      title: 'validation failed',
      detail: 'Some fields are not valid.',
      errors: [{ field: 'customer.email', message: 'Not a valid email address', code: 'invalid_format' }],
      synthetic: false,
    });
    expect(seen()).toHaveLength(1);
  });

  it('carries cancellableUntil and policies from the problem', async () => {
    const closed = await rejection(
      setup('cancellation-closed').client.cancelBooking(BOOKING_ID, MANAGE_TOKEN),
    );
    expect(closed).toMatchObject({
      code: 'cancellation_closed',
      cancellableUntil: '2026-03-01T10:00:00+01:00',
    });
    const outdated = await rejection(setup('consent-outdated').client.createBooking(bookingRequest));
    expect(outdated).toMatchObject({ code: 'consent_outdated', policies: ['terms'] });
  });

  it('synthesises a problem from the status when the error body is not a problem', async () => {
    const { client, seen } = setup('html-502');
    const error = await rejection(client.getServices());
    expect(error).toMatchObject({ kind: 'problem', status: 502, type: 'about:blank', synthetic: true });
    expect((error as ProblemError).code).toBeUndefined();
    expect(seen()).toHaveLength(3); // a 5xx, even from a proxy, is retried

    const notFound = await rejection(setup('problem-wrong-shape').client.getServices());
    expect(notFound).toMatchObject({ kind: 'problem', status: 404, synthetic: true });
  });

  it('sends the same Idempotency-Key on every retry of one booking', async () => {
    const { client, seen } = setup('flaky-booking');
    const created = await client.createBooking(bookingRequest);
    expect(created.manageToken).toBe(MANAGE_TOKEN);
    const keys = seen().map((s) => s.headers['idempotency-key']);
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^[A-Za-z0-9_-]{16,128}$/);
  });

  it('uses the caller’s Idempotency-Key, and a fresh one per booking otherwise', async () => {
    const { client, seen } = setup('ok');
    const key = newIdempotencyKey();
    await client.createBooking(bookingRequest, { idempotencyKey: key });
    await client.createBooking(bookingRequest);
    await client.createBooking(bookingRequest);
    const keys = seen().map((s) => s.headers['idempotency-key']);
    expect(keys[0]).toBe(key);
    expect(new Set(keys).size).toBe(3);
    const bad = await rejection(client.createBooking(bookingRequest, { idempotencyKey: 'short' }));
    expect(bad).toBeInstanceOf(ValidationError);
    expect(seen()).toHaveLength(3);
  });

  it('never retries a cancellation, whatever the failure', async () => {
    const failed = setup('cancel-500');
    const error = await rejection(failed.client.cancelBooking(BOOKING_ID, MANAGE_TOKEN));
    expect(error).toMatchObject({ kind: 'problem', status: 500 });
    expect(failed.seen()).toHaveLength(1);

    const dropped = setup('drop');
    expect(await rejection(dropped.client.cancelBooking(BOOKING_ID, MANAGE_TOKEN))).toBeInstanceOf(
      NetworkError,
    );
    expect(dropped.seen()).toHaveLength(1);
  });

  it('stops at once when aborted during a backoff wait', async () => {
    let answered!: () => void;
    const firstAnswer = new Promise<void>((resolve) => (answered = resolve));
    const { client, seen } = setup('unavailable', {
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        answered();
        return response;
      },
    });
    const controller = new AbortController();
    const reason = new Error('the person closed the dialog');
    const call = rejection(client.getServices({ signal: controller.signal }));
    await firstAnswer; // the 503 asked for a 2 s wait
    await new Promise((resolve) => setTimeout(resolve, 50));
    const aborted = performance.now();
    controller.abort(reason);
    const error = await call;
    expect(performance.now() - aborted).toBeLessThan(500);
    expect(error).toBeInstanceOf(CitaAbortError);
    expect(error).toMatchObject({ kind: 'abort', name: 'AbortError', reason });
    expect(seen()).toHaveLength(1);
  });

  it('aborts a request in flight, and sends nothing for an already-aborted signal', async () => {
    const slow = setup('slow');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = await rejection(slow.client.getServices({ signal: controller.signal }));
    expect(error).toBeInstanceOf(CitaAbortError);
    expect((error as CitaAbortError).reason).toBeInstanceOf(DOMException);
    expect(slow.seen()).toHaveLength(1);

    const idle = setup('ok');
    const early = await rejection(idle.client.getServices({ signal: AbortSignal.abort('gone') }));
    expect(early).toMatchObject({ kind: 'abort', reason: 'gone' });
    expect(idle.seen()).toHaveLength(0);
  });

  it('refuses bad input with ValidationError before sending anything', async () => {
    const { client, seen } = setup('ok');
    const query = await rejection(
      client.getAvailability({ service: 'haircut', from: '2026-03-31', to: '2026-03-01' }),
    );
    expect(query).toBeInstanceOf(ValidationError);
    expect((query as ValidationError).errors).toEqual([
      { field: 'to', message: '`to` is before `from`', code: 'custom' },
    ]);
    const booking = await rejection(
      client.createBooking({ ...bookingRequest, customer: { name: 'Ana', email: 'x' } }),
    );
    expect((booking as ValidationError).errors.map((e) => e.field)).toEqual(['customer.email']);
    const token = await rejection(client.getBooking(BOOKING_ID, 'not a token\r\nX-Evil: 1'));
    expect((token as ValidationError).errors.map((e) => e.field)).toEqual(['manageToken']);
    expect(token.message).not.toContain('X-Evil');
    expect(await rejection(client.cancelBooking('../../admin', MANAGE_TOKEN))).toBeInstanceOf(
      ValidationError,
    );
    expect(seen()).toHaveLength(0);
  });
});

describe('Retry-After and idempotency keys', () => {
  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-03-01T10:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3);
    expect(parseRetryAfter(' 120 ', now)).toBe(120);
    expect(parseRetryAfter('Sun, 01 Mar 2026 10:00:05 GMT', now)).toBe(5);
    expect(parseRetryAfter('Sun, 01 Mar 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('-1', now)).toBeUndefined();
    expect(parseRetryAfter('1.5', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });

  it('makes base64url keys the contract accepts, never the same twice', () => {
    const keys = Array.from({ length: 1000 }, newIdempotencyKey);
    for (const key of keys) expect(key).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('browser-only code', () => {
  it('imports only zod/mini and its own modules', () => {
    for (const file of ['src/api/booking-client.ts', 'src/api/client.ts', 'src/api/errors.ts']) {
      const source = readFileSync(new URL(`../${file}`, import.meta.url), 'utf8');
      const specifiers = [...source.matchAll(/^import[^;]*?from '([^']+)'/gm)].map((m) => m[1]);
      expect(specifiers.length, file).toBeGreaterThan(0);
      for (const specifier of specifiers) expect(specifier, file).toMatch(/^(?:zod\/mini|\.\/[\w-]+\.js)$/);
    }
  });
});

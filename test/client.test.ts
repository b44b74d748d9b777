/**
 * The HTTP client in real Chromium, against the misbehaving API that
 * test/support/misbehaving-server.mjs adds to the test runner's dev server (same origin, loopback).
 */
import { expect } from '@open-wc/testing';
import { CitaClient } from '../src/api/client.js';
import { CitaAbortError, CitaError, ContractError, ProblemError, TimeoutError } from '../src/api/errors.js';

interface Seen {
  method: string;
  path: string;
  cookie: string | null;
  referer: string | null;
  idempotencyKey: string | null;
  at: number;
}

const bookingRequest = {
  service: 'haircut',
  start: '2026-03-02T10:00:00+01:00',
  customer: { name: 'Ana', email: 'ana@example.com' },
  consents: [],
};

/** A client for one scenario with its own run id, fast but real backoff, and the server's log. */
function setup(scenario: string, options: { timeoutMs?: number } = {}) {
  const endpoint = `${location.origin}/__cita/${crypto.randomUUID()}`;
  const client = new CitaClient({
    endpoint,
    business: scenario,
    retry: { baseDelayMs: 10, maxDelayMs: 40 },
    ...options,
  });
  const seen = async (): Promise<Seen[]> => (await fetch(`${endpoint}/log`, { cache: 'no-store' })).json();
  return { client, endpoint, seen };
}

async function rejection(promise: Promise<unknown>): Promise<CitaError> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(CitaError);
    return error as CitaError;
  }
  throw new Error('expected the call to fail');
}

const expireCookie = (name: string) => {
  document.cookie = `${name}=; Path=/; Max-Age=0`;
};

describe('CitaClient in the browser', () => {
  afterEach(() => {
    expireCookie('cita_host_secret');
    expireCookie('cita_planted');
  });

  it('sends no cookie and no referrer, and cannot plant a cookie on the page', async () => {
    document.cookie = 'cita_host_secret=1; Path=/';
    const { client, endpoint, seen } = setup('ok');

    // Control: a plain same-origin fetch does carry the page's cookie, so the check below can fail.
    await fetch(`${endpoint}/probe`);
    const list = await client.getServices();
    expect(list.services[0].id).to.equal('haircut');

    const [probe, call] = await seen();
    expect(probe.cookie).to.contain('cita_host_secret=1');
    expect(probe.referer).to.be.a('string');
    expect(call.path).to.equal('/v1/businesses/ok/services');
    expect(call.cookie).to.equal(null);
    expect(call.referer).to.equal(null);
    // The API answered with Set-Cookie; with credentials omitted the browser ignored it.
    expect(document.cookie).not.to.contain('cita_planted');
  });

  it('retries a 500 and returns the data of the 200 that follows', async () => {
    const { client, seen } = setup('flaky-500');
    const config = await client.getBusiness();
    expect(config.slug).to.equal('flaky-500');
    expect(config.timeZone).to.equal('Europe/Madrid');
    expect(await seen()).to.have.length(2);
  });

  it('turns a response of the wrong shape into ContractError and returns no data', async () => {
    const { client, seen } = setup('wrong-shape');
    const error = await rejection(client.getServices());
    expect(error).to.be.instanceOf(ContractError);
    expect(error.kind).to.equal('contract');
    const paths = (error as ContractError).issues.map((i) => i.path);
    expect(paths).to.include.members(['services.0.id', 'services.0.durationMinutes']);
    expect(await seen()).to.have.length(1);
  });

  it('surfaces a 400 problem as ProblemError with its field errors, and does not retry it', async () => {
    const { client, seen } = setup('bad-request');
    const error = await rejection(client.createBooking(bookingRequest));
    expect(error).to.be.instanceOf(ProblemError);
    const problem = error as ProblemError;
    expect(problem.kind).to.equal('problem');
    expect(problem.status).to.equal(400);
    expect(problem.code).to.equal('validation_failed');
    expect(problem.errors).to.deep.equal([
      { field: 'customer.email', message: 'Not a valid email address', code: 'invalid_format' },
    ]);
    const log = await seen();
    expect(log).to.have.length(1);
    expect(log[0].idempotencyKey).to.match(/^[A-Za-z0-9_-]{16,128}$/);
  });

  it('times out a slow server with TimeoutError', async () => {
    const { client } = setup('slow', { timeoutMs: 300 });
    const started = performance.now();
    const error = await rejection(client.getServices());
    expect(error).to.be.instanceOf(TimeoutError);
    expect(error.kind).to.equal('timeout');
    expect(performance.now() - started).to.be.below(3_000);
  });

  it('stops at once when aborted during a Retry-After wait', async () => {
    const { client, seen } = setup('unavailable');
    const controller = new AbortController();
    const call = rejection(client.getServices({ signal: controller.signal }));
    // Wait until the 503 (Retry-After: 3) has arrived, so the client is in its wait.
    while ((await seen()).length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const aborted = performance.now();
    controller.abort(new Error('closed'));
    const error = await call;
    expect(performance.now() - aborted).to.be.below(1_000);
    expect(error).to.be.instanceOf(CitaAbortError);
    expect(error.name).to.equal('AbortError');
    expect(((error as CitaAbortError).reason as Error).message).to.equal('closed');
    expect(await seen()).to.have.length(1);
  });

  it('aborts a request in flight', async () => {
    const { client } = setup('slow');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = await rejection(client.getServices({ signal: controller.signal }));
    expect(error).to.be.instanceOf(CitaAbortError);
    expect((error as CitaAbortError).reason).to.be.instanceOf(DOMException);
  });
});

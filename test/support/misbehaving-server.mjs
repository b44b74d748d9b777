/**
 * A deliberately misbehaving Cita API for the browser tests, as a Koa middleware for the
 * @web/test-runner dev server (registered in web-test-runner.config.mjs).
 *
 * Routes: /__cita/<run>/v1/businesses/<scenario>/... where <run> is a per-test id (so request logs
 * never mix) and <scenario> names the misbehaviour. GET /__cita/<run>/log returns what the server
 * saw for that run: method, path and the privacy-relevant headers.
 */
import { Buffer } from 'node:buffer';
import { clearTimeout, setTimeout } from 'node:timers';
import { business, services } from './api-fixtures.mjs';

const PREFIX = /^\/__cita\/([\w-]+)(\/.*)?$/;
const API = /^\/v1\/businesses\/([a-z0-9-]+)(\/.*)?$/;
const PROBLEMS = 'https://cita.dev/problems/';

/** Request logs by run id. Kept small: a run is one test. */
const logs = new Map();

const problem = (code, status, extra = {}) => ({
  type: PROBLEMS + code,
  title: code.replace(/_/g, ' '),
  status,
  ...extra,
});

function send(ctx, status, body, headers = {}) {
  ctx.status = status;
  ctx.set('Cache-Control', 'no-store');
  for (const [name, value] of Object.entries(headers)) ctx.set(name, value);
  ctx.type = status >= 400 ? 'application/problem+json' : 'application/json';
  ctx.body = typeof body === 'string' ? body : JSON.stringify(body);
}

function behave(ctx, slug, rest) {
  if (ctx.method === 'GET' && rest === '') return send(ctx, 200, business(slug));
  if (ctx.method === 'GET' && rest === '/services') return send(ctx, 200, services);
  return send(ctx, 404, problem('not_found', 404));
}

const sleep = (ms, ctx) =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    ctx.req.on('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/** scenario -> (ctx, n, slug, rest) where n counts this run's API requests, from 1. */
const scenarios = {
  // Well-behaved, but tries to plant a cookie on the page's origin.
  ok: (ctx, _n, slug, rest) => {
    ctx.set('Set-Cookie', 'cita_planted=1; Path=/');
    behave(ctx, slug, rest);
  },
  'flaky-500': (ctx, n, slug, rest) =>
    n === 1 ? send(ctx, 500, problem('internal_error', 500)) : behave(ctx, slug, rest),
  'wrong-shape': (ctx) =>
    send(ctx, 200, {
      services: [{ id: 'Not A Slug', name: 'Haircut', durationMinutes: 'sixty', staff: [] }],
    }),
  'bad-request': (ctx) =>
    send(
      ctx,
      400,
      problem('validation_failed', 400, {
        detail: 'Some fields are not valid.',
        errors: [{ field: 'customer.email', message: 'Not a valid email address', code: 'invalid_format' }],
      }),
    ),
  slow: async (ctx, _n, slug, rest) => {
    await sleep(5_000, ctx);
    behave(ctx, slug, rest);
  },
  unavailable: (ctx) => send(ctx, 503, problem('internal_error', 503), { 'Retry-After': '3' }),
};

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** The middleware; everything outside /__cita/ passes through untouched. */
export function misbehavingServer() {
  return async function misbehaving(ctx, next) {
    const match = PREFIX.exec(ctx.path);
    if (!match) return next();
    const [, run, rest = '/'] = match;
    if (!logs.has(run)) logs.set(run, []);
    const log = logs.get(run);

    if (ctx.method === 'GET' && rest === '/log') return send(ctx, 200, log);

    const body = await readBody(ctx.req);
    log.push({
      method: ctx.method,
      path: rest,
      query: ctx.querystring,
      cookie: ctx.get('Cookie') || null,
      referer: ctx.get('Referer') || null,
      idempotencyKey: ctx.get('Idempotency-Key') || null,
      authorization: ctx.get('Authorization') || null,
      contentType: ctx.get('Content-Type') || null,
      body,
      at: Date.now(),
    });

    if (rest === '/probe') {
      ctx.status = 204;
      return;
    }
    const api = API.exec(rest);
    const scenario = api && scenarios[api[1]];
    if (!scenario) return send(ctx, 404, problem('not_found', 404));
    const n = log.filter((entry) => entry.path.startsWith('/v1/')).length;
    await scenario(ctx, n, api[1], api[2] ?? '');
  };
}

/**
 * The conformance kit: `cita-server conformance <endpoint> --business <slug>` runs the contract's
 * checks against any backend over HTTP and prints one line per check. Exit code 1 when a check
 * fails.
 *
 * What it promises:
 * - Every response it reads is parsed with the contract's own zod schema (src/api/contract.ts):
 *   success bodies with the operation's schema, errors as RFC 9457 `application/problem+json`
 *   with the contract's `type` URI for the expected code.
 * - It books for real: run it against a staging business. It books one slot far from the cutoff
 *   (then cancels it), one slot inside the cancellation cutoff when one is free right now (that
 *   one cannot be cancelled, by design), one slot it then moves to another free time (then
 *   cancels it), one inside the reschedule cutoff when one is free right now (which it cannot
 *   move, nor cancel when the cancellation cutoff is as long), and one slot raced by `race`
 *   concurrent requests (then cancels the winner). The backend's booking rate limits must allow about `race + 10` creates.
 * - A check that cannot run against this business right now (no slot inside the cutoff, no
 *   cancellation policy) is reported as skipped with the reason, never as passed.
 */
import { randomUUID } from 'node:crypto';
import type { z } from 'zod/mini';
import {
  Availability,
  Booking,
  BusinessConfig,
  CreatedBooking,
  IDEMPOTENCY_HEADER,
  MAX_AVAILABILITY_DAYS,
  Problem,
  ServiceList,
  problemCode,
  routes,
  type CreateBookingRequest,
  type ProblemCode,
  type Slot,
} from '../../src/api/contract.js';
import { manageRoutes, type RescheduleBookingRequest } from '../../src/api/manage-contract.js';

export interface ConformanceOptions {
  /** The backend's base URL, e.g. https://book.example.com */
  endpoint: string;
  business: string;
  /** An origin the business allows to embed it: CORS is then checked positively too. */
  origin?: string;
  /** How many concurrent creates race for one slot (default 10). */
  race?: number;
  write: (line: string) => void;
}

export interface CheckResult {
  name: string;
  status: 'pass' | 'fail' | 'skip';
  detail?: string;
}

class CheckFailed extends Error {}
class Skip extends Error {}

const FOREIGN_ORIGIN = 'https://conformance-foreign.invalid';

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new CheckFailed(message);
}

interface Reply {
  status: number;
  headers: Headers;
  text: string;
}

/** Runs the checks; resolves with the process exit code (0 when nothing failed). */
export async function runConformance(o: ConformanceOptions): Promise<number> {
  const results = await conformance(o);
  const failed = results.filter((r) => r.status === 'fail').length;
  const skipped = results.filter((r) => r.status === 'skip').length;
  o.write(
    `\n${results.length - failed - skipped} passed, ${failed} failed, ${skipped} skipped (${o.endpoint}, business ${o.business})`,
  );
  return failed ? 1 : 0;
}

export async function conformance(o: ConformanceOptions): Promise<CheckResult[]> {
  const base = o.endpoint.replace(/\/+$/, '');
  const slug = o.business;
  const raceSize = o.race ?? 10;
  const results: CheckResult[] = [];
  const cleanup: { id: string; token: string }[] = [];
  o.write(`Cita conformance: ${base}, business ${slug}`);

  async function call(path: string, init: RequestInit = {}): Promise<Reply> {
    let res: Response;
    try {
      res = await fetch(base + path, { ...init, signal: AbortSignal.timeout(15_000) });
    } catch (err) {
      throw new CheckFailed(`${init.method ?? 'GET'} ${path}: no response (${(err as Error).message})`);
    }
    return { status: res.status, headers: res.headers, text: await res.text() };
  }

  function body<S extends z.ZodMiniType>(reply: Reply, schema: S, what: string): z.infer<S> {
    assert(
      /^application\/json\b/.test(reply.headers.get('content-type') ?? ''),
      `${what}: Content-Type is "${reply.headers.get('content-type')}", not application/json`,
    );
    let json: unknown;
    try {
      json = JSON.parse(reply.text);
    } catch {
      throw new CheckFailed(`${what}: the body is not JSON`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success)
      throw new CheckFailed(
        `${what}: does not match the contract: ${parsed.error.issues
          .slice(0, 3)
          .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
          .join('; ')}`,
      );
    return parsed.data as z.infer<S>;
  }

  function expectOk<S extends z.ZodMiniType>(
    reply: Reply,
    status: number,
    schema: S,
    what: string,
  ): z.infer<S> {
    assert(
      reply.status === status,
      `${what}: status ${reply.status}, expected ${status} (${reply.text.slice(0, 200)})`,
    );
    return body(reply, schema, what);
  }

  function expectProblem(reply: Reply, code: ProblemCode, status: number, what: string): Problem {
    assert(reply.status === status, `${what}: status ${reply.status}, expected ${status} ${code}`);
    assert(
      /^application\/problem\+json\b/.test(reply.headers.get('content-type') ?? ''),
      `${what}: Content-Type is "${reply.headers.get('content-type')}", not application/problem+json`,
    );
    let json: unknown;
    try {
      json = JSON.parse(reply.text);
    } catch {
      throw new CheckFailed(`${what}: the problem body is not JSON`);
    }
    const parsed = Problem.safeParse(json);
    assert(parsed.success, `${what}: the body is not an RFC 9457 problem of the contract`);
    assert(parsed.data.status === status, `${what}: problem.status is ${parsed.data.status}, not ${status}`);
    assert(
      problemCode(parsed.data) === code,
      `${what}: problem type is "${parsed.data.type}", expected the contract's ${code}`,
    );
    return parsed.data;
  }

  async function check(name: string, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
      results.push({ name, status: 'pass' });
      o.write(`  pass  ${name}`);
    } catch (err) {
      if (err instanceof Skip) {
        results.push({ name, status: 'skip', detail: err.message });
        o.write(`  skip  ${name}: ${err.message}`);
      } else {
        const detail =
          err instanceof CheckFailed ? err.message : `unexpected error: ${(err as Error).message}`;
        results.push({ name, status: 'fail', detail });
        o.write(`  FAIL  ${name}: ${detail}`);
      }
    }
  }

  const jsonPost = (path: string, payload: unknown, headers: Record<string, string> = {}) =>
    call(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: JSON.stringify(payload),
    });

  // ---- reading -------------------------------------------------------------------------------
  let config: BusinessConfig | undefined;
  let services: ServiceList | undefined;
  let slots: Slot[] = [];
  let serviceId = '';

  await check('business configuration parses with the contract', async () => {
    config = expectOk(await call(routes.business(slug)), 200, BusinessConfig, `GET ${routes.business(slug)}`);
    assert(config.slug === slug, `the configuration's slug is "${config.slug}", not "${slug}"`);
  });
  await check('service list parses with the contract', async () => {
    services = expectOk(await call(routes.services(slug)), 200, ServiceList, `GET ${routes.services(slug)}`);
    assert(services.services.length > 0, 'the business lists no services');
  });
  await check('availability parses with the contract and has free slots', async () => {
    if (!config || !services) throw new Skip('needs the configuration and the services');
    const service = services.services.find((s) => s.staff.length > 0);
    assert(service, 'no service has staff');
    serviceId = service.id;
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const span = MAX_AVAILABILITY_DAYS - 1;
    for (let from = 0; from <= config.rules.maxAdvanceDays && slots.length < 8; from += span + 1) {
      const path = `${routes.availability(slug)}?service=${encodeURIComponent(serviceId)}&from=${day(from)}&to=${day(from + span)}`;
      const a = expectOk(await call(path), 200, Availability, `GET ${path}`);
      assert(a.service === serviceId, `availability is for "${a.service}", asked for "${serviceId}"`);
      for (const s of a.slots) {
        assert(Date.parse(s.end) > Date.parse(s.start), `a slot ends before it starts (${s.start})`);
        slots.push(s);
      }
    }
    slots = slots
      .filter((s) => Date.parse(s.start) > Date.now())
      .sort((x, y) => x.start.localeCompare(y.start));
    assert(slots.length >= 3, `only ${slots.length} free slots in the booking window; the checks need 3`);
  });

  // ---- problems --------------------------------------------------------------------------------
  await check('unknown business: 404 not_found problem', async () => {
    expectProblem(
      await call(routes.business('no-such-business-conformance')),
      'not_found',
      404,
      'GET unknown business',
    );
  });
  await check('invalid availability query: 400 validation_failed with field errors', async () => {
    const p = expectProblem(
      await call(`${routes.availability(slug)}?service=${serviceId || 'x'}&from=2030-01-10&to=2030-01-01`),
      'validation_failed',
      400,
      'GET availability with to before from',
    );
    assert(p.errors && p.errors.length > 0, 'validation_failed carries no per-field errors');
  });
  await check('non-JSON request body: 415 unsupported_media_type', async () => {
    const r = await call(routes.bookings(slug), {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain', [IDEMPOTENCY_HEADER]: randomUUID() },
      body: 'hello',
    });
    expectProblem(r, 'unsupported_media_type', 415, 'POST text/plain');
  });
  await check('oversized request body: 413 payload_too_large', async () => {
    const r = await call(routes.bookings(slug), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', [IDEMPOTENCY_HEADER]: randomUUID() },
      body: JSON.stringify({ padding: 'x'.repeat(1024 * 1024) }),
    });
    expectProblem(r, 'payload_too_large', 413, 'POST 1 MB');
  });
  await check('wrong method: 405 method_not_allowed with Allow', async () => {
    const r = await call(routes.business(slug), { method: 'DELETE' });
    expectProblem(r, 'method_not_allowed', 405, 'DELETE business');
    assert(r.headers.get('allow'), '405 without an Allow header');
  });
  await check('create without Idempotency-Key: 400 idempotency_key_required', async () => {
    if (!slots[0]) throw new Skip('no free slot');
    expectProblem(
      await jsonPost(routes.bookings(slug), request(slots[0])),
      'idempotency_key_required',
      400,
      'POST without key',
    );
  });
  await check('create without consents: 422 consent_missing', async () => {
    if (!slots[0] || !config) throw new Skip('no free slot');
    if (Object.keys(config.policies).length === 0) throw new Skip('the business has no policies');
    expectProblem(
      await jsonPost(
        routes.bookings(slug),
        { ...request(slots[0]), consents: [] },
        { [IDEMPOTENCY_HEADER]: randomUUID() },
      ),
      'consent_missing',
      422,
      'POST without consents',
    );
  });

  // ---- CORS ------------------------------------------------------------------------------------
  await check('CORS: Vary: Origin, a foreign origin is not allowed', async () => {
    const r = await call(routes.business(slug), { headers: { Origin: FOREIGN_ORIGIN } });
    assert(
      /\borigin\b/i.test(r.headers.get('vary') ?? ''),
      `Vary is "${r.headers.get('vary')}", without Origin`,
    );
    const acao = r.headers.get('access-control-allow-origin');
    assert(
      acao !== FOREIGN_ORIGIN && acao !== '*',
      `a foreign origin is allowed (Access-Control-Allow-Origin: ${acao})`,
    );
    if (!slots[0]) return;
    const post = await jsonPost(routes.bookings(slug), request(slots[0]), {
      [IDEMPOTENCY_HEADER]: randomUUID(),
      Origin: FOREIGN_ORIGIN,
    });
    expectProblem(post, 'origin_not_allowed', 403, 'POST from a foreign origin');
  });
  if (o.origin) {
    const origin = o.origin;
    await check(`CORS: ${origin} is allowed, with Vary: Origin`, async () => {
      const r = await call(routes.business(slug), { headers: { Origin: origin } });
      assert(
        r.headers.get('access-control-allow-origin') === origin,
        `Access-Control-Allow-Origin is "${r.headers.get('access-control-allow-origin')}"`,
      );
      assert(/\borigin\b/i.test(r.headers.get('vary') ?? ''), 'no Vary: Origin');
      const pre = await call(routes.bookings(slug), {
        method: 'OPTIONS',
        headers: {
          Origin: origin,
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'content-type, idempotency-key',
        },
      });
      assert(pre.status >= 200 && pre.status < 300, `preflight answered ${pre.status}`);
      assert(
        pre.headers.get('access-control-allow-origin') === origin,
        'preflight does not allow the origin',
      );
      const allowed = (pre.headers.get('access-control-allow-headers') ?? '').toLowerCase();
      assert(allowed.includes('idempotency-key'), 'preflight does not allow the Idempotency-Key header');
    });
  }

  // ---- bookings --------------------------------------------------------------------------------
  function request(slot: Slot, staff?: string): CreateBookingRequest {
    const consents = config
      ? Object.entries(config.policies).map(([policy, p]) => ({
          policy: policy as 'terms',
          version: (p as { version: string }).version,
          sha256: (p as { sha256: string }).sha256,
        }))
      : [];
    const fields = config?.customerFields ?? [];
    return {
      service: serviceId,
      start: slot.start,
      staff: staff ?? slot.staff[0]!,
      customer: {
        name: 'Conformance Check',
        email: 'conformance@example.com',
        ...(fields.includes('phone') ? { phone: '+34600000000' } : {}),
        ...(fields.includes('notes') ? { notes: 'Booked by cita-server conformance' } : {}),
      },
      consents,
      locale: 'en',
    };
  }

  let created: CreatedBooking | undefined;
  await check('create is idempotent: a replay returns the same booking and token', async () => {
    const slot = slots.at(-1);
    if (!slot) throw new Skip('no free slot');
    const key = randomUUID();
    const payload = request(slot);
    created = expectOk(
      await jsonPost(routes.bookings(slug), payload, { [IDEMPOTENCY_HEADER]: key }),
      201,
      CreatedBooking,
      'POST booking',
    );
    assert(
      created.manageToken,
      'no manage token: run the conformance suite on a business without confirmation by email',
    );
    cleanup.push({ id: created.id, token: created.manageToken });
    assert(
      created.start === new Date(slot.start).toISOString() ||
        Date.parse(created.start) === Date.parse(slot.start),
      'the booking starts at another time',
    );
    const again = expectOk(
      await jsonPost(routes.bookings(slug), payload, { [IDEMPOTENCY_HEADER]: key }),
      201,
      CreatedBooking,
      'POST booking again with the same key',
    );
    assert(again.id === created.id, `the replay created another booking (${again.id})`);
    assert(again.manageToken === created.manageToken, 'the replay returned another manage token');
    expectProblem(
      await jsonPost(
        routes.bookings(slug),
        { ...payload, customer: { ...payload.customer, name: 'Someone Else' } },
        { [IDEMPOTENCY_HEADER]: key },
      ),
      'idempotency_key_reused',
      422,
      'POST another body with the same key',
    );
  });
  await check('the booked slot is taken: 409 slot_unavailable', async () => {
    if (!created) throw new Skip('no booking');
    const slot = slots.at(-1)!;
    expectProblem(
      await jsonPost(routes.bookings(slug), request(slot, created.staff.id), {
        [IDEMPOTENCY_HEADER]: randomUUID(),
      }),
      'slot_unavailable',
      409,
      'POST the same slot with a new key',
    );
  });
  await check('read by manage token parses; a wrong token is refused', async () => {
    if (!created) throw new Skip('no booking');
    const path = routes.booking(slug, created.id);
    const b = expectOk(
      await call(path, { headers: { Authorization: `Bearer ${created.manageToken}` } }),
      200,
      Booking,
      `GET ${path}`,
    );
    assert(b.id === created.id && b.status === 'confirmed', 'another booking or status');
    assert(!('manageToken' in (b as object)), 'reading a booking returns its manage token again');
    const wrong = await call(path, { headers: { Authorization: `Bearer ${'A'.repeat(43)}` } });
    assert(
      wrong.status === 404 || wrong.status === 401 || wrong.status === 403,
      `a wrong token gets ${wrong.status}`,
    );
    expectProblem(
      wrong,
      problemCode(JSON.parse(wrong.text) as Problem) ?? 'not_found',
      wrong.status,
      'GET with a wrong token',
    );
  });
  await check('cancellation deadline is the start minus the cutoff', async () => {
    if (!created || !config) throw new Skip('no booking');
    const cutoff = config.policies.cancellation?.cutoffHours;
    if (cutoff === undefined) throw new Skip('the business has no cancellation policy with a cutoff');
    assert(created.cancellableUntil, 'the booking carries no cancellableUntil');
    assert(
      Date.parse(created.cancellableUntil) === Date.parse(created.start) - cutoff * 3_600_000,
      `cancellableUntil ${created.cancellableUntil} is not ${cutoff} h before ${created.start}`,
    );
  });
  await check('cancel before the cutoff: 200 cancelled, then 409 already_cancelled', async () => {
    if (!created) throw new Skip('no booking');
    if (created.cancellableUntil && Date.parse(created.cancellableUntil) < Date.now())
      throw new Skip('the latest free slot is already inside the cutoff');
    const path = routes.cancel(slug, created.id);
    const auth = { Authorization: `Bearer ${created.manageToken}` };
    const b = expectOk(await jsonPost(path, {}, auth), 200, Booking, `POST ${path}`);
    assert(b.status === 'cancelled', `status is ${b.status} after a cancel`);
    expectProblem(await jsonPost(path, {}, auth), 'already_cancelled', 409, 'cancel twice');
    cleanup.splice(
      cleanup.findIndex((c) => c.id === created!.id),
      1,
    );
  });
  await check('cancel inside the cutoff: 409 cancellation_closed', async () => {
    const cutoff = config?.policies.cancellation?.cutoffHours;
    if (cutoff === undefined) throw new Skip('the business has no cancellation policy with a cutoff');
    const inside = slots.find((s) => Date.parse(s.start) - cutoff * 3_600_000 < Date.now() - 60_000);
    if (!inside) throw new Skip(`no free slot starts within ${cutoff} h from now`);
    const b = expectOk(
      await jsonPost(routes.bookings(slug), request(inside), { [IDEMPOTENCY_HEADER]: randomUUID() }),
      201,
      CreatedBooking,
      'POST booking inside the cutoff',
    );
    const p = expectProblem(
      await jsonPost(routes.cancel(slug, b.id), {}, { Authorization: `Bearer ${b.manageToken}` }),
      'cancellation_closed',
      409,
      'cancel inside the cutoff',
    );
    assert(p.cancellableUntil, 'cancellation_closed without cancellableUntil');
  });

  // ---- moving a booking (the manage link's "change time") ----------------------------------------
  /** Whether `staff` is free at `start` by the availability route (the days around it). */
  async function freeAt(start: string, staff: string): Promise<boolean> {
    const day = (offset: number) =>
      new Date(Date.parse(start) + offset * 86_400_000).toISOString().slice(0, 10);
    const path = `${routes.availability(slug)}?service=${encodeURIComponent(serviceId)}&from=${day(-1)}&to=${day(1)}`;
    const a = expectOk(await call(path), 200, Availability, `GET ${path}`);
    return a.slots.some((s) => Date.parse(s.start) === Date.parse(start) && s.staff.includes(staff));
  }
  /** The free slots of the next `hours` hours, as the availability route lists them now. */
  async function freeSlots(hours: number): Promise<Slot[]> {
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const to = Math.min(hours * 3_600_000, (MAX_AVAILABILITY_DAYS - 2) * 86_400_000);
    const path = `${routes.availability(slug)}?service=${encodeURIComponent(serviceId)}&from=${day(Date.now())}&to=${day(Date.now() + to)}`;
    const a = expectOk(await call(path), 200, Availability, `GET ${path}`);
    return a.slots
      .filter((s) => Date.parse(s.start) > Date.now())
      .sort((x, y) => x.start.localeCompare(y.start));
  }
  const move = (b: CreatedBooking, payload: RescheduleBookingRequest) =>
    jsonPost(manageRoutes.reschedule(slug, b.id), payload, { Authorization: `Bearer ${b.manageToken}` });
  /** How long before its start a booking can still be moved (the cancellation cutoff when unset). */
  const rescheduleCutoff = () =>
    config?.policies.cancellation?.rescheduleCutoffHours ?? config?.policies.cancellation?.cutoffHours ?? 0;

  await check(
    'reschedule to a free time: 200 moved, the new time taken, the old one free again',
    async () => {
      // Two free times of one staff member, both beyond the reschedule cutoff.
      const cutoff = rescheduleCutoff() * 3_600_000;
      const later = slots.filter((s) => Date.parse(s.start) - cutoff > Date.now() + 3_600_000);
      const from = later.at(-2);
      const staff = from?.staff[0];
      const to = later.find(
        (s) =>
          staff &&
          s.staff.includes(staff) &&
          Math.abs(Date.parse(s.start) - Date.parse(from!.start)) >= 2 * 3_600_000,
      );
      if (!from || !staff || !to) throw new Skip('no two free times of one staff member beyond the cutoff');
      const b = expectOk(
        await jsonPost(routes.bookings(slug), request(from, staff), { [IDEMPOTENCY_HEADER]: randomUUID() }),
        201,
        CreatedBooking,
        'POST booking to move',
      );
      assert(b.manageToken, 'no manage token');
      cleanup.push({ id: b.id, token: b.manageToken });
      const moved = expectOk(await move(b, { start: to.start, staff }), 200, Booking, 'POST reschedule');
      assert(moved.id === b.id, `the move answered another booking (${moved.id})`);
      assert(
        Date.parse(moved.start) === Date.parse(to.start),
        `the booking starts at ${moved.start}, not ${to.start}`,
      );
      assert(moved.status === 'confirmed', `status is ${moved.status} after a move`);
      const read = expectOk(
        await call(routes.booking(slug, b.id), { headers: { Authorization: `Bearer ${b.manageToken}` } }),
        200,
        Booking,
        'GET the moved booking',
      );
      assert(Date.parse(read.start) === Date.parse(to.start), 'reading the booking shows the old time');
      assert(await freeAt(from.start, staff), `the old time ${from.start} is not free again`);
      assert(!(await freeAt(to.start, staff)), `the new time ${to.start} is still offered`);
      expectProblem(
        await jsonPost(routes.bookings(slug), request(to, staff), { [IDEMPOTENCY_HEADER]: randomUUID() }),
        'slot_unavailable',
        409,
        'POST the new time with a new key',
      );
    },
  );
  await check('reschedule inside the reschedule cutoff: 409 reschedule_closed', async () => {
    if (!config?.policies.cancellation)
      throw new Skip('the business has no cancellation policy with a cutoff');
    const hours = rescheduleCutoff();
    if (hours <= 0) throw new Skip('bookings can be moved until they start');
    // Free now (the earlier checks booked some of the slots listed at the start).
    const free = await freeSlots(hours);
    const inside = free.find((s) => Date.parse(s.start) - hours * 3_600_000 < Date.now() - 60_000);
    if (!inside) throw new Skip(`no free slot starts within ${hours} h from now`);
    const target = slots.find((s) => s.start !== inside.start && s.staff.includes(inside.staff[0]!));
    if (!target) throw new Skip('no other free time to move to');
    const b = expectOk(
      await jsonPost(routes.bookings(slug), request(inside), { [IDEMPOTENCY_HEADER]: randomUUID() }),
      201,
      CreatedBooking,
      'POST booking inside the reschedule cutoff',
    );
    assert(b.manageToken, 'no manage token');
    cleanup.push({ id: b.id, token: b.manageToken });
    const p = expectProblem(
      await move(b, { start: target.start }),
      'reschedule_closed',
      409,
      'reschedule inside the cutoff',
    );
    assert(p.reschedulableUntil, 'reschedule_closed without reschedulableUntil');
    assert(
      Date.parse(p.reschedulableUntil) === Date.parse(b.start) - hours * 3_600_000,
      `reschedulableUntil ${p.reschedulableUntil} is not ${hours} h before ${b.start}`,
    );
    const read = expectOk(
      await call(routes.booking(slug, b.id), { headers: { Authorization: `Bearer ${b.manageToken}` } }),
      200,
      Booking,
      'GET the booking after a refused move',
    );
    assert(Date.parse(read.start) === Date.parse(inside.start), 'a refused move changed the time');
  });
  await check(`a race of ${raceSize} concurrent creates for one slot books it once`, async () => {
    const slot = slots[Math.floor(slots.length / 2)];
    if (!slot) throw new Skip('no free slot');
    const staff = slot.staff[0]!;
    const replies = await Promise.all(
      Array.from({ length: raceSize }, () =>
        jsonPost(routes.bookings(slug), request(slot, staff), { [IDEMPOTENCY_HEADER]: randomUUID() }),
      ),
    );
    const won = replies.filter((r) => r.status === 201);
    const limited = replies.filter((r) => r.status === 429).length;
    assert(
      limited === 0,
      `${limited} of ${raceSize} creates were rate limited: raise the booking limits for this run`,
    );
    for (const w of won) {
      const b = body(w, CreatedBooking, 'a winning create');
      if (b.manageToken) cleanup.push({ id: b.id, token: b.manageToken });
    }
    assert(
      won.length === 1,
      `${won.length} of ${raceSize} concurrent creates for one slot succeeded (double booking)`,
    );
    for (const r of replies.filter((x) => x.status !== 201))
      expectProblem(r, 'slot_unavailable', 409, 'a losing create');
  });

  // Leave the slots as they were (best effort).
  for (const c of cleanup)
    await call(routes.cancel(slug, c.id), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${c.token}` },
      body: '{}',
    }).catch(() => undefined);
  return results;
}

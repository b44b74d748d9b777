/**
 * The console's bookings API (issue 11) through the HTTP app, on PGlite (and PostgreSQL with
 * CITA_TEST_PG_URL): staff list a day, a week and a search, page through many, read a booking's
 * consent proof and invoices (audited), mark attendance (from the start, idempotent, and with
 * `issueOn: "attended"` exactly one invoice even for two marks at once), and cancel: staff before
 * the cutoff, only an owner with `override` after it, the customer emailed a calendar CANCEL. In
 * HIPAA mode other staff see no customer details and cannot search by them.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BookingDetail,
  BookingListPage,
  consoleBookingRoutes as routes,
} from '../../src/api/console-bookings-contract.js';
import { CreatedBooking } from '../../src/api/contract.js';
import { Invoice, adminInvoiceRoutes } from '../../src/api/invoice-contract.js';
import { parseConfig, type Business } from '../../server/config.js';
import { insertAccount } from '../../server/db/stores/accounts.js';
import { listAudit } from '../../server/db/stores/audit.js';
import { listOutbox } from '../../server/db/stores/outbox.js';
import { createSession } from '../../server/domain/sessions.js';
import { markSessionNoticeAck } from '../../server/db/stores/sessions.js';
import { booking as insertBooking, invoicingRaw } from './invoice-fixtures.js';
import {
  BACKENDS,
  Clock,
  bookingRequest,
  expectProblem,
  makeApp,
  openTestDb,
  postBooking,
  type TestApp,
  type TestDb,
} from './helpers.js';

const OWN = 'http://localhost';
const FAKE_HASH = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA';

describe.each(BACKENDS)('console bookings API (%s)', { timeout: 120_000 }, (backend) => {
  let tdb: TestDb;
  let t: TestApp;
  const ids: Record<string, string> = {};

  /** A staff member of `business` with a fresh session at the current clock: its cookie. */
  const accounts = new Map<string, string>();
  async function cookie(role: 'owner' | 'staff', business: Business = t.business): Promise<string> {
    const key = `${business.slug}:${role}`;
    let id = accounts.get(key);
    if (!id) {
      id = randomUUID();
      await insertAccount(tdb.db, {
        id,
        business: business.slug,
        kind: 'staff',
        role,
        email: `${role}@${business.slug}.example`,
        name: null,
        locale: 'es-ES',
        email_verified_at: t.clock.now(),
        password_hash: FAKE_HASH,
        password_changed_at: t.clock.now(),
        created_at: t.clock.now(),
      });
      accounts.set(key, id);
    }
    const s = await createSession(tdb.db, business, { id }, t.clock.now());
    // In HIPAA mode the console answers once the sign-in notice is acknowledged.
    if (business.security.hipaa) await markSessionNoticeAck(tdb.db, s.row.token_hash, t.clock.now());
    return `__Host-cita_admin=${s.token}`;
  }
  const get = async (role: 'owner' | 'staff', path: string, business?: Business) =>
    t.request(path, { headers: { Cookie: await cookie(role, business) } });
  const post = async (role: 'owner' | 'staff', path: string, body: unknown) =>
    t.request(path, {
      method: 'POST',
      headers: { Cookie: await cookie(role), 'Content-Type': 'application/json', Origin: OWN },
      body: JSON.stringify(body),
    });
  const list = async (search: string, role: 'owner' | 'staff' = 'owner', business?: Business) => {
    const res = await get(role, `${routes.list}?${search}`, business);
    expect(res.status, await res.clone().text()).toBe(200);
    return BookingListPage.parse(await res.json());
  };
  const detail = async (id: string, role: 'owner' | 'staff' = 'owner') => {
    const res = await get(role, routes.get(id));
    expect(res.status, await res.clone().text()).toBe(200);
    return BookingDetail.parse(await res.json());
  };
  const ok = async (res: Response) => {
    expect(res.status, await res.clone().text()).toBe(200);
    return BookingDetail.parse(await res.json());
  };
  const audited = async (event: string, subject?: string) =>
    (await listAudit(tdb.db, t.business.slug)).filter(
      (r) => r.event === event && (subject === undefined || r.subject === subject),
    );
  const book = async (start: string, name: string, email: string) => {
    const res = await postBooking(
      t,
      bookingRequest(t.business, { start, staff: 'ben', customer: { name, email, notes: `Nota: ${name}` } }),
    );
    expect(res.status, await res.clone().text()).toBe(201);
    return CreatedBooking.parse(await res.json()).id;
  };

  beforeAll(async () => {
    tdb = await openTestDb(backend);
    const raw = invoicingRaw({ issueOn: 'attended', mode: 'off' });
    // Notes asked for: they are sealed at rest, and the detail opens them for who may read them.
    raw.businesses[0]!.customerFields = ['name', 'email', 'notes'];
    t = makeApp(tdb.db, { config: parseConfig(raw), clock: new Clock('2026-03-02T08:00:00Z') });
    // Wednesday 4 and Thursday 5 March, Madrid (UTC+1); Ben, so the fixture rows (Ana) never clash.
    ids.lucia = await book('2026-03-04T10:00:00+01:00', 'Lucía Gómez', 'lucia@example.com');
    ids.mario = await book('2026-03-05T11:00:00+01:00', 'Mario Pérez', 'mario@example.com');
    ids.ines = await book('2026-03-05T12:00:00+01:00', 'Inés Sanz', 'ines@example.com');
    ids.olga = await book('2026-03-05T13:00:00+01:00', 'Olga Ruiz', 'olga@example.com');
    ids.pablo = await book('2026-03-06T10:00:00+01:00', 'Pablo Vidal', 'pablo@example.com');
  });
  afterAll(() => tdb.drop());

  it('lists a day and a week in the business zone, soonest first, and searches every date', async () => {
    const today = await list('');
    expect(today).toMatchObject({ timeZone: 'Europe/Madrid', today: '2026-03-02', from: '2026-03-02' });
    expect(today.bookings).toEqual([]);

    const day = await list('from=2026-03-04');
    expect(day.bookings.map((b) => b.id)).toEqual([ids.lucia]);
    expect(day.bookings[0]).toMatchObject({
      state: 'confirmed',
      customer: { name: 'Lucía Gómez', email: 'lucia@example.com', phone: null },
      customerMasked: false,
      staff: { id: 'ben', name: 'Ben Ortiz' },
      start: '2026-03-04T09:00:00Z',
    });
    const week = await list('from=2026-03-02&to=2026-03-08');
    expect(week.bookings.map((b) => b.id)).toEqual([ids.lucia, ids.mario, ids.ines, ids.olga, ids.pablo]);
    expect(week.nextOffset).toBeNull();

    // By name (any case, any date), email, and reference.
    expect((await list('q=G%C3%93MEZ')).bookings.map((b) => b.id)).toEqual([ids.lucia]);
    expect((await list('q=mario%40example')).bookings.map((b) => b.id)).toEqual([ids.mario]);
    const ref = week.bookings[4]!.reference;
    expect((await list(`q=${ref.toLowerCase()}`)).bookings.map((b) => b.id)).toEqual([ids.pablo]);
    // A LIKE wildcard is taken literally.
    expect((await list('q=%25')).bookings).toEqual([]);

    await expectProblem(
      await get('owner', `${routes.list}?from=2026-03-08&to=2026-03-02`),
      'validation_failed',
      400,
    );
    await expectProblem(
      await get('owner', `${routes.list}?from=2026-03-01&to=2026-05-01`),
      'validation_failed',
      400,
    );
    await expectProblem(await get('owner', `${routes.list}?state=lost`), 'validation_failed', 400);
    await expectProblem(await t.request(routes.list), 'unauthorized', 401);

    const rows = await audited('bookings_listed');
    expect(rows.length).toBeGreaterThanOrEqual(6);
    // The search text is personal data: never in the log.
    expect(JSON.stringify(rows)).not.toMatch(/mario|GÓMEZ/i);
  });

  it('pages through more bookings than fit one answer', async () => {
    for (let i = 0; i < 52; i++)
      await insertBooking(tdb.db, t.business, `p${i}@example.com`, { name: 'Pat Page' });
    const first = await list('q=pat%20page');
    expect(first.bookings).toHaveLength(50);
    expect(first.nextOffset).toBe(50);
    const second = await list('q=pat%20page&offset=50');
    expect(second.bookings).toHaveLength(2);
    expect(second.nextOffset).toBeNull();
    const all = [...first.bookings, ...second.bookings].map((b) => b.id);
    expect(new Set(all).size).toBe(52);
    // A search over every date: latest first.
    expect(first.bookings[0]!.start > first.bookings[1]!.start).toBe(true);
  });

  it("shows a booking's consent proof and invoices, and audits each read", async () => {
    const d = await detail(ids.lucia, 'staff');
    expect(d.consents.map((c) => c.policy)).toEqual(['cancellation', 'privacy', 'terms']);
    const terms = t.business.publicConfig.policies.terms!;
    expect(d.consents[2]).toEqual({
      policy: 'terms',
      version: terms.version,
      sha256: terms.sha256,
      acceptedAt: '2026-03-02T08:00:00Z',
      origin: 'https://shop.example',
    });
    expect(d.invoices).toEqual([]);
    expect(d.can).toEqual({ markAttendance: false, cancel: 'yes', issueInvoice: true });
    // The notes, sealed in the table, opened for the detail.
    expect(d.notes).toBe('Nota: Lucía Gómez');
    const stored = await tdb.db.query<{ customer_notes: string }>(
      'SELECT customer_notes FROM bookings WHERE id = $1',
      [ids.lucia],
    );
    expect(stored[0]!.customer_notes).not.toContain('Lucía');
    expect(d.cancellableUntil).toBe('2026-03-03T09:00:00Z');
    const views = await audited('booking_viewed', ids.lucia);
    expect(views).toHaveLength(1);
    expect(views[0]!.account_id).toBe(accounts.get('test-salon:staff'));
    await expectProblem(await get('owner', routes.get(randomUUID())), 'not_found', 404);
    await expectProblem(await get('owner', routes.get('not-an-id')), 'not_found', 404);
  });

  it('marks attendance from the start on, once, and issues exactly one invoice', async () => {
    await expectProblem(
      await post('staff', routes.attendance(ids.lucia), { attendance: 'attended' }),
      'booking_not_started',
      409,
    );
    t.clock.set('2026-03-04T09:00:00Z'); // the start, exactly
    const marked = await ok(await post('staff', routes.attendance(ids.lucia), { attendance: 'attended' }));
    expect(marked.state).toBe('attended');
    expect(marked.invoiceProblem).toBeUndefined();
    expect(marked.invoices).toHaveLength(1);
    expect(marked.invoices[0]).toMatchObject({ type: 'F2', state: 'issued', totalMinor: 2500 });
    expect(marked.can).toMatchObject({ markAttendance: true, cancel: 'no', issueInvoice: false });
    // Again: nothing changes, no second audit row, still one invoice.
    const again = await ok(await post('owner', routes.attendance(ids.lucia), { attendance: 'attended' }));
    expect(again.invoices.map((i) => i.id)).toEqual(marked.invoices.map((i) => i.id));
    expect(await audited('booking_attended', ids.lucia)).toHaveLength(1);
    expect(await audited('invoice_issued')).toHaveLength(1);
    // Attended: no longer cancellable, even by an owner overriding.
    await expectProblem(
      await post('owner', routes.cancel(ids.lucia), { override: true }),
      'attendance_recorded',
      409,
    );

    // Two marks at once: one invoice.
    t.clock.set('2026-03-05T10:30:00Z');
    const both = await Promise.all([
      post('staff', routes.attendance(ids.mario), { attendance: 'attended' }),
      post('owner', routes.attendance(ids.mario), { attendance: 'attended' }),
    ]);
    const views = await Promise.all(both.map(ok));
    expect(views.map((v) => v.invoices.length)).toEqual([1, 1]);
    // Neither answer reports a problem: the second mark found the first one's invoice.
    expect(views.map((v) => v.invoiceProblem)).toEqual([undefined, undefined]);
    expect(views[0]!.invoices[0]!.id).toBe(views[1]!.invoices[0]!.id);
    const n = await tdb.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM invoices WHERE booking_id = $1',
      [ids.mario],
    );
    expect(Number(n[0]!.n)).toBe(1);
    expect(await audited('booking_attended', ids.mario)).toHaveLength(1);

    // A correction through the invoices API shows on the booking, linked both ways.
    const original = views[0]!.invoices[0]!;
    const corr = await post('owner', adminInvoiceRoutes.corrections(original.id), { reason: 'Descuento' });
    expect(corr.status, await corr.clone().text()).toBe(201);
    const correction = Invoice.parse(await corr.json());
    const withCorrection = await detail(ids.mario);
    expect(withCorrection.invoices.map((i) => [i.number, i.state])).toEqual([
      [original.number, 'corrected'],
      [correction.number, 'issued'],
    ]);
    expect(withCorrection.invoices[0]!.correctedBy).toEqual([
      { id: correction.id, number: correction.number },
    ]);
    expect(withCorrection.invoices[1]!.corrects).toEqual({ id: original.id, number: original.number });

    // No-show: recorded, no invoice; the state filter finds it.
    t.clock.set('2026-03-05T11:05:00Z');
    const noShow = await ok(await post('staff', routes.attendance(ids.ines), { attendance: 'no_show' }));
    expect(noShow.state).toBe('no_show');
    expect(noShow.invoices).toEqual([]); // only "attended" issues
    expect((await list('from=2026-03-05&state=no_show')).bookings.map((b) => b.id)).toEqual([ids.ines]);
    expect((await list('from=2026-03-05&state=attended')).bookings.map((b) => b.id)).toEqual([ids.mario]);
    await expectProblem(
      await post('staff', routes.attendance(ids.ines), { attendance: 'maybe' }),
      'validation_failed',
      400,
    );
  });

  it('an invoice that cannot be issued on attendance is reported, the mark kept, and marking again retries', async () => {
    // "Color" has no catalogue price: the simplified invoice cannot be made from it.
    t.clock.set('2026-03-02T08:00:00Z');
    const res = await postBooking(
      t,
      bookingRequest(t.business, {
        service: 'color',
        staff: 'ana',
        start: '2026-03-09T10:00:00+01:00',
        customer: { name: 'Nora Gil', email: 'nora@example.com', notes: 'Alergia al tinte' },
      }),
    );
    expect(res.status, await res.clone().text()).toBe(201);
    const id = CreatedBooking.parse(await res.json()).id;
    t.clock.set('2026-03-09T09:10:00Z');
    const marked = await ok(await post('staff', routes.attendance(id), { attendance: 'attended' }));
    expect(marked).toMatchObject({ state: 'attended', invoiceProblem: 'invalid_amount', invoices: [] });
    expect(marked.can.issueInvoice).toBe(true);
    const again = await ok(await post('staff', routes.attendance(id), { attendance: 'attended' }));
    expect(again.invoiceProblem).toBe('invalid_amount');
    expect(await audited('booking_attended', id)).toHaveLength(1);
  });

  it('cancels: staff before the cutoff, only an owner with an override after it, the customer emailed', async () => {
    t.clock.set('2026-03-02T12:00:00Z'); // Pablo's cutoff is 5 March 09:00Z
    const cancelled = await ok(await post('staff', routes.cancel(ids.pablo), { reason: 'Enfermedad' }));
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.can.cancel).toBe('no');
    const email = (await listOutbox(tdb.db)).filter(
      (m) => m.booking_id === ids.pablo && m.kind === 'cancellation',
    );
    expect(email).toHaveLength(1);
    expect(email[0]!.recipient).toBe('pablo@example.com');
    // The calendar file marks the event cancelled (METHOD:PUBLISH: this business has no contact email).
    expect(email[0]!.calendar).toContain('STATUS:CANCELLED');
    expect(email[0]!.calendar).toContain(`UID:${ids.pablo}@cita`);
    expect(
      (await audited('booking_cancelled_by_staff', ids.pablo)).map((r) => JSON.parse(r.detail!)),
    ).toEqual([{ override: false }]);
    await expectProblem(await post('staff', routes.cancel(ids.pablo), {}), 'already_cancelled', 409);
    await expectProblem(
      await post('staff', routes.attendance(ids.pablo), { attendance: 'no_show' }),
      'already_cancelled',
      409,
    );

    t.clock.set('2026-03-05T11:30:00Z'); // past Olga's cutoff (4 March 12:00Z), before her start
    expect((await detail(ids.olga, 'staff')).can.cancel).toBe('no');
    expect((await detail(ids.olga, 'owner')).can.cancel).toBe('override');
    const closed = await expectProblem(
      await post('staff', routes.cancel(ids.olga), {}),
      'cancellation_closed',
      409,
    );
    expect(closed.cancellableUntil).toBe('2026-03-04T12:00:00Z');
    await expectProblem(await post('staff', routes.cancel(ids.olga), { override: true }), 'forbidden', 403);
    await expectProblem(await post('owner', routes.cancel(ids.olga), {}), 'cancellation_closed', 409);
    const overridden = await ok(await post('owner', routes.cancel(ids.olga), { override: true }));
    expect(overridden.state).toBe('cancelled');
    const rows = await audited('booking_cancelled_by_staff', ids.olga);
    expect(rows.map((r) => [JSON.parse(r.detail!), r.account_id])).toEqual([
      [{ override: true }, accounts.get('test-salon:owner')],
    ]);
    expect(
      (await listOutbox(tdb.db)).filter((m) => m.booking_id === ids.olga && m.kind === 'cancellation'),
    ).toHaveLength(1);

    // A foreign origin is refused before anything happens.
    const foreign = await t.request(routes.cancel(ids.lucia), {
      method: 'POST',
      headers: {
        Cookie: await cookie('owner'),
        'Content-Type': 'application/json',
        Origin: 'https://evil.example',
      },
      body: '{}',
    });
    await expectProblem(foreign, 'forbidden', 403);
  });

  it("masks customers' details from staff in HIPAA mode, and their search matches references only", async () => {
    const clinic = t.config.businesses.get('test-clinic')!;
    t.clock.set('2026-03-02T08:00:00Z');
    const res = await postBooking(
      t,
      {
        service: 'visit',
        start: '2026-03-04T09:00:00-03:00',
        customer: { name: 'Rosa Lima', email: 'rosa@example.com', phone: '+55 11 91234 5678' },
        consents: [],
        locale: 'en-GB',
      },
      { slug: 'test-clinic', origin: 'https://clinic.example' },
    );
    expect(res.status, await res.clone().text()).toBe(201);
    const id = CreatedBooking.parse(await res.json()).id;

    const masked = await list('from=2026-03-04', 'staff', clinic);
    expect(masked.timeZone).toBe('America/Sao_Paulo');
    expect(masked.bookings).toHaveLength(1);
    expect(masked.bookings[0]).toMatchObject({
      id,
      customer: { name: null, email: null, phone: null },
      customerMasked: true,
    });
    expect((await list('q=rosa', 'staff', clinic)).bookings).toEqual([]);
    expect((await list('q=91234', 'staff', clinic)).bookings).toEqual([]);
    expect((await list(`q=${masked.bookings[0]!.reference}`, 'staff', clinic)).bookings).toHaveLength(1);

    const res2 = await get('staff', routes.get(id), clinic);
    expect(res2.status).toBe(200);
    const masked2 = BookingDetail.parse(await res2.json());
    expect(masked2).toMatchObject({
      customer: { name: null, email: null, phone: null },
      customerMasked: true,
    });
    expect(masked2.consents).toEqual([]); // the clinic has no policies
    const views = (await listAudit(tdb.db, 'test-clinic')).filter((r) => r.event === 'booking_viewed');
    expect(views.map((r) => [r.subject, JSON.parse(r.detail!)])).toEqual([[id, { masked: true }]]);

    const owner = await list('q=912345', 'owner', clinic);
    expect(owner.bookings[0]!.customer).toEqual({
      name: 'Rosa Lima',
      email: 'rosa@example.com',
      phone: '+55 11 91234 5678',
    });
  });
});

/**
 * The customer's rights (issue 11): a signed-in customer downloads everything Cita holds about
 * them (JSON), sees what erasure removes and what the law keeps, and erases their account (only
 * with a recent sign-in): their upcoming booking is cancelled, every booking anonymised, the
 * manage link answers not_found, the account and its sessions are gone, the erasure audited.
 * An owner does the same from the console for a guest who asks by email.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountRoutes, adminRoutes, SignedIn } from '../../src/api/account-contract.js';
import { consoleCustomerRoutes, customerRoutes, ErasurePreview } from '../../src/api/console-contract.js';
import { listOutbox } from '../../server/db/stores/outbox.js';
import { listAudit, verifyAuditChain } from '../../server/db/stores/audit.js';
import { createStaff } from '../../server/domain/accounts.js';
import {
  BACKENDS,
  bookingRequest,
  expectProblem,
  makeApp,
  openTestDb,
  postBooking,
  type TestApp,
  type TestDb,
} from './helpers.js';

const SLUG = 'test-salon';
const OWN = 'http://localhost';
const GOOD = 'una frase larga de verdad 7';

describe.each(BACKENDS)('customer rights (%s)', { timeout: 120_000 }, (backend) => {
  let tdb: TestDb;
  let t: TestApp;
  beforeAll(async () => {
    tdb = await openTestDb(backend);
    t = makeApp(tdb.db);
  });
  afterAll(() => tdb.drop());

  const call = (path: string, method: string, body?: unknown, token?: string) =>
    t.request(path, {
      method,
      headers: {
        Origin: OWN,
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });

  async function signUp(email: string) {
    expect((await call(accountRoutes.signupStart(SLUG), 'POST', { email, locale: 'es-ES' })).status).toBe(
      202,
    );
    const mail = (await listOutbox(tdb.db))
      .filter((m) => m.recipient === email && m.kind === 'signup_code')
      .pop();
    const code = /\b(\d{6})\b/.exec(mail!.body!)![1]!;
    const res = await call(accountRoutes.signupComplete(SLUG), 'POST', {
      email,
      code,
      password: GOOD,
      name: 'Rita',
    });
    expect(res.status).toBe(201);
    return SignedIn.parse(await res.json()).session.token;
  }

  it('download my data, see what is kept, erase my account with a recent sign-in', async () => {
    const email = 'rita@example.com';
    const booked = await postBooking(
      t,
      bookingRequest(t.business, { customer: { name: 'Rita Ruiz', email } }),
    );
    expect(booked.status).toBe(201);
    const booking = (await booked.json()) as { id: string; manageToken: string };
    const token = await signUp(email);

    const data = await call(customerRoutes.data(SLUG), 'GET', undefined, token);
    expect(data.status).toBe(200);
    expect(data.headers.get('content-disposition')).toBe('attachment; filename="test-salon-my-data.json"');
    const mine = (await data.json()) as {
      format: string;
      account: { email: string; name: string };
      bookings: { id: string; customer: { name: string }; consents: unknown[] }[];
      sessions: unknown[];
      securityEvents: { event: string }[];
    };
    expect(mine.format).toBe('cita-customer-data');
    expect(mine.account).toMatchObject({ email, name: 'Rita' });
    expect(mine.bookings.map((b) => b.id)).toEqual([booking.id]);
    expect(mine.bookings[0]!.customer.name).toBe('Rita Ruiz');
    expect(mine.bookings[0]!.consents.length).toBeGreaterThan(0);
    expect(mine.sessions).toHaveLength(1);
    expect(mine.securityEvents.map((e) => e.event)).toContain('user_created');

    const preview = ErasurePreview.parse(
      await (await call(customerRoutes.erasure(SLUG), 'GET', undefined, token)).json(),
    );
    expect(preview).toEqual({
      bookings: 1,
      upcoming: 1,
      account: true,
      kept: ['invoices', 'anonymised_bookings', 'audit_log'],
    });

    // Confirmation is explicit, and the sign-in must be recent.
    await expectProblem(await call(customerRoutes.erasure(SLUG), 'POST', {}, token), 'validation_failed');
    t.clock.set(new Date(t.clock.now().getTime() + 11 * 60_000).toISOString());
    await expectProblem(
      await call(customerRoutes.erasure(SLUG), 'POST', { confirm: true }, token),
      'recent_sign_in_required',
      403,
    );
    const again = await call(accountRoutes.sessions(SLUG), 'POST', { email, password: GOOD });
    const fresh = SignedIn.parse(await again.json()).session.token;
    const erased = await call(customerRoutes.erasure(SLUG), 'POST', { confirm: true }, fresh);
    expect(erased.status).toBe(200);
    expect(ErasurePreview.parse(await erased.json())).toMatchObject({ bookings: 1, upcoming: 1 });

    // Gone: the account, its sessions, the customer fields, the manage link.
    await expectProblem(await call(accountRoutes.me(SLUG), 'GET', undefined, fresh), 'unauthorized');
    await expectProblem(
      await call(accountRoutes.sessions(SLUG), 'POST', { email, password: GOOD }),
      'invalid_credentials',
    );
    const manage = await t.request(`/v1/businesses/${SLUG}/bookings/${booking.id}`, {
      headers: { Authorization: `Bearer ${booking.manageToken}` },
    });
    await expectProblem(manage, 'not_found', 404);
    const [row] = await tdb.db.query<{ status: string; customer_email: string; customer_name: string }>(
      'SELECT status, customer_email, customer_name FROM bookings WHERE id = $1',
      [booking.id],
    );
    expect(row).toEqual({ status: 'cancelled', customer_email: '', customer_name: '' });
    const events = (await listAudit(tdb.db, SLUG)).map((e) => e.event);
    expect(events).toContain('customer_data_exported');
    // The erasure, then the refused sign-in with the erased account's password.
    expect(events.slice(-2)).toEqual(['customer_erased', 'authn_login_fail']);
    expect(JSON.stringify(await listAudit(tdb.db, SLUG))).not.toContain(email);
    expect((await verifyAuditChain(tdb.db)).ok).toBe(true);
  });

  it('an owner exports and erases a guest customer who asks by email', async () => {
    t.clock.set('2026-03-02T08:00:00Z');
    const email = 'guest@example.com';
    const booked = await postBooking(
      t,
      bookingRequest(t.business, {
        start: '2026-03-05T10:00:00+01:00',
        customer: { name: 'Gus Guest', email },
      }),
    );
    expect(booked.status).toBe(201);
    const setup = await createStaff(
      { db: tdb.db, now: t.clock.now },
      t.business,
      { email: 'owner@salon.example', role: 'owner' },
      { baseUrl: OWN },
      { clientAddress: 'cli' },
    );
    const signed = await call(adminRoutes.setup, 'POST', {
      token: setup.link.split('#token=')[1],
      password: GOOD,
    });
    const cookie = signed.headers.get('set-cookie')!.split(';')[0]!;
    const data = await t.request(`${consoleCustomerRoutes.data}?email=${encodeURIComponent(email)}`, {
      headers: { Cookie: cookie },
    });
    expect(data.status).toBe(200);
    const held = (await data.json()) as { account: null; bookings: { customer: { name: string } }[] };
    expect(held.account).toBeNull();
    expect(held.bookings.map((b) => b.customer.name)).toEqual(['Gus Guest']);

    const erase = (body: unknown) =>
      t.request(consoleCustomerRoutes.erase, {
        method: 'POST',
        headers: { Cookie: cookie, Origin: OWN, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    await expectProblem(await erase({ email }), 'validation_failed');
    const res = await erase({ email: 'Guest@Example.com', confirm: true });
    expect(res.status).toBe(200);
    expect(ErasurePreview.parse(await res.json())).toMatchObject({
      bookings: 1,
      upcoming: 1,
      account: false,
    });
    expect((await tdb.db.query('SELECT 1 FROM bookings WHERE customer_email = $1', [email])).length).toBe(0);
    const last = (await listAudit(tdb.db, SLUG)).at(-1)!;
    expect(last.event).toBe('customer_erased');
    expect(last.account_id).not.toBeNull(); // the owner who did it
  });
});

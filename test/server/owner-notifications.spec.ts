/**
 * Owner notifications (issue 11, `notifications.owner`): the business's recipients get an email
 * through the outbox when a booking is made, cancelled or moved, in the business's language, for
 * the events the configuration lists; a held booking is announced when confirmed; in HIPAA mode the
 * email names no customer, service, staff member or reference, only the time and the console.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CreatedBooking, routes } from '../../src/api/contract.js';
import { manageRoutes } from '../../src/api/manage-contract.js';
import { listOutbox } from '../../server/db/stores/outbox.js';
import { memoryMailer, OutboxWorker } from '../../server/domain/outbox.js';
import {
  BACKENDS,
  bookingRequest,
  makeApp,
  openTestDb,
  ORIGIN,
  postBooking,
  testConfig,
  type TestApp,
  type TestDb,
} from './helpers.js';

const OWNERS = ['recepcion@salon.example', 'duena@salon.example'];
const AT_12 = '2026-03-04T12:00:00+01:00';

type Raw = Parameters<NonNullable<Parameters<typeof testConfig>[0]>>[0];
const withOwners = (events?: string[], more?: (raw: Raw) => void) =>
  testConfig((raw) => {
    raw.publicUrl = 'https://book.example';
    for (const b of raw.businesses)
      b.notifications = { owner: { recipients: OWNERS, ...(events ? { events } : {}) } };
    more?.(raw);
  });

describe.each(BACKENDS)('owner notifications (%s)', { timeout: 120_000 }, (backend) => {
  let tdb: TestDb;
  beforeAll(async () => {
    tdb = await openTestDb(backend);
  });
  afterAll(async () => {
    await tdb?.drop();
  });
  beforeEach(async () => {
    await tdb.db.query('TRUNCATE outbox, consents, idempotency_keys, bookings CASCADE');
  });

  const ownerMails = async () => (await listOutbox(tdb.db)).filter((m) => m.kind.startsWith('owner_'));
  const book = async (t: TestApp, over = {}, slug = 'test-salon') => {
    const business = t.config.businesses.get(slug)!;
    const origin = business.allowedOrigins[0]!;
    const res = await postBooking(t, bookingRequest(business, over), { slug, origin });
    expect(res.status, await res.clone().text()).toBe(201);
    return CreatedBooking.parse(await res.json());
  };
  const manage = (t: TestApp, path: string, token: string | undefined, body?: unknown) =>
    t.request(path, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${token}`,
        Origin: ORIGIN,
        ...(body ? { 'Content-Type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });

  it('tells every recipient, in Spanish, of a booking, its move and its cancellation, and sends them', async () => {
    const t = makeApp(tdb.db, { config: withOwners() });
    const b = await book(t, {
      customer: { name: 'Lucía Gómez', email: 'lucia@example.com' },
    });
    let mails = await ownerMails();
    expect(mails.map((m) => [m.kind, m.recipient])).toEqual([
      ['owner_booked', OWNERS[0]],
      ['owner_booked', OWNERS[1]],
    ]);
    expect(mails[0]!.subject).toBe('Nueva reserva en Salón de Prueba');
    expect(mails[0]!.body).toContain('Se ha hecho una reserva para el miércoles, 4 de marzo de 2026, 10:00');
    expect(mails[0]!.body).toContain('Cliente: Lucía Gómez <lucia@example.com>');
    expect(mails[0]!.body).toContain('Servicio: Corte');
    expect(mails[0]!.body).toContain('https://book.example/admin');

    expect(
      (await manage(t, manageRoutes.reschedule('test-salon', b.id), b.manageToken, { start: AT_12 })).status,
    ).toBe(200);
    expect((await manage(t, routes.cancel('test-salon', b.id), b.manageToken)).status).toBe(200);
    mails = await ownerMails();
    expect(mails.map((m) => m.kind)).toEqual([
      'owner_booked',
      'owner_booked',
      'owner_rescheduled',
      'owner_rescheduled',
      'owner_cancelled',
      'owner_cancelled',
    ]);
    expect(mails[2]!.body).toMatch(
      /Una reserva ha pasado del miércoles, 4 de marzo de 2026, 10:00 .* al miércoles, 4 de marzo de 2026, 12:00/,
    );
    expect(mails[4]!.body).toContain('Se ha cancelado la reserva del miércoles, 4 de marzo de 2026, 12:00');

    // The outbox delivers them like every other email.
    const mailer = memoryMailer();
    await new OutboxWorker(tdb.db, mailer, t.clock.now).drain();
    // (A batch is sent in no particular order.)
    expect(
      mailer.sent
        .filter((m) => m.to === OWNERS[1])
        .map((m) => m.subject)
        .sort(),
    ).toEqual([
      'Nueva reserva en Salón de Prueba',
      'Reserva cambiada de hora en Salón de Prueba',
      'Reserva cancelada en Salón de Prueba',
    ]);
  });

  it('sends only the events listed, none without recipients, and none for a replay', async () => {
    const only = makeApp(tdb.db, { config: withOwners(['cancelled']) });
    const b = await book(only);
    expect(await ownerMails()).toEqual([]);
    await manage(only, routes.cancel('test-salon', b.id), b.manageToken);
    expect((await ownerMails()).map((m) => m.kind)).toEqual(['owner_cancelled', 'owner_cancelled']);

    await tdb.db.query('TRUNCATE outbox');
    const none = makeApp(tdb.db);
    await book(none, { start: AT_12 });
    expect((await listOutbox(tdb.db)).map((m) => m.kind)).toEqual(['confirmation']);

    await tdb.db.query('TRUNCATE outbox');
    const all = makeApp(tdb.db, { config: withOwners() });
    const req = bookingRequest(all.business, { start: '2026-03-05T10:00:00+01:00' });
    const key = 'the-same-key-twice-000';
    expect((await postBooking(all, req, { key })).status).toBe(201);
    expect((await postBooking(all, req, { key })).status).toBe(201);
    expect((await ownerMails()).map((m) => m.kind)).toEqual(['owner_booked', 'owner_booked']);
  });

  it('announces a held booking only once the customer confirms it', async () => {
    const t = makeApp(tdb.db, {
      config: withOwners(undefined, (raw) => {
        raw.businesses[0]!.confirmation = { byEmail: true };
      }),
    });
    const held = await book(t);
    expect(await ownerMails()).toEqual([]);
    const link = (await listOutbox(tdb.db)).find((m) => m.kind === 'hold')!.body!;
    const token = /cita-manage=[^.]+\.(\S+)/.exec(link)![1]!;
    expect((await manage(t, routes.confirm('test-salon', held.id), token)).status).toBe(200);
    expect((await ownerMails()).map((m) => m.kind)).toEqual(['owner_booked', 'owner_booked']);
  });

  it('in HIPAA mode, says only when, in English, and links to the console', async () => {
    const t = makeApp(tdb.db, { config: withOwners() });
    const clinic = t.config.businesses.get('test-clinic')!;
    await book(
      t,
      {
        service: 'visit',
        staff: 'dr-lima',
        start: '2026-03-03T10:00:00-03:00',
        customer: { name: 'Grace Hopper', email: 'grace@example.com', phone: '+34600111222' },
        consents: [],
        locale: 'en-GB',
      },
      clinic.slug,
    );
    const [mail] = await ownerMails();
    expect(mail!.subject).toBe('New booking at Test Clinic');
    expect(mail!.body).toBe(
      'A booking was made for Tuesday, 3 March 2026 at 10:00 (America/Sao_Paulo).\n\n' +
        'Sign in to the console to see it:\nhttps://book.example/admin\n\n--\n' +
        "You get this notice because your address is in notifications.owner of Test Clinic's configuration.\n",
    );
    for (const secret of ['Grace', 'Hopper', 'grace@example.com', '600111222', 'Visit', 'Lima'])
      expect(`${mail!.subject}\n${mail!.body}`).not.toContain(secret);
  });
});

/**
 * Calendar invitations in the booking emails, read back from the outbox and from what the mailer
 * was handed: the confirmation is an iCalendar REQUEST, a move updates the same UID with a higher
 * SEQUENCE, a cancellation is a CANCEL of that UID; location, organizer (the business), attendee
 * (the customer) and the manage link are in it. No iCalendar library is installed, so the test
 * unfolds the lines (RFC 5545 section 3.1) and reads the properties itself.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CreatedBooking, routes } from '../../src/api/contract.js';
import { manageRoutes } from '../../src/api/manage-contract.js';
import { truncateAll } from '../../server/db/stores/maintenance.js';
import { listOutbox } from '../../server/db/stores/outbox.js';
import { OutboxWorker, memoryMailer } from '../../server/domain/outbox.js';
import {
  BACKENDS,
  ORIGIN,
  bookingRequest,
  makeApp,
  openTestDb,
  postBooking,
  testConfig,
  type TestApp,
  type TestDb,
} from './helpers.js';

/** The properties of the one VEVENT (and the calendar's METHOD), lines unfolded. */
function readIcs(ics: string): { method: string; event: Map<string, string[]>; lines: string[] } {
  expect(ics.endsWith('\r\n')).toBe(true);
  expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/); // CRLF only
  const lines = ics
    .replace(/\r\n[ \t]/g, '')
    .split('\r\n')
    .slice(0, -1);
  for (const l of ics.split('\r\n')) expect(new TextEncoder().encode(l).length).toBeLessThanOrEqual(75);
  expect(lines[0]).toBe('BEGIN:VCALENDAR');
  expect(lines.at(-1)).toBe('END:VCALENDAR');
  expect(lines.filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(1);
  const event = new Map<string, string[]>();
  let inside = false;
  let method = '';
  for (const l of lines) {
    if (l === 'BEGIN:VEVENT') inside = true;
    else if (l === 'END:VEVENT') inside = false;
    else if (l.startsWith('METHOD:')) method = l.slice(7);
    else if (inside) {
      const name = /^[A-Z-]+/.exec(l)![0];
      event.set(name, [...(event.get(name) ?? []), l]);
    }
  }
  return { method, event, lines };
}
const one = (e: Map<string, string[]>, name: string) => {
  expect(e.get(name), name).toHaveLength(1);
  return e.get(name)![0]!;
};

describe.each(BACKENDS)('calendar invitations on %s', (backend) => {
  let tdb: TestDb;
  let t: TestApp;
  const withContact = testConfig((raw) => {
    raw.businesses[0]!.contact = {
      email: 'hola@salon.example',
      phone: '+34 910 000 000',
      address: 'Calle Mayor 1, Madrid',
    };
  });

  beforeAll(async () => {
    tdb = await openTestDb(backend);
  });
  afterAll(async () => {
    await tdb?.drop();
  });
  beforeEach(async () => {
    await truncateAll(tdb.db);
    t = makeApp(tdb.db, { config: withContact });
  });

  const book = async (app = t) => {
    const res = await postBooking(app, bookingRequest(app.business, { start: '2026-03-04T10:00:00+01:00' }));
    expect(res.status, await res.clone().text()).toBe(201);
    return CreatedBooking.parse(await res.json());
  };
  const post = (path: string, token: string, body: unknown = {}) =>
    t.request(path, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Origin: ORIGIN },
      body: JSON.stringify(body),
    });

  it('confirmation REQUEST, move REQUEST with the same UID and a higher SEQUENCE, cancellation CANCEL', async () => {
    const b = await book();
    const moved = await post(manageRoutes.reschedule('test-salon', b.id), b.manageToken!, {
      start: '2026-03-04T12:00:00+01:00',
    });
    expect(moved.status).toBe(200);
    expect((await post(routes.cancel('test-salon', b.id), b.manageToken!)).status).toBe(200);

    const mails = await listOutbox(tdb.db);
    expect(mails.map((m) => m.kind)).toEqual(['confirmation', 'rescheduled', 'cancellation']);
    const [confirmation, update, cancel] = mails.map((m) => readIcs(m.calendar!));

    expect(confirmation!.method).toBe('REQUEST');
    const e = confirmation!.event;
    expect(one(e, 'UID')).toBe(`UID:${b.id}@cita`);
    expect(one(e, 'SEQUENCE')).toBe('SEQUENCE:0');
    expect(one(e, 'DTSTART')).toBe('DTSTART:20260304T090000Z');
    expect(one(e, 'DTEND')).toBe('DTEND:20260304T093000Z');
    expect(one(e, 'DTSTAMP')).toBe('DTSTAMP:20260302T080000Z');
    expect(one(e, 'SUMMARY')).toBe('SUMMARY:Corte · Salón de Prueba');
    expect(one(e, 'LOCATION')).toBe('LOCATION:Calle Mayor 1\\, Madrid');
    expect(one(e, 'ORGANIZER')).toBe('ORGANIZER;CN="Salón de Prueba":mailto:hola@salon.example');
    expect(one(e, 'ATTENDEE')).toBe(
      'ATTENDEE;CN="Lucía Gómez";ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;RSVP=FALSE:mailto:lucia@example.com',
    );
    const link = `https://shop.example/reservas#cita-manage=${b.id}.${b.manageToken}`;
    expect(one(e, 'URL')).toBe(`URL:${link}`);
    expect(one(e, 'DESCRIPTION')).toBe(`DESCRIPTION:${b.reference}\\n${link}`);
    expect(one(e, 'STATUS')).toBe('STATUS:CONFIRMED');

    expect(update!.method).toBe('REQUEST');
    expect(one(update!.event, 'UID')).toBe(`UID:${b.id}@cita`);
    expect(one(update!.event, 'SEQUENCE')).toBe('SEQUENCE:1');
    expect(one(update!.event, 'DTSTART')).toBe('DTSTART:20260304T110000Z');
    expect(one(update!.event, 'ORGANIZER')).toBe(one(e, 'ORGANIZER'));

    expect(cancel!.method).toBe('CANCEL');
    expect(one(cancel!.event, 'UID')).toBe(`UID:${b.id}@cita`);
    expect(one(cancel!.event, 'SEQUENCE')).toBe('SEQUENCE:2');
    expect(one(cancel!.event, 'STATUS')).toBe('STATUS:CANCELLED');
    expect(one(cancel!.event, 'DTSTART')).toBe('DTSTART:20260304T110000Z');
  });

  it('the mailer gets the invitation with its method; once sent, the outbox keeps none', async () => {
    const b = await book();
    const mailer = memoryMailer();
    await new OutboxWorker(tdb.db, mailer, t.clock.now).drain();
    expect(mailer.sent).toHaveLength(1);
    const sent = mailer.sent[0]!;
    expect(sent.calendar?.method).toBe('REQUEST');
    expect(readIcs(sent.calendar!.content).event.get('UID')).toEqual([`UID:${b.id}@cita`]);
    const [row] = await listOutbox(tdb.db);
    expect(row!.calendar).toBe(null);
    const raw = await tdb.db.query<{ calendar: string | null }>('SELECT calendar FROM outbox');
    expect(raw[0]!.calendar).toBe(null);
  });

  it('the stored invitation is sealed like the body (no manage token in clear)', async () => {
    const b = await book();
    const raw = await tdb.db.query<{ calendar: string }>('SELECT calendar FROM outbox');
    expect(raw[0]!.calendar).not.toContain(b.manageToken);
    expect(raw[0]!.calendar).not.toContain('BEGIN:VCALENDAR');
  });

  it('without a contact email (no organizer) the files are PUBLISH, the cancellation a cancelled event', async () => {
    const app = makeApp(tdb.db, { clock: t.clock });
    const b = await book(app);
    await app.request(routes.cancel('test-salon', b.id), {
      method: 'POST',
      headers: { Authorization: `Bearer ${b.manageToken}`, Origin: ORIGIN },
    });
    const [confirmation, cancel] = (await listOutbox(tdb.db)).map((m) => readIcs(m.calendar!));
    expect(confirmation!.method).toBe('PUBLISH');
    expect(confirmation!.event.has('ORGANIZER')).toBe(false);
    expect(confirmation!.event.has('LOCATION')).toBe(false);
    expect(cancel!.method).toBe('PUBLISH');
    expect(one(cancel!.event, 'STATUS')).toBe('STATUS:CANCELLED');
    expect(one(cancel!.event, 'UID')).toBe(`UID:${b.id}@cita`);
  });
});

/**
 * HIPAA mode end to end, with the real `cita-server` process on PGlite (demo/config.json's clinic,
 * which asks for notes and notifies its front desk): a booking over HTTP with a note; the
 * customer's confirmation and the owner notification land in the outbox log without the service,
 * the staff member, the note or (beyond the greeting) the customer's name; after a clean stop, the
 * note's text is nowhere in the data directory (database files and outbox log alike).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Availability, BusinessConfig, CreatedBooking, routes } from '../../src/api/contract.js';
import { startServer } from './process.js';

const NOTE = 'Dolor lumbar desde marzo, toma ibuprofeno 7731';
const SLUG = 'clinica-norte';
const ORIGIN = 'http://localhost:5174';
const DESK = 'recepcion@clinica-norte.example';

function filesUnder(d: string): string[] {
  return readdirSync(d).flatMap((name) => {
    const p = join(d, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

describe('HIPAA mode, the real server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cita-hipaa-process-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('emails say no more than they must, and the note is not on disk', { timeout: 240_000 }, async () => {
    const raw = JSON.parse(readFileSync(new URL('../../demo/config.json', import.meta.url), 'utf8')) as {
      businesses: Record<string, unknown>[];
    };
    const clinic = raw.businesses.find((b) => b.slug === SLUG)!;
    clinic.customerFields = ['name', 'email', 'phone', 'notes'];
    clinic.notifications = { owner: { recipients: [DESK] } };
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify(raw));
    const dataDir = join(dir, 'data');
    const server = await startServer(['--config', config, '--data-dir', dataDir], {}, 150_000);
    let reference = '';
    try {
      const api = (p: string) => server.url + p;
      const pub = BusinessConfig.parse(await (await fetch(api(routes.business(SLUG)))).json());
      const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
      const avail = Availability.parse(
        await (
          await fetch(api(`${routes.availability(SLUG)}?service=fisioterapia&from=${day(1)}&to=${day(20)}`))
        ).json(),
      );
      const res = await fetch(api(routes.bookings(SLUG)), {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'Idempotency-Key': 'hipaa-process-0001',
          Origin: ORIGIN,
        },
        body: JSON.stringify({
          service: 'fisioterapia',
          start: avail.slots[0]!.start,
          customer: {
            name: 'Rosa Quintana',
            email: 'rosa@example.com',
            phone: '+34 600 222 333',
            notes: NOTE,
          },
          consents: Object.entries(pub.policies).map(([policy, p]) => ({
            policy,
            version: p.version,
            sha256: p.sha256,
          })),
        }),
      });
      expect(res.status, await res.clone().text()).toBe(201);
      reference = CreatedBooking.parse(await res.json()).reference;

      const log = join(dataDir, 'outbox.log');
      const sent = () => (existsSync(log) ? readFileSync(log, 'utf8') : '');
      for (let i = 0; i < 100 && !sent().includes(`To: ${DESK}`); i++)
        await new Promise((r) => setTimeout(r, 100));
      const emails = sent().split(/^=== /m).filter(Boolean);
      const toCustomer = emails.find((e) => e.includes('To: rosa@example.com'))!;
      const toDesk = emails.find((e) => e.includes(`To: ${DESK}`))!;
      expect(toCustomer).toContain(`(${reference})`);
      expect(toCustomer).toContain('SUMMARY:Cita en Clínica Norte');
      expect(toDesk).toContain('Subject: Nueva reserva en Clínica Norte');
      expect(toDesk).toMatch(
        /Se ha hecho una reserva para el .+\.\n\nInicia sesión en la consola para verla/,
      );
      // The greeting may name the customer; nothing else may.
      expect(toCustomer).toMatch(/^Hola, Rosa Quintana:$/m);
      const rest = toCustomer.replace(/^Hola, Rosa Quintana:$/m, '') + toDesk;
      for (const secret of ['fisioterapia', 'Sergio Lago', 'lumbar', 'Quintana', 'Rosa Q'])
        expect(rest, secret).not.toContain(secret);
      expect(toDesk).not.toContain('Rosa');
      expect(toDesk).not.toContain(reference);
    } finally {
      expect(await server.stop()).toBe(0);
    }
    expect(reference).not.toBe('');
    // The search sees into the files (the reference is in the database and the log) ...
    expect(filesUnder(dataDir).some((f) => readFileSync(f).includes(Buffer.from(reference)))).toBe(true);
    // ... and finds no note anywhere.
    expect(filesUnder(dataDir).filter((f) => readFileSync(f).includes(Buffer.from('lumbar')))).toEqual([]);
  });
});

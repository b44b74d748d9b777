/**
 * The customer's notes at rest (issue 11): a booking's notes are sealed with the keyring, so
 * after a checkpoint their text is nowhere in the raw files of the PGlite data directory; the
 * customer's data download opens them; `cita-server keys rotate` re-wraps them (and seals notes
 * stored in clear before this change); without keys a booking with notes is refused with
 * `keys_unavailable` and nothing is stored. On PostgreSQL too (CITA_TEST_PG_URL).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CreatedBooking } from '../../src/api/contract.js';
import { createKeyring } from '../../server/crypto/keyring.js';
import { rotateKeys } from '../../server/crypto/rotate.js';
import { openDatabase } from '../../server/db/index.js';
import { migrate } from '../../server/db/migrations.js';
import { customerData } from '../../server/domain/customer-data.js';
import {
  BACKENDS,
  bookingRequest,
  expectProblem,
  makeApp,
  openTestDb,
  postBooking,
  testConfig,
  type TestApp,
} from './helpers.js';

const NOTE = 'Rodilla operada en enero; alergia al látex 4417';
const withNotes = () =>
  testConfig((raw) => {
    raw.businesses[0]!.customerFields = ['name', 'email', 'notes'];
  });

async function bookWithNote(t: TestApp, email: string, start?: string) {
  const res = await postBooking(
    t,
    bookingRequest(t.business, {
      customer: { name: 'Lucía Gómez', email, notes: NOTE },
      ...(start ? { start } : {}),
    }),
  );
  expect(res.status, await res.clone().text()).toBe(201);
  return CreatedBooking.parse(await res.json());
}

describe('notes at rest in the PGlite data directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cita-notes-at-rest-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const filesUnder = (d: string): string[] =>
    readdirSync(d).flatMap((name) => {
      const p = join(d, name);
      return statSync(p).isDirectory() ? filesUnder(p) : [p];
    });
  const filesHolding = (text: string) =>
    filesUnder(dir).filter((f) => readFileSync(f).includes(Buffer.from(text)));

  it(
    'leaves no note on disk, and the customer data download still shows it',
    { timeout: 120_000 },
    async () => {
      const key = { id: 'k1', key: randomBytes(32) };
      const db = await openDatabase({ dataDir: dir });
      await migrate(db);
      const config = withNotes();
      const t = makeApp(db, { config, keyring: createKeyring([key]) });
      await bookWithNote(t, 'rest@example.com');
      // The emails queued with it never carry notes (their bodies are sealed anyway).
      await db.query('CHECKPOINT');
      await db.close();

      expect(filesHolding(NOTE)).toEqual([]);
      expect(filesHolding('alergia al látex')).toEqual([]);
      // The search does see into these files.
      expect(filesHolding('rest@example.com').length).toBeGreaterThan(0);

      const db2 = await openDatabase({ dataDir: dir });
      const data = await customerData(
        db2,
        config.businesses.get('test-salon')!,
        'rest@example.com',
        new Date(),
        { clientAddress: 'test' },
        null,
        createKeyring([key]),
      );
      expect(data.bookings.map((b) => b.customer.notes)).toEqual([NOTE]);
      await db2.close();
    },
  );
});

describe.each(BACKENDS)('notes sealed with the keyring (%s)', { timeout: 120_000 }, (backend) => {
  it('keys rotate re-wraps them and seals old plain-text notes; no keys, no notes', async () => {
    const tdb = await openTestDb(backend);
    try {
      const oldKey = { id: 'old', key: randomBytes(32) };
      const config = withNotes();
      const business = config.businesses.get('test-salon')!;
      const t = makeApp(tdb.db, { config, keyring: createKeyring([oldKey]) });
      const sealed = await bookWithNote(t, 'a@example.com');
      const legacy = await bookWithNote(t, 'b@example.com', '2026-03-04T12:00:00+01:00');
      const notes = async () =>
        new Map(
          (
            await tdb.db.query<{ id: string; customer_notes: string }>(
              'SELECT id, customer_notes FROM bookings',
            )
          ).map((r) => [r.id, r.customer_notes]),
        );
      expect((await notes()).get(sealed.id)).toMatch(/^k1\.old\./);
      // A note stored in clear before notes were sealed.
      await tdb.db.query('UPDATE bookings SET customer_notes = $1 WHERE id = $2', [
        'plain old note',
        legacy.id,
      ]);

      const newKey = { id: 'new', key: randomBytes(32) };
      const report = await rotateKeys(tdb.db, createKeyring([newKey, oldKey]));
      expect(report).toContainEqual({ column: 'bookings.customer_notes', rewrapped: 2, already: 0 });
      const after = await notes();
      expect(after.get(sealed.id)).toMatch(/^k1\.new\./);
      expect(after.get(legacy.id)).toMatch(/^k1\.new\./);
      const open = async (email: string) =>
        (
          await customerData(
            tdb.db,
            business,
            email,
            new Date(),
            { clientAddress: 'test' },
            null,
            createKeyring([newKey]),
          )
        ).bookings.map((b) => b.customer.notes);
      expect(await open('a@example.com')).toEqual([NOTE]);
      expect(await open('b@example.com')).toEqual(['plain old note']);

      // No keys (PostgreSQL without CITA_KEYS): refused, and nothing stored.
      const keyless = makeApp(tdb.db, { config, keyring: null });
      const before = (await notes()).size;
      const res = await postBooking(
        keyless,
        bookingRequest(business, {
          start: '2026-03-05T10:00:00+01:00',
          customer: { name: 'Lucía Gómez', email: 'c@example.com', notes: NOTE },
        }),
      );
      await expectProblem(res, 'keys_unavailable', 503);
      expect((await notes()).size).toBe(before);
      // A booking without notes needs no keys.
      const plain = testConfig();
      const ok = await postBooking(
        makeApp(tdb.db, { config: plain, keyring: null }),
        bookingRequest(plain.businesses.get('test-salon')!, { start: '2026-03-05T10:00:00+01:00' }),
      );
      expect(ok.status).toBe(201);
    } finally {
      await tdb.drop();
    }
  });
});

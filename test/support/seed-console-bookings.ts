/**
 * Seeds the browser tests' server (test/support/cita-server-plugin.mjs, `seed`) before it starts:
 * one booking at wtr-console that started a little under an hour ago, so test/console-bookings.test.ts
 * can mark it attended without waiting for a slot to come round (the smallest slot step is five
 * minutes, and the real server books only future times).
 *
 * It goes through the real booking domain (`createBooking`: consents checked against the current
 * policies and stored as proof with the embedding origin), with its clock set an hour back: the
 * booking is what the server would have stored had the customer booked then.
 *
 * Usage: node --import tsx test/support/seed-console-bookings.ts --config <file> --data-dir <dir>
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Consent } from '../../src/api/contract.js';
import { loadConfig } from '../../server/config.js';
import { openDatabase } from '../../server/db/index.js';
import { migrate } from '../../server/db/migrations.js';
import { createBooking } from '../../server/domain/bookings.js';

const SLUG = 'wtr-console';
const STEP_MS = 5 * 60_000;

const { values } = parseArgs({ options: { config: { type: 'string' }, 'data-dir': { type: 'string' } } });
const config = await loadConfig(values.config!);
const business = config.businesses.get(SLUG);
if (!business) throw new Error(`${values.config} has no business ${SLUG}`);
const db = await openDatabase({ dataDir: join(values['data-dir']!, 'pglite') });
try {
  await migrate(db);
  const then = new Date(Date.now() - 60 * 60_000);
  // The first slot of the five-minute grid after "then" (the staff work round the clock).
  const start = new Date(Math.ceil(then.getTime() / STEP_MS) * STEP_MS);
  const consents = Object.entries(business.publicConfig.policies).map(([policy, p]) => ({
    policy: policy as Consent['policy'],
    version: p.version,
    sha256: p.sha256,
  }));
  const { booking } = await createBooking(
    { db, now: () => then },
    {
      business,
      request: {
        service: 'corte',
        start: start.toISOString(),
        staff: 'eva',
        customer: { name: 'Marta Console', email: 'marta@example.com' },
        consents,
        locale: 'en-GB',
      },
      idempotencyKey: randomUUID(),
      origin: 'http://localhost:8765',
    },
  );
  process.stdout.write(`Seeded ${booking.reference} at ${booking.start}\n`);
} finally {
  await db.close();
}

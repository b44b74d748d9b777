/**
 * Seeds the browser tests' server (test/support/cita-server-plugin.mjs, `seed`) before it starts:
 * two bookings at wtr-console, one that started a little under an hour ago, so
 * test/console-bookings.test.ts can mark it attended without waiting for a slot to come round
 * (the smallest slot step is five minutes, and the real server books only future times), and one
 * starting in half an hour, past its cancellation cutoff, for the owner's override.
 *
 * It goes through the real booking domain (`createBooking`: consents checked against the current
 * policies and stored as proof with the embedding origin), with its clock set an hour back: the
 * booking is what the server would have stored had the customer booked then, from the business's
 * first allowed origin. Service `corte`, staff `eva` (working round the clock, on a five-minute
 * grid). test/e2e/console.spec.ts seeds its own business the same way, the started booking made
 * out to its customer: each booking is printed as one line of JSON (id, reference, start, email,
 * manage token).
 *
 *   node --import tsx test/support/seed-console-bookings.ts <dataDir> <config file> \
 *     [business (wtr-console)] [the started booking's email] [its customer's name]
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Consent } from '../../src/api/contract.js';
import { loadConfig } from '../../server/config.js';
import { openDatabase } from '../../server/db/index.js';
import { migrate } from '../../server/db/migrations.js';
import { createBooking } from '../../server/domain/bookings.js';

const STEP_MS = 5 * 60_000;

const [dataDir, configFile, SLUG = 'wtr-console', email = 'marta@example.com', name = 'Marta Console'] =
  process.argv.slice(2);
if (!dataDir || !configFile) throw new Error('usage: <dataDir> <config file> [business] [email] [name]');
const config = await loadConfig(configFile);
const business = config.businesses.get(SLUG);
if (!business) throw new Error(`${configFile} has no business ${SLUG}`);
const db = await openDatabase({ dataDir: join(dataDir, 'pglite') });
try {
  await migrate(db);
  const then = new Date(Date.now() - 60 * 60_000);
  const consents = Object.entries(business.publicConfig.policies).map(([policy, p]) => ({
    policy: policy as Consent['policy'],
    version: p.version,
    sha256: p.sha256,
  }));
  // Marta's started a little under an hour ago; Pedro's starts in half an hour (past its
  // two-hour cancellation cutoff already). Each on the five-minute grid (staff work round the clock).
  const bookings = [
    { at: then.getTime(), name, email },
    { at: Date.now() + 30 * 60_000, name: 'Pedro Override', email: 'pedro@example.com' },
  ];
  for (const b of bookings) {
    const start = new Date(Math.ceil(b.at / STEP_MS) * STEP_MS);
    const { booking } = await createBooking(
      { db, now: () => then },
      {
        business,
        request: {
          service: 'corte',
          start: start.toISOString(),
          staff: 'eva',
          customer: { name: b.name, email: b.email },
          consents,
          locale: 'en-GB',
        },
        idempotencyKey: randomUUID(),
        origin: business.allowedOrigins[0]!,
      },
    );
    const { id, reference, start: at, manageToken } = booking;
    process.stdout.write(`${JSON.stringify({ id, reference, start: at, email: b.email, manageToken })}\n`);
  }
} finally {
  await db.close();
}

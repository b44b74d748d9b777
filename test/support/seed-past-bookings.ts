/**
 * Puts bookings that ended in the past into a fresh PGlite data directory before the browser
 * tests' server starts (test/support/cita-server-plugin.mjs, `seed`): the booking API cannot make
 * them (nothing is booked in the past), and the console's clean history only takes bookings that
 * ended before a day that is over. Through the bookings store, as the server writes them. Each
 * booking is printed as one line of JSON (id, reference, start).
 *
 *   node --import tsx test/support/seed-past-bookings.ts <dataDir> <business> <email> <name> <count>
 */
import { createHash, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import process from 'node:process';
import { openDatabase } from '../../server/db/index.js';
import { migrate } from '../../server/db/migrations.js';
import { insertBooking } from '../../server/db/stores/bookings.js';

const [dataDir, business, email, name, count] = process.argv.slice(2);
if (!dataDir || !business || !email || !name || !count)
  throw new Error('usage: <dataDir> <business> <email> <name> <count>');

const db = await openDatabase({ dataDir: join(dataDir, 'pglite') });
try {
  await migrate(db);
  for (let i = 0; i < Number(count); i++) {
    // 30 + i days ago, 10:00 to 10:30 UTC.
    const start = new Date(Date.now() - (30 + i) * 86_400_000);
    start.setUTCHours(10, 0, 0, 0);
    const end = new Date(start.getTime() + 30 * 60_000);
    const id = randomUUID();
    const reference = `PAST-${id.slice(0, 8).toUpperCase()}`;
    await db.transaction(async (tx) => {
      await insertBooking(tx, {
        id,
        reference,
        business,
        service: 'corte',
        service_name: 'Corte de pelo',
        staff: 'ana',
        staff_name: 'Ana Ruiz',
        starts_at: start,
        ends_at: end,
        blocked_start: start,
        blocked_end: end,
        customer_name: name,
        customer_email: email,
        customer_phone: '+34600123456',
        customer_notes: null,
        locale: 'es-ES',
        customer_time_zone: null,
        time_zone: 'Europe/Madrid',
        cancellable_until: null,
        manage_token_hash: createHash('sha256').update(id).digest('hex'),
        created_at: new Date(start.getTime() - 86_400_000),
        status: 'confirmed',
        hold_until: null,
      });
    });
    process.stdout.write(`${JSON.stringify({ id, reference, start: start.toISOString() })}\n`);
  }
} finally {
  await db.close();
}

/**
 * Slot hoarding (issue 14 item 4), the review's scenario at the defaults: from one address with
 * one email, 7 bookings in a row used to empty a day. Now an email holds at most
 * `limits.liveBookingsPerEmail` (3) live bookings; the rest are refused and send no email.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../src/api/contract.js';
import { tableCounts } from '../../server/db/stores/maintenance.js';
import {
  BACKENDS,
  ORIGIN,
  bookingRequest,
  expectProblem,
  makeApp,
  openTestDb,
  postBooking,
  testConfig,
  type TestDb,
} from './helpers.js';

describe.each(BACKENDS)('slot hoarding on %s', (backend) => {
  let tdb: TestDb;
  beforeAll(async () => {
    tdb = await openTestDb(backend);
  });
  afterAll(() => tdb.drop());

  it('one address, one email, 7 bookings: 3 booked, 4 refused, 3 emails', async () => {
    const t = makeApp(tdb.db, {
      config: testConfig((raw) => {
        delete (raw as { rateLimits?: unknown }).rateLimits;
        delete (raw.businesses as Record<string, unknown>[])[0]!.limits;
      }),
    });
    expect(t.business.limits.liveBookingsPerEmail).toBe(3);
    const statuses: number[] = [];
    let refused: Response | undefined;
    for (let i = 0; i < 7; i++) {
      const start = `2026-03-04T${['09', '10', '11', '12', '13', '16', '17'][i]}:00:00+01:00`;
      const email = i % 2 ? 'Hoarder@Example.com' : 'hoarder@example.com';
      const res = await postBooking(
        t,
        bookingRequest(t.business, { start, customer: { name: 'H', email } }),
        {
          ip: '198.51.100.77',
        },
      );
      statuses.push(res.status);
      if (res.status === 409) refused = res;
    }
    expect(statuses).toEqual([201, 201, 201, 409, 409, 409, 409]);
    await expectProblem(refused!, 'too_many_bookings', 409);
    expect(t.emailsQueued).toBe(3);
    expect(await tableCounts(tdb.db)).toMatchObject({ bookings: 3, outbox: 3 });

    // Another email is not affected; a cancellation frees a place.
    const other = await postBooking(
      t,
      bookingRequest(t.business, {
        start: '2026-03-04T16:00:00+01:00',
        customer: { name: 'O', email: 'o@example.com' },
      }),
    );
    expect(other.status).toBe(201);
  });

  it('a cancelled booking no longer counts', async () => {
    const t = makeApp(tdb.db, {
      config: testConfig((raw) => {
        (raw.businesses as Record<string, unknown>[])[0]!.limits = { liveBookingsPerEmail: 1 };
      }),
    });
    const at = (h: number) =>
      bookingRequest(t.business, {
        start: `2026-03-05T${h}:00:00+01:00`,
        customer: { name: 'C', email: 'canceller@example.com' },
      });
    const first = await postBooking(t, at(10));
    expect(first.status).toBe(201);
    await expectProblem(await postBooking(t, at(11)), 'too_many_bookings', 409);
    const { id, manageToken } = (await first.json()) as { id: string; manageToken: string };
    const cancel = await t.request(routes.cancel('test-salon', id), {
      method: 'POST',
      headers: { Authorization: `Bearer ${manageToken}`, Origin: ORIGIN },
    });
    expect(cancel.status).toBe(200);
    expect((await postBooking(t, at(11))).status).toBe(201);
  });
});

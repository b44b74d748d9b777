/**
 * The server's side of two booking-flow changes:
 * - issue 12, item 7: `booking.combinedConsent` and `booking.review` are published in the
 *   business's public configuration (only when set), and a booking made through the one combined
 *   checkbox still stores one consent row per policy, each with its own version and hash;
 * - issue 11, HIPAA mode: the booking frame (`/frame/{business}/booking`) calls the public API
 *   from the server's own origin, which the business gate lets through (without CORS headers),
 *   while a foreign origin is still refused; the frame's `embeddedIn` (the site around it) is what
 *   the consents record, when the business allows that site.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BusinessConfig, CreatedBooking, routes } from '../../src/api/contract.js';
import {
  BACKENDS,
  ORIGIN,
  OTHER_ORIGIN,
  bookingRequest,
  consentsFor,
  expectProblem,
  makeApp,
  openTestDb,
  postBooking,
  testConfig,
  type TestApp,
  type TestDb,
} from './helpers.js';

describe.each(BACKENDS)('booking flow settings and the booking frame (%s)', (backend) => {
  let tdb: TestDb;
  let t: TestApp;
  beforeAll(async () => {
    tdb = await openTestDb(backend);
    t = makeApp(tdb.db, {
      config: testConfig((raw) => {
        raw.businesses[0]!.booking = { combinedConsent: true, review: 'inline' };
      }),
    });
  });
  afterAll(async () => {
    await tdb?.drop();
  });

  const publicConfig = async (slug: string) =>
    BusinessConfig.parse(await (await t.request(routes.business(slug))).json());

  it('publishes the short-flow settings only for the business that sets them', async () => {
    expect((await publicConfig('test-salon')).booking).toEqual({ combinedConsent: true, review: 'inline' });
    expect((await publicConfig('test-clinic')).booking).toBeUndefined();
  });

  it('refuses an unknown review mode with the configuration check', () => {
    expect(() =>
      testConfig((raw) => {
        raw.businesses[0]!.booking = { review: 'popup' };
      }),
    ).toThrow(/booking\.review/);
  });

  it('stores one consent per policy, with its version and hash, as the combined checkbox sends them', async () => {
    const res = await postBooking(t, bookingRequest(t.business));
    expect(res.status).toBe(201);
    const booking = CreatedBooking.parse(await res.json());
    const rows = await tdb.db.query<{ policy: string; version: string; sha256: string }>(
      'SELECT policy, version, sha256 FROM consents WHERE booking_id = $1 ORDER BY policy',
      [booking.id],
    );
    const expected = consentsFor(t.business)
      .map(({ policy, version, sha256 }) => ({ policy, version, sha256 }))
      .sort((a, b) => a.policy.localeCompare(b.policy));
    expect(rows).toEqual(expected);
    expect(rows).toHaveLength(3);
  });

  it('lets the server’s own origin (the booking frame) book, without CORS headers; a foreign one is refused', async () => {
    const own = await postBooking(t, bookingRequest(t.business, { start: '2026-03-04T11:00:00+01:00' }), {
      origin: 'http://localhost',
    });
    expect(own.status).toBe(201);
    expect(own.headers.get('access-control-allow-origin')).toBeNull();
    const foreign = await postBooking(t, bookingRequest(t.business, { start: '2026-03-04T12:00:00+01:00' }), {
      origin: OTHER_ORIGIN,
    });
    await expectProblem(foreign, 'origin_not_allowed', 403);
  });

  const consentOrigins = async (res: Response) => {
    const { id } = CreatedBooking.parse(await res.json());
    return (
      await tdb.db.query<{ origin: string | null }>('SELECT origin FROM consents WHERE booking_id = $1', [id])
    ).map((r) => r.origin);
  };

  it('records the site the frame is embedded in as the consents’ origin, only one the business allows', async () => {
    const framed = await postBooking(
      t,
      bookingRequest(t.business, { start: '2026-03-04T13:00:00+01:00', embeddedIn: ORIGIN }),
      { origin: 'http://localhost' },
    );
    expect(framed.status).toBe(201);
    expect(await consentOrigins(framed)).toEqual([ORIGIN, ORIGIN, ORIGIN]);
    const elsewhere = await postBooking(
      t,
      bookingRequest(t.business, { start: '2026-03-04T13:30:00+01:00', embeddedIn: OTHER_ORIGIN }),
      { origin: 'http://localhost' },
    );
    await expectProblem(elsewhere, 'origin_not_allowed', 403);
    // A site calling the API itself cannot claim to be another one: its own origin is recorded.
    const claimed = await postBooking(
      t,
      bookingRequest(t.business, { start: '2026-03-04T16:00:00+01:00', embeddedIn: 'http://localhost:5174' }),
    );
    expect(claimed.status).toBe(201);
    expect(await consentOrigins(claimed)).toEqual([ORIGIN, ORIGIN, ORIGIN]);
  });
});

/**
 * Staff choice in the configuration: `chooseStaff` and each staff member's `photoUrl` reach the
 * public business and service views (which the widget parses with the contract), a photo that is
 * not https: is refused by the contract's URL rule when the file is checked, and availability
 * filtered by the chosen staff member leaves out that person's booked times only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Availability, BusinessConfig, ServiceList, routes } from '../../src/api/contract.js';
import { bookingRequest, makeApp, openTestDb, postBooking, testConfig, type TestDb } from './helpers.js';

const choosing = () =>
  testConfig((raw) => {
    const b = raw.businesses[0]!;
    b.chooseStaff = true;
    (b.staff as Record<string, unknown>[])[0]!.photoUrl = 'https://photos.example/ana.jpg';
  });

describe('staff choice', () => {
  let tdb: TestDb;
  beforeAll(async () => {
    tdb = await openTestDb('pglite');
  });
  afterAll(async () => {
    await tdb?.drop();
  });

  it('publishes chooseStaff and the photos; off and absent by default', async () => {
    const t = makeApp(tdb.db, { config: choosing() });
    const config = BusinessConfig.parse(await (await t.request(routes.business('test-salon'))).json());
    expect(config.chooseStaff).toBe(true);
    const list = ServiceList.parse(await (await t.request(routes.services('test-salon'))).json());
    expect(list.services[0]!.staff).toEqual([
      { id: 'ana', name: 'Ana Ruiz', photoUrl: 'https://photos.example/ana.jpg' },
      { id: 'ben', name: 'Ben Ortiz' },
    ]);
    const plain = makeApp(tdb.db);
    expect(await (await plain.request(routes.business('test-salon'))).json()).not.toHaveProperty(
      'chooseStaff',
    );
  });

  it('refuses a photo that is not an https: URL', () => {
    for (const url of [
      'http://photos.example/a.jpg',
      'javascript:alert(1)',
      'https://u:p@photos.example/a.jpg',
    ])
      expect(() =>
        testConfig((raw) => {
          (raw.businesses[0]!.staff as Record<string, unknown>[])[0]!.photoUrl = url;
        }),
      ).toThrow(/staff\[0\]\.photoUrl.*An https: URL/);
  });

  it("availability for one chosen staff member leaves out that person's booked times only", async () => {
    const t = makeApp(tdb.db, { config: choosing() });
    expect((await postBooking(t, bookingRequest(t.business, { staff: 'ana' }))).status).toBe(201);
    const starts = async (staff?: string) =>
      Availability.parse(
        await (
          await t.request(
            `${routes.availability('test-salon')}?service=cut&from=2026-03-04&to=2026-03-04${staff ? `&staff=${staff}` : ''}`,
          )
        ).json(),
      ).slots.map((s) => Date.parse(s.start));
    const at = Date.parse('2026-03-04T10:00:00+01:00');
    expect(await starts('ana')).not.toContain(at);
    expect(await starts('ben')).toContain(at);
    expect(await starts()).toContain(at);
  });
});

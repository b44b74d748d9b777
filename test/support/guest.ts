/**
 * What the browser tests against the real test server (test/support/cita-server-plugin.mjs) do
 * as a customer outside the element under test: book as a guest straight on the API, and read a
 * sign-up code from the server's outbox (served on the test page's origin at /__cita-outbox).
 */
import { expect, waitUntil } from '@open-wc/testing';
import type { Availability, BusinessConfig, CreatedBooking } from '../../src/api/contract.js';

const API = 'http://127.0.0.1:5199';

/** A guest booking of `corte` at a random free time `fromDay`..`toDay` days ahead, with every policy consented. */
export async function bookAsGuest(
  slug: string,
  customer: { name: string; email: string; phone: string },
  fromDay = 20,
  toDay = 40,
): Promise<CreatedBooking> {
  const direct = (path: string, init?: RequestInit) =>
    fetch(`${API}/v1/businesses/${slug}${path}`, { cache: 'no-store', ...init });
  const config = (await (await direct('')).json()) as BusinessConfig;
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const { slots } = (await (
    await direct(`/availability?service=corte&from=${day(fromDay)}&to=${day(toDay)}`)
  ).json()) as Availability;
  const slot = slots[Math.floor(Math.random() * slots.length)]!;
  const res = await direct('/bookings', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
    body: JSON.stringify({
      service: 'corte',
      start: slot.start,
      staff: slot.staff[0],
      customer,
      consents: (['terms', 'privacy', 'cancellation'] as const).map((policy) => ({
        policy,
        version: config.policies[policy]!.version,
        sha256: config.policies[policy]!.sha256,
      })),
    }),
  });
  expect(res.status, await res.clone().text()).to.equal(201);
  return res.json();
}

/** The six-digit code of the latest email to `email` in the test server's outbox, once it is there. */
export async function outboxCode(email: string, timeout = 20_000): Promise<string> {
  let code = '';
  await waitUntil(
    async () => {
      const log = await (await fetch('/__cita-outbox', { cache: 'no-store' })).text();
      const mail = log
        .split(/^=== /m)
        .filter((e) => e.includes(`To: ${email}\n`))
        .pop();
      code = /^ {4}([0-9]{6})$/m.exec(mail ?? '')?.[1] ?? '';
      return code !== '';
    },
    'the sign-up code',
    { timeout },
  );
  return code;
}

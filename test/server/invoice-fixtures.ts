/** Shared set-up for the invoice specs: a business that invoices, staff and customer sessions, bookings. */
import { randomUUID } from 'node:crypto';
import type { Business } from '../../server/config.js';
import type { Queryable } from '../../server/db/index.js';
import { insertAccount } from '../../server/db/stores/accounts.js';
import { markSessionNoticeAck } from '../../server/db/stores/sessions.js';
import { createSession } from '../../server/domain/sessions.js';
import { rawConfig } from './helpers.js';

export const ISSUER_NIF = 'B12345674';

/** `rawConfig()` with invoicing on for test-salon (hair salon: 3,000 EUR simplified ceiling unless `sector`). */
export function invoicingRaw(invoicing: Record<string, unknown> = {}) {
  const raw = rawConfig() as { businesses: Record<string, unknown>[] };
  raw.businesses[0]!.invoicing = {
    legalName: 'Peluquería de Prueba S.L.',
    nif: ISSUER_NIF,
    address: 'Calle Mayor 1, 28013 Madrid',
    ...invoicing,
  };
  return raw;
}

const FAKE_HASH = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA';

/** A signed-in account (no argon2: the password is never used): its id and session token. */
export async function account(
  q: Queryable,
  business: Business,
  kind: 'customer' | 'staff',
  email: string,
  now: Date,
): Promise<{ id: string; token: string }> {
  const id = randomUUID();
  await insertAccount(q, {
    id,
    business: business.slug,
    kind,
    role: kind === 'staff' ? 'owner' : null,
    email,
    name: null,
    locale: 'es-ES',
    email_verified_at: now,
    password_hash: FAKE_HASH,
    password_changed_at: now,
    created_at: now,
  });
  const s = await createSession(q, business, { id }, now);
  // A HIPAA business's console answers staff once the sign-in notice is acknowledged.
  if (kind === 'staff' && business.security.hipaa) await markSessionNoticeAck(q, s.row.token_hash, now);
  return { id, token: s.token };
}

let slot = 0;

/** A confirmed booking of `service` for `email`, each one hour after the last (no overlap). */
export async function booking(
  q: Queryable,
  business: Business,
  email: string,
  o: { name?: string; service?: string; locale?: string } = {},
): Promise<string> {
  const id = randomUUID();
  const start = new Date(Date.parse('2026-03-04T09:00:00Z') + slot++ * 3_600_000);
  const end = new Date(start.getTime() + 30 * 60_000);
  const service = business.serviceById.get(o.service ?? 'cut')!;
  await q.query(
    `INSERT INTO bookings (id, reference, business, service, service_name, staff, staff_name, starts_at, ends_at,
       blocked, customer_name, customer_email, locale, time_zone, manage_token_hash, created_at)
     VALUES ($1, $2, $3, $4, $5, 'ana', 'Ana Ruiz', $6, $7, tstzrange($6, $7), $8, $9, $10, $11, $12, $6)`,
    [
      id,
      `R${randomUUID().slice(0, 8)}`,
      business.slug,
      service.id,
      service.name,
      start,
      end,
      o.name ?? 'Lucía Gómez',
      email,
      o.locale ?? 'es-ES',
      business.timeZone,
      'a'.repeat(64),
    ],
  );
  return id;
}

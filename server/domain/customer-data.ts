/**
 * The customer's rights (GDPR arts. 15, 17, 20; issue 11): everything Cita holds about a
 * customer of a business, as machine-readable JSON, and erasure. A customer is their account
 * (when they have one) and every booking made with their email at that business (with an
 * account, only once the email is verified, as for "my bookings").
 *
 * Erasure, in one transaction: upcoming bookings are cancelled (the slots free up), every
 * booking is anonymised like clean history does (server/domain/history.ts: customer fields gone,
 * manage link dead, queued emails and their erasure keys destroyed; the consent proof and the
 * counts stay), the account and its sessions and one-time secrets are deleted. Kept, and said
 * before confirming: the audit log's events (an account id, addresses, no name or email), the
 * anonymised booking records, and invoices within their legal retention (the invoices feature).
 */
import type { Keyring } from '../crypto/keyring.js';
import { openNotes } from './customer-notes.js';
import type { Business } from '../config.js';
import type { Database, Queryable } from '../db/index.js';
import { reclaimErasedKeys } from '../db/erasure.js';
import { audit, type RequestMeta } from './audit.js';
import { anonymiseBookings } from './history.js';

/** What erasure keeps, by law or for the business's records (shown before confirming). */
export const KEPT_AFTER_ERASURE = ['invoices', 'anonymised_bookings', 'audit_log'] as const;

interface Subject {
  email: string;
  accountId: string | null;
  /** With an account: its email is verified (else its bookings are not its own yet). */
  verified: boolean;
}

async function subject(q: Queryable, business: string, email: string): Promise<Subject> {
  const [a] = await q.query<{ id: string; email_verified_at: Date | null }>(
    `SELECT id, email_verified_at FROM accounts WHERE business = $1 AND kind = 'customer' AND email = $2`,
    [business, email],
  );
  return { email, accountId: a?.id ?? null, verified: a ? a.email_verified_at !== null : true };
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

/** Everything held about the customer with this email at this business. */
export async function customerData(
  db: Database,
  business: Business,
  email: string,
  now: Date,
  meta: RequestMeta,
  /** Who asked: the customer's own account, or an owner's. */
  by: string | null,
  /** Opens the sealed notes (server/domain/customer-notes.ts). */
  keyring?: Keyring,
) {
  const s = await subject(db, business.slug, email);
  const [account] = s.accountId
    ? await db.query<Record<string, unknown>>(
        `SELECT id, email, name, locale, email_verified_at, password_changed_at, created_at FROM accounts WHERE id = $1`,
        [s.accountId],
      )
    : [];
  const bookings = s.verified
    ? await db.query<Record<string, unknown> & { id: string; consents: string | null }>(
        `SELECT b.id, b.reference, b.status, b.service, b.service_name, b.staff, b.staff_name, b.starts_at, b.ends_at,
                b.time_zone, b.locale, b.created_at, b.cancelled_at, b.cancel_reason, b.customer_name,
                b.customer_email, b.customer_phone, b.customer_notes, b.customer_time_zone,
                (SELECT json_agg(json_build_object('policy', c.policy, 'version', c.version, 'sha256', c.sha256,
                        'acceptedAt', c.accepted_at, 'origin', c.origin) ORDER BY c.policy)::text
                   FROM consents c WHERE c.booking_id = b.id) AS consents
           FROM bookings b WHERE b.business = $1 AND b.customer_email = $2 ORDER BY b.starts_at`,
        [business.slug, email],
      )
    : [];
  const sessions = s.accountId
    ? await db.query<{ created_at: Date; last_activity_at: Date; expires_at: Date; revoked_at: Date | null }>(
        `SELECT created_at, last_activity_at, expires_at, revoked_at FROM sessions WHERE account_id = $1 ORDER BY created_at`,
        [s.accountId],
      )
    : [];
  const events = s.accountId
    ? await db.query<{ at: Date; event: string; client_address: string | null; user_agent: string | null }>(
        `SELECT at, event, client_address, user_agent FROM audit_log WHERE business = $1 AND account_id = $2 ORDER BY id`,
        [business.slug, s.accountId],
      )
    : [];
  await audit(db, now, business.slug, 'customer_data_exported', by, meta, {
    subject: s.accountId ?? 'guest',
    bookings: bookings.length,
  });
  return {
    format: 'cita-customer-data',
    version: 1,
    business: { slug: business.slug, name: business.name },
    exportedAt: now.toISOString(),
    account: account
      ? {
          id: account.id,
          email: account.email,
          name: account.name ?? null,
          locale: account.locale ?? null,
          emailVerifiedAt: iso(account.email_verified_at as Date | null),
          passwordChangedAt: iso(account.password_changed_at as Date | null),
          createdAt: iso(account.created_at as Date),
        }
      : null,
    bookings: bookings.map((b) => ({
      id: b.id,
      reference: b.reference,
      status: b.status,
      service: { id: b.service, name: b.service_name },
      staff: { id: b.staff, name: b.staff_name },
      start: iso(b.starts_at as Date),
      end: iso(b.ends_at as Date),
      timeZone: b.time_zone,
      locale: b.locale,
      createdAt: iso(b.created_at as Date),
      cancelledAt: iso(b.cancelled_at as Date | null),
      cancelReason: b.cancel_reason ?? null,
      customer: {
        name: b.customer_name,
        email: b.customer_email,
        phone: b.customer_phone ?? null,
        notes: openNotes(keyring, { id: b.id, customer_notes: (b.customer_notes as string | null) ?? null }),
        timeZone: b.customer_time_zone ?? null,
      },
      consents: b.consents ? (JSON.parse(b.consents) as unknown[]) : [],
    })),
    sessions: sessions.map((x) => ({
      createdAt: iso(x.created_at),
      lastActivityAt: iso(x.last_activity_at),
      expiresAt: iso(x.expires_at),
      revokedAt: iso(x.revoked_at),
    })),
    securityEvents: events.map((e) => ({
      at: iso(e.at),
      event: e.event,
      clientAddress: e.client_address,
      userAgent: e.user_agent,
    })),
  };
}

export interface ErasurePreview {
  bookings: number;
  upcoming: number;
  account: boolean;
  kept: (typeof KEPT_AFTER_ERASURE)[number][];
}

export async function erasurePreview(
  db: Queryable,
  business: Business,
  email: string,
  now: Date,
): Promise<ErasurePreview> {
  const s = await subject(db, business.slug, email);
  const [r] = s.verified
    ? await db.query<{ n: number; upcoming: number }>(
        `SELECT count(*)::int AS n, count(*) FILTER (WHERE status = 'confirmed' AND starts_at > $3)::int AS upcoming
           FROM bookings WHERE business = $1 AND customer_email = $2`,
        [business.slug, email, now],
      )
    : [{ n: 0, upcoming: 0 }];
  return {
    bookings: Number(r?.n ?? 0),
    upcoming: Number(r?.upcoming ?? 0),
    account: s.accountId !== null,
    kept: [...KEPT_AFTER_ERASURE],
  };
}

/** Erase the customer with this email at this business (see the module's comment). */
export async function eraseCustomer(
  db: Database,
  business: Business,
  email: string,
  now: Date,
  meta: RequestMeta,
  by: string | null,
): Promise<ErasurePreview> {
  const preview = await db.transaction(async (tx) => {
    const s = await subject(tx, business.slug, email);
    const p = await erasurePreview(tx, business, email, now);
    const ids = s.verified
      ? (
          await tx.query<{ id: string }>(
            'SELECT id FROM bookings WHERE business = $1 AND customer_email = $2 FOR UPDATE',
            [business.slug, email],
          )
        ).map((r) => r.id)
      : [];
    await tx.query(
      `UPDATE bookings SET status = 'cancelled', cancelled_at = $2
        WHERE id = ANY ($1::uuid[]) AND status = 'confirmed' AND starts_at > $2`,
      [ids, now],
    );
    await anonymiseBookings(tx, ids, now);
    if (s.accountId) await tx.query('DELETE FROM accounts WHERE id = $1', [s.accountId]);
    await audit(tx, now, business.slug, 'customer_erased', by ?? s.accountId, meta, {
      subject: s.accountId ?? 'guest',
      bookings: ids.length,
      cancelled: p.upcoming,
    });
    return p;
  });
  await db.query('VACUUM bookings');
  await db.query('VACUUM accounts');
  await reclaimErasedKeys(db);
  return preview;
}

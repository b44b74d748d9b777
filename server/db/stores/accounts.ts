/**
 * The accounts aggregate: customers and staff of one business each, their password hashes, and
 * their single-use secrets (sign-up codes, reset and setup tokens). Emails arrive lowercased by
 * the contract. Unique-key clashes come back as typed results, never as PostgreSQL codes.
 */
import { pgErrorCode, PG_UNIQUE_VIOLATION, type Queryable } from '../index.js';

export type AccountKind = 'customer' | 'staff';
export type StaffRole = 'owner' | 'staff';

export interface AccountRow {
  id: string;
  business: string;
  kind: AccountKind;
  role: StaffRole | null;
  email: string;
  name: string | null;
  locale: string | null;
  email_verified_at: Date | null;
  password_hash: string | null;
  password_changed_at: Date | null;
  created_at: Date;
  disabled_at: Date | null;
}

const ACCOUNT_COLUMNS = `id, business, kind, role, email, name, locale, email_verified_at, password_hash,
  password_changed_at, created_at, disabled_at`;

export type NewAccount = Omit<AccountRow, 'disabled_at'>;

/** Insert an account; `{ ok: false }` when the business already has one of this kind for the email. */
export async function insertAccount(
  q: Queryable,
  a: NewAccount,
): Promise<{ ok: true } | { ok: false; reason: 'email_taken' }> {
  try {
    await q.query(
      `INSERT INTO accounts (id, business, kind, role, email, name, locale, email_verified_at, password_hash,
         password_changed_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        a.id,
        a.business,
        a.kind,
        a.role,
        a.email,
        a.name,
        a.locale,
        a.email_verified_at,
        a.password_hash,
        a.password_changed_at,
        a.created_at,
      ],
    );
    return { ok: true };
  } catch (err) {
    if (pgErrorCode(err) === PG_UNIQUE_VIOLATION) return { ok: false, reason: 'email_taken' };
    throw err;
  }
}

export async function findAccountByEmail(
  q: Queryable,
  business: string,
  kind: AccountKind,
  email: string,
): Promise<AccountRow | undefined> {
  const rows = await q.query<AccountRow>(
    `SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE business = $1 AND kind = $2 AND email = $3`,
    [business, kind, email],
  );
  return rows[0];
}

export async function findAccountById(q: Queryable, id: string): Promise<AccountRow | undefined> {
  const rows = await q.query<AccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE id = $1`, [id]);
  return rows[0];
}

export async function setPasswordHash(
  q: Queryable,
  id: string,
  hash: string,
  at: Date | null,
): Promise<void> {
  // `at` null: the same password rehashed with new parameters (not a change).
  await q.query(
    `UPDATE accounts SET password_hash = $2, password_changed_at = COALESCE($3, password_changed_at) WHERE id = $1`,
    [id, hash, at],
  );
}

export async function markEmailVerified(q: Queryable, id: string, at: Date): Promise<void> {
  await q.query('UPDATE accounts SET email_verified_at = COALESCE(email_verified_at, $2) WHERE id = $1', [
    id,
    at,
  ]);
}

/* ------------------------------------------------------------------------------------------------
 * Single-use secrets
 * --------------------------------------------------------------------------------------------- */

export type SecretPurpose = 'signup' | 'reset' | 'setup';

export interface SecretRow {
  id: string;
  business: string;
  purpose: SecretPurpose;
  email: string;
  account_id: string | null;
  secret_hash: string;
  created_at: Date;
  expires_at: Date;
  attempts: number;
  used_at: Date | null;
}

const SECRET_COLUMNS =
  'id, business, purpose, email, account_id, secret_hash, created_at, expires_at, attempts, used_at';

/** Store a new secret; earlier unused ones for the same purpose and email stop working. */
export async function replaceSecret(q: Queryable, s: Omit<SecretRow, 'attempts' | 'used_at'>): Promise<void> {
  await q.query(
    `UPDATE one_time_secrets SET used_at = $4
      WHERE business = $1 AND purpose = $2 AND email = $3 AND used_at IS NULL`,
    [s.business, s.purpose, s.email, s.created_at],
  );
  await q.query(
    `INSERT INTO one_time_secrets (id, business, purpose, email, account_id, secret_hash, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [s.id, s.business, s.purpose, s.email, s.account_id, s.secret_hash, s.created_at, s.expires_at],
  );
}

/** How many secrets of this purpose were issued for this email since `since` (a cap on emails sent). */
export async function countRecentSecrets(
  q: Queryable,
  business: string,
  purpose: SecretPurpose,
  email: string,
  since: Date,
): Promise<number> {
  const rows = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM one_time_secrets
      WHERE business = $1 AND purpose = $2 AND email = $3 AND created_at > $4`,
    [business, purpose, email, since],
  );
  return Number(rows[0]?.n ?? 0);
}

/**
 * Count one attempt at the live sign-up code of this email and return it, or undefined when
 * there is none (expired, used, or out of attempts). Counted before checking, atomically, so
 * parallel guesses cannot exceed `maxAttempts`.
 */
export async function claimSignupAttempt(
  q: Queryable,
  business: string,
  email: string,
  now: Date,
  maxAttempts: number,
): Promise<SecretRow | undefined> {
  const rows = await q.query<SecretRow>(
    `UPDATE one_time_secrets SET attempts = attempts + 1
      WHERE id = (SELECT id FROM one_time_secrets
                   WHERE business = $1 AND purpose = 'signup' AND email = $2 AND used_at IS NULL
                   ORDER BY created_at DESC LIMIT 1)
        AND used_at IS NULL AND expires_at > $3 AND attempts < $4
      RETURNING ${SECRET_COLUMNS}`,
    [business, email, now, maxAttempts],
  );
  return rows[0];
}

/** Mark a secret used; false when it was already used (a concurrent request won). */
export async function useSecret(q: Queryable, id: string, now: Date): Promise<boolean> {
  const rows = await q.query(
    'UPDATE one_time_secrets SET used_at = $2 WHERE id = $1 AND used_at IS NULL RETURNING id',
    [id, now],
  );
  return rows.length === 1;
}

/**
 * Use a token-type secret (reset, setup) by its hash: marks it used and returns it when it was
 * live (unused, not expired) and of `purpose`; undefined otherwise. One statement, so a token
 * works once even when presented twice at the same moment.
 */
export async function consumeToken(
  q: Queryable,
  purpose: 'reset' | 'setup',
  secretHash: string,
  now: Date,
): Promise<SecretRow | undefined> {
  const rows = await q.query<SecretRow>(
    `UPDATE one_time_secrets SET used_at = $3
      WHERE secret_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3
      RETURNING ${SECRET_COLUMNS}`,
    [secretHash, purpose, now],
  );
  return rows[0];
}

/** Every unused reset token of an account stops working (after a password change). */
export async function revokeResetTokens(q: Queryable, accountId: string, now: Date): Promise<void> {
  await q.query(
    `UPDATE one_time_secrets SET used_at = $2 WHERE account_id = $1 AND purpose = 'reset' AND used_at IS NULL`,
    [accountId, now],
  );
}

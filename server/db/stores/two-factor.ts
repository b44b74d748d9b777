/**
 * The two-factor aggregate: authenticator-app secrets (sealed, with the last accepted time step),
 * recovery codes (hashed), passkeys (public key, counter, transports, name) and WebAuthn
 * challenges (single use). Every "spend" (a time step, a recovery code, a challenge, a counter)
 * is one conditional UPDATE ... RETURNING, so two requests racing cannot both succeed, on PGlite
 * and PostgreSQL, with one instance or many.
 */
import { SEALED_TOTP_SECRET } from '../../crypto/sealed-columns.js';
import { pgErrorCode, PG_UNIQUE_VIOLATION, type Queryable } from '../index.js';

export { SEALED_TOTP_SECRET };

/* ------------------------------------------------------------------------------------------------
 * TOTP
 * --------------------------------------------------------------------------------------------- */

export interface TotpRow {
  id: string;
  account_id: string;
  /** Sealed with the keyring, context `sealContext(SEALED_TOTP_SECRET, id)`. */
  secret: string;
  last_step: number | null;
  created_at: Date;
  confirmed_at: Date | null;
  last_used_at: Date | null;
  removed_at: Date | null;
}

const TOTP_COLUMNS = 'id, account_id, secret, last_step, created_at, confirmed_at, last_used_at, removed_at';
const totp = (r: TotpRow): TotpRow => ({
  ...r,
  last_step: r.last_step === null ? null : Number(r.last_step),
});

export async function insertTotp(
  q: Queryable,
  row: Pick<TotpRow, 'id' | 'account_id' | 'secret' | 'created_at'>,
) {
  await q.query('INSERT INTO two_factor_totp (id, account_id, secret, created_at) VALUES ($1, $2, $3, $4)', [
    row.id,
    row.account_id,
    row.secret,
    row.created_at,
  ]);
}

/** A row of this account by id (pending, active or removed). */
export async function findTotp(q: Queryable, accountId: string, id: string): Promise<TotpRow | undefined> {
  const rows = await q.query<TotpRow>(
    `SELECT ${TOTP_COLUMNS} FROM two_factor_totp WHERE id = $1 AND account_id = $2`,
    [id, accountId],
  );
  return rows[0] && totp(rows[0]);
}

/** The account's confirmed, not removed authenticator app. */
export async function activeTotp(q: Queryable, accountId: string): Promise<TotpRow | undefined> {
  const rows = await q.query<TotpRow>(
    `SELECT ${TOTP_COLUMNS} FROM two_factor_totp
      WHERE account_id = $1 AND confirmed_at IS NOT NULL AND removed_at IS NULL`,
    [accountId],
  );
  return rows[0] && totp(rows[0]);
}

/** True when the account had an authenticator app and removed it (and has none now). */
export async function hadTotp(q: Queryable, accountId: string): Promise<boolean> {
  const rows = await q.query(
    'SELECT 1 FROM two_factor_totp WHERE account_id = $1 AND confirmed_at IS NOT NULL LIMIT 1',
    [accountId],
  );
  return rows.length > 0;
}

/**
 * Confirm a pending enrolment with the step of its first valid code: only a pending row of this
 * account, created after `notBefore`. Fails (false) when it is spent, removed or too old, or when
 * the account got another app meanwhile (the unique index).
 */
export async function confirmTotp(
  q: Queryable,
  accountId: string,
  id: string,
  step: number,
  now: Date,
  notBefore: Date,
): Promise<boolean> {
  try {
    const rows = await q.query(
      `UPDATE two_factor_totp SET confirmed_at = $3, last_step = $4, last_used_at = $3
        WHERE id = $1 AND account_id = $2 AND confirmed_at IS NULL AND removed_at IS NULL AND created_at > $5
        RETURNING 1`,
      [id, accountId, now, step, notBefore],
    );
    return rows.length === 1;
  } catch (err) {
    if (pgErrorCode(err) === PG_UNIQUE_VIOLATION) return false;
    throw err;
  }
}

/** Spend time step `step`: only when it is later than the last one accepted (no replay). */
export async function acceptTotpStep(q: Queryable, id: string, step: number, now: Date): Promise<boolean> {
  const rows = await q.query(
    `UPDATE two_factor_totp SET last_step = $2, last_used_at = $3
      WHERE id = $1 AND removed_at IS NULL AND confirmed_at IS NOT NULL AND (last_step IS NULL OR last_step < $2)
      RETURNING 1`,
    [id, step, now],
  );
  return rows.length === 1;
}

/** Remove the account's authenticator app (and any pending enrolment). True when one was active. */
export async function removeTotp(q: Queryable, accountId: string, now: Date): Promise<boolean> {
  const rows = await q.query<{ confirmed: boolean }>(
    `UPDATE two_factor_totp SET removed_at = $2
      WHERE account_id = $1 AND removed_at IS NULL RETURNING confirmed_at IS NOT NULL AS confirmed`,
    [accountId, now],
  );
  return rows.some((r) => r.confirmed);
}

/* ------------------------------------------------------------------------------------------------
 * Recovery codes
 * --------------------------------------------------------------------------------------------- */

/** Void the live set (if any) and store a new one. */
export async function replaceRecoveryCodes(
  q: Queryable,
  accountId: string,
  set: { setId: string; salt: string; hashes: readonly { id: string; hash: string }[] },
  now: Date,
): Promise<void> {
  await voidRecoveryCodes(q, accountId, now);
  for (const { id, hash } of set.hashes)
    await q.query(
      `INSERT INTO two_factor_recovery_codes (id, account_id, set_id, salt, code_hash, created_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [id, accountId, set.setId, set.salt, hash, now],
    );
}

export async function voidRecoveryCodes(q: Queryable, accountId: string, now: Date): Promise<void> {
  await q.query(
    `UPDATE two_factor_recovery_codes SET voided_at = $2
      WHERE account_id = $1 AND used_at IS NULL AND voided_at IS NULL`,
    [accountId, now],
  );
}

/** The live set's salt, how many codes are left and when it was made; undefined when none is left. */
export async function recoverySet(
  q: Queryable,
  accountId: string,
): Promise<{ setId: string; salt: string; remaining: number; createdAt: Date } | undefined> {
  const rows = await q.query<{ set_id: string; salt: string; n: number; created_at: Date }>(
    `SELECT set_id, salt, count(*)::int AS n, min(created_at) AS created_at FROM two_factor_recovery_codes
      WHERE account_id = $1 AND used_at IS NULL AND voided_at IS NULL GROUP BY set_id, salt`,
    [accountId],
  );
  const r = rows[0];
  return r && { setId: r.set_id, salt: r.salt, remaining: Number(r.n), createdAt: new Date(r.created_at) };
}

/** Spend the live code with this hash; true exactly once per code, whatever the concurrency. */
export async function useRecoveryCode(
  q: Queryable,
  accountId: string,
  hash: string,
  now: Date,
): Promise<boolean> {
  const rows = await q.query(
    `UPDATE two_factor_recovery_codes SET used_at = $3
      WHERE account_id = $1 AND code_hash = $2 AND used_at IS NULL AND voided_at IS NULL RETURNING 1`,
    [accountId, hash, now],
  );
  return rows.length > 0;
}

/* ------------------------------------------------------------------------------------------------
 * Passkeys
 * --------------------------------------------------------------------------------------------- */

export interface PasskeyRow {
  id: string;
  account_id: string;
  credential_id: string;
  public_key: string;
  counter: number;
  transports: string;
  name: string;
  synced: boolean;
  created_at: Date;
  last_used_at: Date | null;
  removed_at: Date | null;
}

const PASSKEY_COLUMNS =
  'id, account_id, credential_id, public_key, counter, transports, name, synced, created_at, last_used_at, removed_at';
const passkey = (r: PasskeyRow): PasskeyRow => ({ ...r, counter: Number(r.counter) });

/** Store a passkey; false when its credential id is registered already (to anyone). */
export async function insertPasskey(q: Queryable, row: Omit<PasskeyRow, 'last_used_at' | 'removed_at'>) {
  try {
    await q.query(
      `INSERT INTO two_factor_passkeys (id, account_id, credential_id, public_key, counter, transports, name, synced, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        row.id,
        row.account_id,
        row.credential_id,
        row.public_key,
        row.counter,
        row.transports,
        row.name,
        row.synced,
        row.created_at,
      ],
    );
    return true;
  } catch (err) {
    if (pgErrorCode(err) === PG_UNIQUE_VIOLATION) return false;
    throw err;
  }
}

/** The account's passkeys, oldest first (removed ones too with `withRemoved`). */
export async function listPasskeys(q: Queryable, accountId: string): Promise<PasskeyRow[]> {
  const rows = await q.query<PasskeyRow>(
    `SELECT ${PASSKEY_COLUMNS} FROM two_factor_passkeys WHERE account_id = $1 AND removed_at IS NULL
      ORDER BY created_at, id`,
    [accountId],
  );
  return rows.map(passkey);
}

/** Any passkey (removed or not) by its credential id. */
export async function findPasskeyByCredential(
  q: Queryable,
  credentialId: string,
): Promise<PasskeyRow | undefined> {
  const rows = await q.query<PasskeyRow>(
    `SELECT ${PASSKEY_COLUMNS} FROM two_factor_passkeys WHERE credential_id = $1`,
    [credentialId],
  );
  return rows[0] && passkey(rows[0]);
}

/** Record a use: the counter moves forward only from the value the check was made against. */
export async function usePasskey(
  q: Queryable,
  id: string,
  expectedCounter: number,
  newCounter: number,
  now: Date,
): Promise<boolean> {
  const rows = await q.query(
    `UPDATE two_factor_passkeys SET counter = $3, last_used_at = $4
      WHERE id = $1 AND counter = $2 AND removed_at IS NULL RETURNING 1`,
    [id, expectedCounter, newCounter, now],
  );
  return rows.length === 1;
}

export async function renamePasskey(
  q: Queryable,
  accountId: string,
  id: string,
  name: string,
): Promise<boolean> {
  const rows = await q.query(
    'UPDATE two_factor_passkeys SET name = $3 WHERE id = $1 AND account_id = $2 AND removed_at IS NULL RETURNING 1',
    [id, accountId, name],
  );
  return rows.length === 1;
}

export async function removePasskey(
  q: Queryable,
  accountId: string,
  id: string,
  now: Date,
): Promise<boolean> {
  const rows = await q.query(
    'UPDATE two_factor_passkeys SET removed_at = $3 WHERE id = $1 AND account_id = $2 AND removed_at IS NULL RETURNING 1',
    [id, accountId, now],
  );
  return rows.length === 1;
}

/** Remove every factor of an account (`cita-server users reset-two-factor`). Returns how many were live. */
export async function removeAllFactors(q: Queryable, accountId: string, now: Date): Promise<number> {
  const a = await q.query(
    'UPDATE two_factor_totp SET removed_at = $2 WHERE account_id = $1 AND removed_at IS NULL AND confirmed_at IS NOT NULL RETURNING 1',
    [accountId, now],
  );
  await q.query('UPDATE two_factor_totp SET removed_at = $2 WHERE account_id = $1 AND removed_at IS NULL', [
    accountId,
    now,
  ]);
  const b = await q.query(
    'UPDATE two_factor_passkeys SET removed_at = $2 WHERE account_id = $1 AND removed_at IS NULL RETURNING 1',
    [accountId, now],
  );
  await voidRecoveryCodes(q, accountId, now);
  return a.length + b.length;
}

/* ------------------------------------------------------------------------------------------------
 * WebAuthn challenges
 * --------------------------------------------------------------------------------------------- */

export type ChallengePurpose = 'register' | 'authenticate' | 'sign_in';

export interface ChallengeRow {
  challenge: string;
  business: string;
  kind: 'customer' | 'staff';
  purpose: ChallengePurpose;
  account_id: string | null;
  session_hash: string | null;
  created_at: Date;
  expires_at: Date;
}

export async function insertChallenge(q: Queryable, row: ChallengeRow): Promise<void> {
  await q.query(
    `INSERT INTO webauthn_challenges (challenge, business, kind, purpose, account_id, session_hash, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      row.challenge,
      row.business,
      row.kind,
      row.purpose,
      row.account_id,
      row.session_hash,
      row.created_at,
      row.expires_at,
    ],
  );
}

/**
 * Spend a challenge: only a live one issued for exactly this business, kind, purpose, account
 * and session (null: none). Once spent (even by an answer that then fails) it never works again.
 */
export async function consumeChallenge(
  q: Queryable,
  c: Pick<ChallengeRow, 'challenge' | 'business' | 'kind' | 'purpose' | 'account_id' | 'session_hash'>,
  now: Date,
): Promise<boolean> {
  const rows = await q.query(
    `UPDATE webauthn_challenges SET used_at = $7
      WHERE challenge = $1 AND business = $2 AND kind = $3 AND purpose = $4
        AND account_id IS NOT DISTINCT FROM $5::uuid AND session_hash IS NOT DISTINCT FROM $6::text
        AND used_at IS NULL AND expires_at > $7
      RETURNING 1`,
    [c.challenge, c.business, c.kind, c.purpose, c.account_id, c.session_hash, now],
  );
  return rows.length === 1;
}

/** Housekeeping: challenges and never-confirmed enrolments older than `before`. */
export async function purgeTwoFactor(q: Queryable, before: Date): Promise<void> {
  await q.query('DELETE FROM webauthn_challenges WHERE expires_at < $1', [before]);
  await q.query('DELETE FROM two_factor_totp WHERE confirmed_at IS NULL AND created_at < $1', [before]);
}

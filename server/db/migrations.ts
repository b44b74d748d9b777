/**
 * Versioned migrations, applied at start in order. Each runs once, recorded in
 * `schema_migrations`. The whole run holds a transaction-scoped advisory lock, so two instances
 * starting at once on one PostgreSQL apply each migration exactly once (the second waits, then
 * finds nothing left to do). DDL is transactional in PostgreSQL: a failing migration leaves no trace.
 */
import type { Database } from './index.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Arbitrary constant shared by every Cita instance: the key of the migration advisory lock. */
const MIGRATION_LOCK_KEY = 7_341_200_301;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'booking core',
    sql: /* sql */ `
      CREATE EXTENSION IF NOT EXISTS btree_gist;

      CREATE TABLE bookings (
        id                 uuid PRIMARY KEY,
        reference          text NOT NULL UNIQUE,
        business           text NOT NULL,
        service            text NOT NULL,
        service_name       text NOT NULL,
        staff              text NOT NULL,
        staff_name         text NOT NULL,
        starts_at          timestamptz NOT NULL,
        ends_at            timestamptz NOT NULL,
        -- the time the staff member is taken: the booking plus the service's buffers
        blocked            tstzrange NOT NULL,
        status             text NOT NULL DEFAULT 'confirmed' CHECK (status IN ('confirmed', 'cancelled')),
        customer_name      text NOT NULL,
        customer_email     text NOT NULL,
        customer_phone     text,
        customer_notes     text,
        locale             text NOT NULL,
        customer_time_zone text,
        time_zone          text NOT NULL,
        -- the cutoff consented to at booking time
        cancellable_until  timestamptz,
        manage_token_hash  text NOT NULL CHECK (manage_token_hash ~ '^[a-f0-9]{64}$'),
        created_at         timestamptz NOT NULL,
        cancelled_at       timestamptz,
        cancel_reason      text,
        CHECK (starts_at < ends_at),
        CHECK (lower(blocked) <= starts_at AND upper(blocked) >= ends_at),
        CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL)),
        -- No double booking, ever: live bookings of one staff member never overlap.
        CONSTRAINT bookings_no_overlap
          EXCLUDE USING gist (business WITH =, staff WITH =, blocked WITH &&) WHERE (status = 'confirmed')
      );

      CREATE TABLE consents (
        booking_id  uuid NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
        policy      text NOT NULL CHECK (policy IN ('terms', 'privacy', 'cancellation')),
        version     text NOT NULL,
        sha256      text NOT NULL CHECK (sha256 ~ '^[a-f0-9]{64}$'),
        accepted_at timestamptz NOT NULL,
        -- the embedding page's origin (the Origin header); null for server-to-server requests
        origin      text,
        PRIMARY KEY (booking_id, policy)
      );

      CREATE TABLE idempotency_keys (
        business     text NOT NULL,
        -- SHA-256 of the client's key: the key itself is what unseals the stored manage token
        key_hash     text NOT NULL,
        request_hash text NOT NULL,
        booking_id   uuid NOT NULL REFERENCES bookings (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
        sealed_token text NOT NULL,
        created_at   timestamptz NOT NULL,
        PRIMARY KEY (business, key_hash)
      );
      CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

      CREATE TABLE rate_limits (
        bucket       text NOT NULL,
        window_start timestamptz NOT NULL,
        hits         integer NOT NULL,
        PRIMARY KEY (bucket, window_start)
      );
      CREATE INDEX rate_limits_window ON rate_limits (window_start);

      CREATE TABLE outbox (
        id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        booking_id      uuid REFERENCES bookings (id) ON DELETE SET NULL,
        kind            text NOT NULL,
        recipient       text NOT NULL,
        subject         text NOT NULL,
        body            text NOT NULL,
        created_at      timestamptz NOT NULL,
        attempts        integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        locked_until    timestamptz,
        sent_at         timestamptz,
        last_error      text
      );
      CREATE INDEX outbox_pending ON outbox (next_attempt_at) WHERE sent_at IS NULL;
    `,
  },
  {
    version: 2,
    name: 'accounts',
    sql: /* sql */ `
      -- Customers and staff, each scoped to one business. Emails are stored lowercased (the
      -- contract's Email schema); one account per business, kind and email.
      CREATE TABLE accounts (
        id                  uuid PRIMARY KEY,
        business            text NOT NULL,
        kind                text NOT NULL CHECK (kind IN ('customer', 'staff')),
        role                text CHECK (role IN ('owner', 'staff')),
        email               text NOT NULL CHECK (email = lower(email)),
        name                text,
        locale              text,
        email_verified_at   timestamptz,
        -- argon2id PHC string; null for staff until they follow their setup link
        password_hash       text CHECK (password_hash LIKE '$argon2id$%'),
        password_changed_at timestamptz,
        created_at          timestamptz NOT NULL,
        disabled_at         timestamptz,
        CHECK ((kind = 'staff') = (role IS NOT NULL)),
        CHECK (kind = 'staff' OR password_hash IS NOT NULL),
        UNIQUE (business, kind, email)
      );

      -- Opaque sessions: only the SHA-256 of the token is stored.
      CREATE TABLE sessions (
        token_hash       text PRIMARY KEY CHECK (token_hash ~ '^[a-f0-9]{64}$'),
        account_id       uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        created_at       timestamptz NOT NULL,
        -- the last request carrying a user action (Cita-User-Activity: 1), not background reads
        last_activity_at timestamptz NOT NULL,
        idle_seconds     integer NOT NULL CHECK (idle_seconds > 0),
        expires_at       timestamptz NOT NULL,
        revoked_at       timestamptz
      );
      CREATE INDEX sessions_account ON sessions (account_id) WHERE revoked_at IS NULL;
      CREATE INDEX sessions_expires ON sessions (expires_at);

      -- Single-use secrets: sign-up codes (6 digits, argon2id-hashed, few attempts), password
      -- reset and staff setup tokens (256 bits, SHA-256).
      CREATE TABLE one_time_secrets (
        id          uuid PRIMARY KEY,
        business    text NOT NULL,
        purpose     text NOT NULL CHECK (purpose IN ('signup', 'reset', 'setup')),
        email       text NOT NULL,
        account_id  uuid REFERENCES accounts (id) ON DELETE CASCADE,
        secret_hash text NOT NULL,
        created_at  timestamptz NOT NULL,
        expires_at  timestamptz NOT NULL,
        attempts    integer NOT NULL DEFAULT 0,
        used_at     timestamptz,
        CHECK ((purpose = 'signup') = (account_id IS NULL))
      );
      CREATE INDEX one_time_secrets_lookup ON one_time_secrets (business, purpose, email) WHERE used_at IS NULL;
      CREATE UNIQUE INDEX one_time_secrets_hash ON one_time_secrets (secret_hash) WHERE purpose <> 'signup';

      -- Failed sign-in counters, shared by every instance: one row per key ("id:" + hashed
      -- business, kind and email, whether or not the account exists; "ip:" + hashed client address).
      CREATE TABLE login_throttle (
        key          text PRIMARY KEY,
        failures     integer NOT NULL DEFAULT 0,
        window_start timestamptz NOT NULL,
        locked_until timestamptz,
        locks        integer NOT NULL DEFAULT 0,
        updated_at   timestamptz NOT NULL
      );
      CREATE INDEX login_throttle_updated ON login_throttle (updated_at);

      -- Append-only record of every authentication event. No personal data beyond the account
      -- id, the client address and the user agent.
      CREATE TABLE audit_log (
        id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at             timestamptz NOT NULL,
        business       text NOT NULL,
        event          text NOT NULL,
        account_id     uuid,
        client_address text,
        user_agent     text
      );
      CREATE INDEX audit_log_account ON audit_log (account_id, at);

      CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$;
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

      CREATE INDEX bookings_customer_email ON bookings (business, customer_email);
    `,
  },
  {
    version: 3,
    name: 'rate limits counted in batches, unlogged',
    sql: /* sql */ `
      DROP TABLE rate_limits;

      -- No WAL: counters are not worth a durable write; a crash forgets at most a window.
      CREATE UNLOGGED TABLE rate_limit_hits (
        bucket       text NOT NULL,
        window_start timestamptz NOT NULL,
        hits         integer NOT NULL,
        PRIMARY KEY (bucket, window_start)
      );
      CREATE INDEX rate_limit_hits_window ON rate_limit_hits (window_start);
    `,
  },
  {
    version: 4,
    name: 'erasure keys; outbox bodies sealed under them',
    sql: /* sql */ `
      -- Keys of values that will be erased (server/db/erasure.ts). UNLOGGED: never in the WAL.
      CREATE UNLOGGED TABLE erasure_keys (
        id         uuid PRIMARY KEY,
        key        text NOT NULL,
        created_at timestamptz NOT NULL
      );

      -- The body is sealed under this key (null: a body queued before this migration, in clear).
      ALTER TABLE outbox ADD COLUMN key_id uuid;
    `,
  },
  {
    version: 5,
    name: 'two-factor: authenticator apps, recovery codes, passkeys, session stages',
    sql: /* sql */ `
      -- Where a session stands: full, or a password that still waits for a second factor, or an
      -- account that must enrol one first. mfa_at: when a second factor was last passed in it.
      ALTER TABLE sessions ADD COLUMN stage text NOT NULL DEFAULT 'full'
        CHECK (stage IN ('full', 'second_factor', 'enrolment'));
      ALTER TABLE sessions ADD COLUMN mfa_at timestamptz;

      -- Authenticator apps (TOTP, RFC 6238). The secret is sealed with the keyring
      -- (server/crypto/sealed-columns.ts); last_step is the last time step accepted, so no code
      -- is accepted twice. A row with confirmed_at null is an enrolment waiting for its first code.
      CREATE TABLE two_factor_totp (
        id           uuid PRIMARY KEY,
        account_id   uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        secret       text NOT NULL CHECK (secret LIKE 'k1.%'),
        last_step    bigint,
        created_at   timestamptz NOT NULL,
        confirmed_at timestamptz,
        last_used_at timestamptz,
        removed_at   timestamptz
      );
      CREATE UNIQUE INDEX two_factor_totp_active ON two_factor_totp (account_id)
        WHERE confirmed_at IS NOT NULL AND removed_at IS NULL;

      -- Recovery codes: argon2id of the code under the set's salt, so one hash finds the code and
      -- one UPDATE spends it. Regenerating voids the whole earlier set.
      CREATE TABLE two_factor_recovery_codes (
        id         uuid PRIMARY KEY,
        account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        set_id     uuid NOT NULL,
        salt       text NOT NULL,
        code_hash  text NOT NULL CHECK (code_hash ~ '^[a-f0-9]{64}$'),
        created_at timestamptz NOT NULL,
        used_at    timestamptz,
        voided_at  timestamptz
      );
      CREATE INDEX two_factor_recovery_live ON two_factor_recovery_codes (account_id)
        WHERE used_at IS NULL AND voided_at IS NULL;

      -- Passkeys (WebAuthn credentials): the public key, the signature counter (a counter that
      -- goes backwards means a cloned authenticator), transports, the person's name for it.
      -- Removed ones stay as tombstones, so using one again is told apart from an unknown one.
      CREATE TABLE two_factor_passkeys (
        id            uuid PRIMARY KEY,
        account_id    uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        credential_id text NOT NULL UNIQUE,
        public_key    text NOT NULL,
        counter       bigint NOT NULL CHECK (counter >= 0),
        transports    text NOT NULL DEFAULT '',
        name          text NOT NULL,
        synced        boolean NOT NULL,
        created_at    timestamptz NOT NULL,
        last_used_at  timestamptz,
        removed_at    timestamptz
      );
      CREATE INDEX two_factor_passkeys_account ON two_factor_passkeys (account_id) WHERE removed_at IS NULL;

      -- WebAuthn challenges: single use, short-lived, bound to what asked for them (a business,
      -- and an account and session when there is one).
      CREATE TABLE webauthn_challenges (
        challenge    text PRIMARY KEY,
        business     text NOT NULL,
        kind         text NOT NULL CHECK (kind IN ('customer', 'staff')),
        purpose      text NOT NULL CHECK (purpose IN ('register', 'authenticate', 'sign_in')),
        account_id   uuid REFERENCES accounts (id) ON DELETE CASCADE,
        session_hash text,
        created_at   timestamptz NOT NULL,
        expires_at   timestamptz NOT NULL,
        used_at      timestamptz
      );
      CREATE INDEX webauthn_challenges_expires ON webauthn_challenges (expires_at);
    `,
  },
  {
    version: 6,
    name: 'invoices: series counters, sealed invoices and PDFs, VeriFactu billing records, submission queue',
    sql: /* sql */ `
      -- One row per business and series ("F2026-"): the next number. The issuing transaction locks
      -- it (SELECT ... FOR UPDATE), so numbers are gapless and strictly increasing across instances.
      CREATE TABLE invoice_series (
        business       text NOT NULL,
        series         text NOT NULL,
        next_number    integer NOT NULL CHECK (next_number >= 1),
        last_issued_at timestamptz,
        PRIMARY KEY (business, series)
      );

      -- Issued invoices: never updated or deleted (triggers below). The customer's name, tax id,
      -- address and the lines are in content, sealed with the keyring (server/crypto/keyring.ts).
      CREATE TABLE invoices (
        id             uuid PRIMARY KEY,
        business       text NOT NULL,
        series         text NOT NULL,
        number         integer NOT NULL CHECK (number >= 1),
        invoice_number text NOT NULL,
        type           text NOT NULL CHECK (type IN ('F1', 'F2', 'F3', 'R1', 'R2', 'R3', 'R4', 'R5')),
        issued_at      timestamptz NOT NULL,
        issue_date     date NOT NULL,
        booking_id     uuid,
        -- SHA-256 of the business and the customer's email: finds a customer's invoices
        customer_key   text CHECK (customer_key ~ '^[a-f0-9]{64}$'),
        corrects_id    uuid REFERENCES invoices (id),
        replaces_id    uuid REFERENCES invoices (id),
        currency       text NOT NULL,
        tax_minor      bigint NOT NULL,
        total_minor    bigint NOT NULL,
        locale         text NOT NULL,
        mode           text NOT NULL CHECK (mode IN ('verifactu', 'off')),
        content        text NOT NULL,
        retain_until   date NOT NULL,
        UNIQUE (business, series, number),
        UNIQUE (business, invoice_number)
      );
      CREATE INDEX invoices_customer ON invoices (business, customer_key, issued_at);
      CREATE INDEX invoices_corrects ON invoices (corrects_id) WHERE corrects_id IS NOT NULL;
      CREATE INDEX invoices_replaces ON invoices (replaces_id) WHERE replaces_id IS NOT NULL;
      -- One original invoice per booking (corrections and F3 replacements refer to it).
      CREATE UNIQUE INDEX invoices_one_per_booking ON invoices (business, booking_id) WHERE type IN ('F1', 'F2');

      -- A cancellation ("anulación", RRSIF art. 11): only for an invoice that should never have existed.
      CREATE TABLE invoice_cancellations (
        invoice_id   uuid PRIMARY KEY REFERENCES invoices (id),
        cancelled_at timestamptz NOT NULL,
        reason       text NOT NULL
      );

      -- The head of each taxpayer's chain of billing records (one chain per business and NIF,
      -- across every series), locked by the issuing transaction.
      CREATE TABLE billing_chains (
        business          text NOT NULL,
        issuer_nif        text NOT NULL,
        last_seq          integer NOT NULL DEFAULT 0,
        last_hash         text NOT NULL DEFAULT '',
        last_generated_at timestamptz,
        PRIMARY KEY (business, issuer_nif)
      );

      -- VeriFactu billing records: registration (alta) and cancellation (anulacion), the hashed
      -- fields exactly as hashed, chained by previous_hash.
      CREATE TABLE billing_records (
        business      text NOT NULL,
        issuer_nif    text NOT NULL,
        seq           integer NOT NULL CHECK (seq >= 1),
        kind          text NOT NULL CHECK (kind IN ('alta', 'anulacion')),
        invoice_id    uuid NOT NULL REFERENCES invoices (id),
        fields        jsonb NOT NULL,
        previous_hash text NOT NULL,
        hash          text NOT NULL CHECK (hash ~ '^[0-9A-F]{64}$'),
        created_at    timestamptz NOT NULL,
        PRIMARY KEY (business, issuer_nif, seq)
      );
      CREATE UNIQUE INDEX billing_records_one_alta ON billing_records (invoice_id) WHERE kind = 'alta';
      CREATE UNIQUE INDEX billing_records_one_anulacion ON billing_records (invoice_id) WHERE kind = 'anulacion';

      -- The outbox of records to send to the tax agency (server/domain/invoicing/submission.ts).
      CREATE TABLE invoice_submissions (
        business        text NOT NULL,
        issuer_nif      text NOT NULL,
        seq             integer NOT NULL,
        status          text NOT NULL CHECK (status IN ('pending', 'accepted', 'rejected')),
        attempts        integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        locked_until    timestamptz,
        error_code      text,
        last_error      text,
        accepted_at     timestamptz,
        PRIMARY KEY (business, issuer_nif, seq),
        FOREIGN KEY (business, issuer_nif, seq) REFERENCES billing_records (business, issuer_nif, seq)
      );
      CREATE INDEX invoice_submissions_due ON invoice_submissions (next_attempt_at) WHERE status = 'pending';

      -- Rendered PDFs, sealed; one per invoice and variant (the QR and legend change once the
      -- agency accepted the record).
      CREATE TABLE invoice_pdfs (
        id         uuid PRIMARY KEY,
        invoice_id uuid NOT NULL REFERENCES invoices (id),
        variant    text NOT NULL CHECK (variant ~ '^(plain|submitted)-(es|en)$'),
        pdf        text NOT NULL,
        created_at timestamptz NOT NULL,
        UNIQUE (invoice_id, variant)
      );

      -- Short-lived single-use PDF download links (only the SHA-256 of the token is stored).
      CREATE TABLE invoice_download_links (
        token_hash text PRIMARY KEY CHECK (token_hash ~ '^[a-f0-9]{64}$'),
        invoice_id uuid NOT NULL REFERENCES invoices (id),
        account_id uuid NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at    timestamptz
      );
      CREATE INDEX invoice_download_links_expires ON invoice_download_links (expires_at);

      -- What an audit event is about (an invoice id), when it is about something.
      ALTER TABLE audit_log ADD COLUMN subject text;

      CREATE FUNCTION invoicing_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$;
      -- Invoices: the one change allowed is \`keys rotate\` re-wrapping the sealed content's data key
      -- (every other column and the sealed payload itself unchanged).
      CREATE FUNCTION invoices_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF TG_OP = 'UPDATE' AND (to_jsonb(NEW) - 'content') = (to_jsonb(OLD) - 'content') AND split_part(NEW.content, '.', 4) = split_part(OLD.content, '.', 4) THEN RETURN NEW; END IF; RAISE EXCEPTION 'invoices is append-only'; END $$;
      CREATE TRIGGER invoices_no_update BEFORE UPDATE OR DELETE ON invoices FOR EACH ROW EXECUTE FUNCTION invoices_append_only();
      CREATE TRIGGER invoices_no_truncate BEFORE TRUNCATE ON invoices FOR EACH STATEMENT EXECUTE FUNCTION invoicing_append_only();
      CREATE TRIGGER billing_records_no_update BEFORE UPDATE OR DELETE ON billing_records FOR EACH ROW EXECUTE FUNCTION invoicing_append_only();
      CREATE TRIGGER billing_records_no_truncate BEFORE TRUNCATE ON billing_records FOR EACH STATEMENT EXECUTE FUNCTION invoicing_append_only();
      CREATE TRIGGER invoice_cancellations_no_update BEFORE UPDATE OR DELETE ON invoice_cancellations FOR EACH ROW EXECUTE FUNCTION invoicing_append_only();
    `,
  },
  {
    version: 7,
    name: 'rescheduling, superseded consents, calendar invitations',
    sql: /* sql */ `
      -- Moving a booking updates its row in place (the exclusion constraint judges the new range
      -- against every other live booking in the same statement): the iCalendar SEQUENCE of its
      -- invitations, bumped by each move, and when it last moved.
      ALTER TABLE bookings ADD COLUMN sequence integer NOT NULL DEFAULT 0 CHECK (sequence >= 0);
      ALTER TABLE bookings ADD COLUMN rescheduled_at timestamptz;

      -- A consent renewed on a move (its policy changed since the booking): the proof it replaced.
      CREATE TABLE superseded_consents (
        booking_id    uuid NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
        policy        text NOT NULL,
        version       text NOT NULL,
        sha256        text NOT NULL,
        accepted_at   timestamptz NOT NULL,
        origin        text,
        superseded_at timestamptz NOT NULL
      );
      CREATE INDEX superseded_consents_booking ON superseded_consents (booking_id);

      -- An iCalendar invitation sent with the email (text/calendar), sealed under the body's key.
      ALTER TABLE outbox ADD COLUMN calendar text;
    `,
  },
  {
    version: 8,
    name: 'bookings held until confirmed by email',
    sql: /* sql */ `
      -- A held booking takes its slot until hold_until; confirming it from the email makes it
      -- 'confirmed'. A lapsed hold is marked 'expired' by the next booking of that staff member
      -- (inside its transaction, before its insert) or by maintenance: until then the queries
      -- ignore it, and the constraint stops counting it as soon as it is marked.
      ALTER TABLE bookings ADD COLUMN hold_until timestamptz;
      ALTER TABLE bookings DROP CONSTRAINT bookings_status_check;
      ALTER TABLE bookings ADD CONSTRAINT bookings_status_check
        CHECK (status IN ('held', 'confirmed', 'cancelled', 'expired'));
      ALTER TABLE bookings ADD CONSTRAINT bookings_hold_until
        CHECK ((status IN ('held', 'expired')) = (hold_until IS NOT NULL));
      ALTER TABLE bookings DROP CONSTRAINT bookings_no_overlap;
      ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap
        EXCLUDE USING gist (business WITH =, staff WITH =, blocked WITH &&) WHERE (status IN ('confirmed', 'held'));
      CREATE INDEX bookings_held ON bookings (hold_until) WHERE status = 'held';
    `,
  },
  {
    version: 9,
    name: 'data lifecycle: audit hash chain, clean history',
    sql: /* sql */ `
      -- Hash chain of the audit log (server/db/stores/audit.ts): per business, seq 1, 2, 3...
      ALTER TABLE audit_log ADD COLUMN seq bigint;
      ALTER TABLE audit_log ADD COLUMN prev_hash text CHECK (prev_hash ~ '^[a-f0-9]{64}$');
      ALTER TABLE audit_log ADD COLUMN hash text CHECK (hash ~ '^[a-f0-9]{64}$');
      -- Non-personal facts of an event (JSON: counts, a booking or run id).
      ALTER TABLE audit_log ADD COLUMN detail text;
      CREATE UNIQUE INDEX audit_log_chain ON audit_log (business, seq);
      CREATE INDEX audit_log_business_at ON audit_log (business, at);
      -- Each business's last link; writers lock it (SELECT ... FOR UPDATE) to append.
      CREATE TABLE audit_chain_heads (
        business text PRIMARY KEY,
        seq      bigint NOT NULL,
        hash     text NOT NULL CHECK (hash ~ '^[a-f0-9]{64}$')
      );
      -- Clean history (server/domain/history.ts): a run exports, then anonymises, the bookings
      -- it marked. At most one unfinished run per business.
      CREATE TABLE history_runs (
        id            uuid PRIMARY KEY,
        business      text NOT NULL,
        cutoff        timestamptz NOT NULL,
        created_at    timestamptz NOT NULL,
        status        text NOT NULL CHECK (status IN ('exporting', 'purging', 'done')),
        format        text NOT NULL CHECK (format IN ('json', 'csv')),
        file          text NOT NULL,
        encrypted     boolean NOT NULL,
        rows          integer NOT NULL,
        export_sha256 text CHECK (export_sha256 ~ '^[a-f0-9]{64}$'),
        purged        integer NOT NULL DEFAULT 0,
        finished_at   timestamptz,
        CHECK ((status = 'exporting') = (export_sha256 IS NULL))
      );
      CREATE UNIQUE INDEX history_runs_one_open ON history_runs (business) WHERE status <> 'done';
      -- The run a booking is exported by; when its customer fields were removed.
      ALTER TABLE bookings ADD COLUMN history_run uuid REFERENCES history_runs (id);
      ALTER TABLE bookings ADD COLUMN anonymised_at timestamptz;
      CREATE INDEX bookings_history_run ON bookings (history_run) WHERE history_run IS NOT NULL;
    `,
  },
  {
    version: 10,
    name: 'console: attendance, bookings by start',
    sql: /* sql */ `
      -- Attendance, marked by staff from the start on (server/domain/console-bookings.ts). A column
      -- beside the status, not a status of its own: an attended booking still holds its time for
      -- the exclusion constraint and every query of live bookings, and only a confirmed one is marked.
      ALTER TABLE bookings ADD COLUMN attendance text CHECK (attendance IN ('attended', 'no_show'));
      ALTER TABLE bookings ADD COLUMN attendance_at timestamptz;
      ALTER TABLE bookings ADD COLUMN attendance_by uuid;
      ALTER TABLE bookings ADD CONSTRAINT bookings_attendance
        CHECK ((attendance IS NULL) = (attendance_at IS NULL) AND (attendance IS NULL OR status = 'confirmed'));
      -- The console's day, week and month views.
      CREATE INDEX bookings_business_start ON bookings (business, starts_at);
    `,
  },
  {
    version: 12,
    name: 'sessions: password re-checked, HIPAA sign-in notice acknowledged',
    sql: /* sql */ `
      -- reauth_at: when the password was last asked again in this session (before erasing the
      -- account: a recent sign-in or a re-check, server/domain/session-checks.ts).
      ALTER TABLE sessions ADD COLUMN reauth_at timestamptz;
      -- notice_ack_at: a staff member acknowledged the HIPAA sign-in notice in this session.
      ALTER TABLE sessions ADD COLUMN notice_ack_at timestamptz;
    `,
  },
  {
    version: 13,
    name: 'HIPAA: break-glass grants',
    sql: /* sql */ `
      -- Break-glass (server/domain/break-glass.ts): an owner lets a staff member read customers'
      -- personal data in HIPAA mode until expires_at, for a stated reason; revocable. The grant
      -- goes with the grantee's account; who granted or revoked stays an id (kept after they go).
      CREATE TABLE break_glass_grants (
        id          uuid PRIMARY KEY,
        business    text NOT NULL,
        account_id  uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        granted_by  uuid NOT NULL,
        reason      text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
        created_at  timestamptz NOT NULL,
        expires_at  timestamptz NOT NULL CHECK (expires_at > created_at),
        revoked_at  timestamptz,
        revoked_by  uuid,
        CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
      );
      CREATE INDEX break_glass_grants_active ON break_glass_grants (business, account_id, expires_at)
        WHERE revoked_at IS NULL;
    `,
  },
  {
    version: 14,
    name: 'bookings: customer email index as the queries compare it',
    sql: /* sql */ `
      -- Every query by customer email compares lower(customer_email) (the live-bookings-per-email
      -- limit on each booking, the console's customer lookup), which the plain column index
      -- cannot serve: each booking scanned all of the business's bookings (issue 15).
      DROP INDEX bookings_customer_email;
      CREATE INDEX bookings_customer_email ON bookings (business, lower(customer_email));
    `,
  },
];

/** Apply every migration not yet applied. Returns the versions applied by this call. */
export async function migrate(
  db: Database,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number[]> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version    integer PRIMARY KEY,
         name       text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const done = new Set(
      (await tx.query<{ version: number }>('SELECT version FROM schema_migrations')).map((r) =>
        Number(r.version),
      ),
    );
    const applied: number[] = [];
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(m.version)) continue;
      for (const statement of splitStatements(m.sql)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.version);
    }
    return applied;
  });
}

/**
 * Split a migration into statements on `;` at the end of a line. Our migrations contain no
 * function bodies or string literals with `;` + newline, which keeps this simple and lets each
 * statement run through the same `query` path on PGlite and PostgreSQL inside the transaction.
 */
function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*$/m)
    .map((s) =>
      s
        .split('\n')
        .filter((line) => !/^\s*--/.test(line))
        .join('\n')
        .trim(),
    )
    .filter(Boolean);
}

/**
 * Creating, reading and cancelling bookings.
 *
 * Create: the request is already parsed with the contract. In order: service and staff, the
 * customer fields the business asks for, the consents (every policy the business has, at its
 * current version and text hash), the slot (availability engine on the server's clock), then one
 * transaction: idempotency record, booking, consent proof, confirmation email in the outbox. The
 * exclusion constraint settles races: the store reports a conflicting insert as `slot_taken`,
 * answered as `slot_unavailable`.
 * Whenever that path refuses, or the transaction finds the Idempotency-Key recorded, the key's
 * record decides: an idempotent replay (same key and body within 24 h: the same booking and token
 * again; same key, other body: `idempotency_key_reused`), else the refusal.
 *
 * Confirmation by email (the business's `confirmation.byEmail`): the booking is stored `held` until
 * `hold_until`, the email carries the manage link instead of the response (which has no token),
 * and `confirmBooking` with that token makes it `confirmed` and queues the usual confirmation.
 *
 * After each commit: the owner notification (server/domain/owner-notifications.ts), which never
 * fails the request. The customer's notes are stored sealed (server/domain/customer-notes.ts).
 * A lapsed hold is `hold_expired` to every route and blocks no slot (server/db/stores/bookings.ts).
 *
 * Read and cancel: by booking id and manage token (constant-time hash compare; any mismatch is
 * `not_found`). A cancellation after the cutoff consented to at booking time is refused with
 * `cancellation_closed` and the last moment it was possible.
 */
import { randomUUID } from 'node:crypto';
import {
  POLICY_KINDS,
  type Booking,
  type CreateBookingRequest,
  type CreatedBooking,
  type FieldError,
  type PolicyKind,
} from '../../src/api/contract.js';
import { staffSchedule, type Business } from '../config.js';
import type { Keyring } from '../crypto/keyring.js';
import type { Database, Queryable } from '../db/index.js';
import {
  cancelBooking as cancelBookingRow,
  confirmHeldBooking,
  findBooking,
  recordNewBooking,
  type BookingRow,
} from '../db/stores/bookings.js';
import { findIdempotencyKey, type IdempotencyRow } from '../db/stores/idempotency.js';
import { enqueueEmail } from '../db/stores/outbox.js';
import { checkSlot } from './availability.js';
import { eligibleStaff, engineService, findService, loadBusy } from './catalog.js';
import { manageLink, renderCancellation, renderConfirmation, renderHoldRequest } from './email.js';
import { assertNotesCanBeSealed, sealNotes } from './customer-notes.js';
import { notifyOwners } from './owner-notifications.js';
import { ProblemError } from './problems.js';
import {
  canonicalJson,
  hashToken,
  newManageToken,
  newReference,
  sealToken,
  sha256Hex,
  tokenMatches,
  unsealToken,
} from './tokens.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** How long an Idempotency-Key is remembered (and its booking's token kept sealed). */
export const IDEMPOTENCY_TTL_MS = DAY;

export interface BookingDeps {
  db: Database;
  now: () => Date;
  /** Called after a transaction that queued an email (wakes the outbox worker). */
  onEmailQueued?: () => void;
  /** Seals the customer's notes (server/domain/customer-notes.ts); absent: notes are refused. */
  keyring?: Keyring;
  /** The console's address (`<publicUrl>/admin`), linked from owner notifications. */
  consoleUrl?: string;
}

/** `2026-03-29T01:00:00Z`, milliseconds only when non-zero. */
export function isoInstant(d: Date | number): string {
  const ms = typeof d === 'number' ? d : d.getTime();
  const s = new Date(ms).toISOString();
  return ms % 1000 === 0 ? `${s.slice(0, 19)}Z` : s;
}

export function bookingView(b: BookingRow): Booking {
  if (b.status === 'expired') throw new ProblemError('hold_expired');
  return {
    id: b.id,
    reference: b.reference,
    status: b.status,
    business: b.business,
    service: { id: b.service, name: b.service_name },
    staff: { id: b.staff, name: b.staff_name },
    start: isoInstant(b.starts_at),
    end: isoInstant(b.ends_at),
    timeZone: b.time_zone,
    customer: { name: b.customer_name },
    ...(b.cancellable_until ? { cancellableUntil: isoInstant(b.cancellable_until) } : {}),
    ...(b.cancelled_at ? { cancelledAt: isoInstant(b.cancelled_at) } : {}),
    ...(b.status === 'held' && b.hold_until ? { holdUntil: isoInstant(b.hold_until) } : {}),
    createdAt: isoInstant(b.created_at),
  };
}

export interface CreateBookingInput {
  business: Business;
  request: CreateBookingRequest;
  idempotencyKey: string;
  /** The Origin header of the request (the embedding site), stored with the consents. */
  origin: string | null;
}

export interface CreateBookingResult {
  booking: CreatedBooking;
  /** True when this is a replay of an earlier request with the same Idempotency-Key. */
  replayed: boolean;
}

export async function createBooking(
  deps: BookingDeps,
  input: CreateBookingInput,
): Promise<CreateBookingResult> {
  const { db } = deps;
  const { business, request: req, idempotencyKey } = input;
  const now = deps.now();
  const notBefore = new Date(now.getTime() - IDEMPOTENCY_TTL_MS);
  const keyHash = sha256Hex(idempotencyKey);
  const requestHash = sha256Hex(canonicalJson(req));

  // The key's record is read only when this request cannot be booked as new: every refusal
  // (ProblemError) and a key taken in the transaction. A retry of a request already booked always
  // ends there (its slot is its own booking's, or its key is recorded), and is answered from the
  // record; the first request of a key, the common case, saves the read (issue 15).
  try {
    return await bookNew(deps, input, now, notBefore, keyHash, requestHash);
  } catch (err) {
    if (!(err instanceof ProblemError) && !(err instanceof KeyTaken)) throw err;
    const earlier = await findIdempotencyKey(db, business.slug, keyHash, notBefore);
    if (earlier) return replay(db, business, earlier, requestHash, idempotencyKey);
    if (err instanceof KeyTaken)
      throw new Error('Idempotency-Key taken by a record that is no longer there', { cause: err });
    throw err;
  }
}

/** The transaction found this request's Idempotency-Key recorded by another request. */
class KeyTaken extends Error {}

async function bookNew(
  deps: BookingDeps,
  input: CreateBookingInput,
  now: Date,
  notBefore: Date,
  keyHash: string,
  requestHash: string,
): Promise<CreateBookingResult> {
  const { db } = deps;
  const { business, request: req, idempotencyKey } = input;
  const service = findService(business, req.service);
  const staff = eligibleStaff(business, service, req.staff);
  const customer = customerFields(business, req.customer);
  const consents = checkConsents(business, req.consents);
  assertNotesCanBeSealed(deps.keyring, customer.customer_notes);

  const startMs = Date.parse(req.start);
  const endMs = startMs + service.durationMinutes * 60_000;
  const cutoff = business.policies.cancellation?.cutoffHours;
  const hold = business.confirmation.byEmail
    ? new Date(now.getTime() + business.confirmation.holdMinutes * 60_000)
    : null;

  for (let attempt = 0; ; attempt++) {
    // Read even with the staff member chosen, though the exclusion constraint would refuse an
    // overlap anyway: a request for a slot already taken is then answered from this read, without
    // queueing for the staff member's lock (skipping it timed out the 200-request race test).
    const busy = await loadBusy(db, business, staff, new Date(startMs - DAY), new Date(startMs + DAY), now);
    const slot = checkSlot({
      timeZone: business.timeZone,
      now,
      rules: business.rules,
      service: engineService(service),
      staff: staff.map(staffSchedule),
      closedDates: business.closedDates,
      busy,
      start: startMs,
      ...(req.staff !== undefined ? { staffId: req.staff } : {}),
    });
    // Refused: unless the key's record says this request was booked already (see createBooking).
    if (!slot.ok) throw new ProblemError(slot.reason);

    const id = randomUUID();
    const token = newManageToken();
    const row: BookingRow = {
      id,
      reference: newReference(),
      business: business.slug,
      service: service.id,
      service_name: service.name,
      staff: slot.staffId,
      staff_name: business.staffById.get(slot.staffId)!.name,
      starts_at: new Date(startMs),
      ends_at: new Date(endMs),
      status: hold ? 'held' : 'confirmed',
      ...customer,
      customer_notes: sealNotes(deps.keyring, id, customer.customer_notes),
      locale: req.locale ?? business.locale,
      customer_time_zone: req.timeZone ?? null,
      time_zone: business.timeZone,
      cancellable_until: cutoff !== undefined ? new Date(startMs - cutoff * HOUR) : null,
      manage_token_hash: hashToken(token),
      created_at: now,
      cancelled_at: null,
      cancel_reason: null,
      hold_until: hold,
    };
    const blocked = {
      start: startMs - service.bufferBeforeMinutes * 60_000,
      end: endMs + service.bufferAfterMinutes * 60_000,
    };
    const link = manageLink(business, id, token);
    // With confirmation by email the config requires manageUrl, so there is a link to send.
    const email = hold ? renderHoldRequest(business, row, link!) : renderConfirmation(business, row, link);
    const saved = await recordNewBooking(db, {
      idempotency: {
        business: business.slug,
        key_hash: keyHash,
        request_hash: requestHash,
        booking_id: id,
        sealed_token: sealToken(token, idempotencyKey, business.slug, id),
        created_at: now,
      },
      idempotencyNotBefore: notBefore,
      booking: {
        ...row,
        status: hold ? 'held' : 'confirmed',
        blocked_start: new Date(blocked.start),
        blocked_end: new Date(blocked.end),
      },
      consents: consents.map((c) => ({ booking_id: id, ...c, accepted_at: now, origin: input.origin })),
      email: {
        booking_id: id,
        kind: hold ? 'hold' : 'confirmation',
        recipient: row.customer_email,
        ...email,
      },
      limits: { liveBookingsPerEmail: business.limits.liveBookingsPerEmail },
    });
    if (!saved.ok) {
      if (saved.reason === 'slot_taken') {
        // Someone took the slot since we looked. With no staff member chosen, another may be free.
        if (req.staff === undefined && attempt < 2) continue;
        throw new ProblemError('slot_unavailable');
      }
      if (saved.reason === 'idempotency_key_taken') throw new KeyTaken();
      if (saved.reason === 'email_limit')
        throw new ProblemError('too_many_bookings', {
          detail: `At most ${business.limits.liveBookingsPerEmail} upcoming bookings per email address`,
        });
      if (attempt < 5) continue; // reference_taken: draw another reference
      throw new Error('Booking references kept colliding');
    }
    deps.onEmailQueued?.();
    if (!hold) await notifyOwners(deps, business, 'booked', row);
    return { booking: withToken(row, token), replayed: false };
  }
}

async function replay(
  db: Database,
  business: Business,
  earlier: IdempotencyRow,
  requestHash: string,
  idempotencyKey: string,
): Promise<CreateBookingResult> {
  if (earlier.request_hash !== requestHash) throw new ProblemError('idempotency_key_reused');
  const row = await findBooking(db, business.slug, earlier.booking_id);
  const token = unsealToken(earlier.sealed_token, idempotencyKey, business.slug, earlier.booking_id);
  if (!row || token === undefined || !tokenMatches(token, row.manage_token_hash))
    throw new ProblemError('idempotency_key_reused');
  return { booking: withToken(row, token), replayed: true };
}

/** The created booking with its manage token, unless it is held: then only the email has it. */
function withToken(row: BookingRow, token: string): CreatedBooking {
  const view = bookingView(row);
  return row.status === 'held' ? view : { ...view, manageToken: token };
}

/** The customer fields to store: those the business asks for (all required); others are dropped. */
function customerFields(business: Business, c: CreateBookingRequest['customer']) {
  const asked = new Set(business.customerFields);
  const errors: FieldError[] = [];
  if (asked.has('phone') && !c.phone)
    errors.push({ field: 'customer.phone', message: 'Required', code: 'required' });
  if (asked.has('notes') && !c.notes)
    errors.push({ field: 'customer.notes', message: 'Required', code: 'required' });
  if (errors.length) throw new ProblemError('validation_failed', { errors });
  return {
    customer_name: c.name,
    customer_email: c.email,
    customer_phone: asked.has('phone') ? (c.phone ?? null) : null,
    customer_notes: asked.has('notes') ? (c.notes ?? null) : null,
  };
}

/** Every policy the business has must be accepted at its current version and text hash. */
function checkConsents(business: Business, consents: CreateBookingRequest['consents']) {
  const missing: PolicyKind[] = [];
  const outdated: PolicyKind[] = [];
  const accepted: { policy: PolicyKind; version: string; sha256: string }[] = [];
  for (const kind of POLICY_KINDS) {
    const policy = business.publicConfig.policies[kind];
    if (!policy) continue;
    const c = consents.find((x) => x.policy === kind);
    if (!c) missing.push(kind);
    else if (c.version !== policy.version || c.sha256 !== policy.sha256) outdated.push(kind);
    else accepted.push({ policy: kind, version: c.version, sha256: c.sha256 });
  }
  if (missing.length)
    throw new ProblemError('consent_missing', { policies: missing, detail: `Accept: ${missing.join(', ')}` });
  if (outdated.length)
    throw new ProblemError('consent_outdated', {
      policies: outdated,
      detail: `Changed since accepted: ${outdated.join(', ')}`,
    });
  return accepted;
}

async function authenticate(
  db: Database,
  business: Business,
  id: string,
  token: string | undefined,
  now: Date,
) {
  const row = await findBooking(db, business.slug, id);
  if (!tokenMatches(token, row?.manage_token_hash) || !row) throw new ProblemError('not_found');
  if (row.status === 'expired' || (row.status === 'held' && row.hold_until!.getTime() <= now.getTime()))
    throw new ProblemError('hold_expired');
  return row;
}

export async function getBooking(
  deps: BookingDeps,
  business: Business,
  id: string,
  token: string | undefined,
): Promise<Booking> {
  return bookingView(await authenticate(deps.db, business, id, token, deps.now()));
}

/**
 * Confirm a held booking with the manage token from its email: it becomes `confirmed` and the
 * usual confirmation email (with the same manage link) is queued, in one transaction. A second
 * use of the link is `already_confirmed`; a lapsed hold is `hold_expired`.
 */
export async function confirmBooking(
  deps: BookingDeps,
  business: Business,
  id: string,
  token: string,
): Promise<Booking> {
  const now = deps.now();
  const row = await authenticate(deps.db, business, id, token, now);
  if (row.status === 'confirmed') throw new ProblemError('already_confirmed');
  if (row.status === 'cancelled') throw new ProblemError('already_cancelled');
  const confirmed = await deps.db.transaction(async (tx) => {
    const updated = await confirmHeldBooking(tx, business.slug, id, now);
    if (!updated) return undefined;
    await enqueueEmail(
      tx,
      {
        booking_id: id,
        kind: 'confirmation',
        recipient: updated.customer_email,
        ...renderConfirmation(business, updated, manageLink(business, id, token)),
      },
      now,
    );
    return updated;
  });
  if (!confirmed) {
    // Confirmed, cancelled or lapsed between the read and the update: say which.
    await authenticate(deps.db, business, id, token, now).then((r) => {
      if (r.status === 'cancelled') throw new ProblemError('already_cancelled');
    });
    throw new ProblemError('already_confirmed');
  }
  deps.onEmailQueued?.();
  await notifyOwners(deps, business, 'booked', confirmed);
  return bookingView(confirmed);
}

export async function cancelBooking(
  deps: BookingDeps,
  business: Business,
  id: string,
  token: string | undefined,
  reason: string | undefined,
): Promise<Booking> {
  return cancelLiveBooking(
    deps,
    business,
    await authenticate(deps.db, business, id, token, deps.now()),
    reason,
  );
}

/**
 * Cancel a booking whose caller is already known to be entitled to it (its manage token, or the
 * signed-in customer whose verified email it carries): the cutoff consented to at booking time,
 * the cancellation email, `already_cancelled` when it was not live.
 */
export async function cancelLiveBooking(
  deps: BookingDeps,
  business: Business,
  row: BookingRow,
  reason: string | undefined,
): Promise<Booking> {
  if (row.status === 'cancelled') throw new ProblemError('already_cancelled');
  const now = deps.now();
  const until = cancellationCutoff(row);
  if (now.getTime() >= until.getTime())
    throw new ProblemError('cancellation_closed', { cancellableUntil: isoInstant(until) });
  return bookingView(await cancelAndNotify(deps, business, row.id, now, reason));
}

/** The last moment a customer may cancel: the cutoff consented to, or without a policy the start. */
export const cancellationCutoff = (row: Pick<BookingRow, 'cancellable_until' | 'starts_at'>): Date =>
  row.cancellable_until ?? row.starts_at;

/**
 * Cancel a live booking and queue the customer's cancellation email (with its calendar CANCEL),
 * in one transaction with whatever `also` writes (the console's audit row). The caller has
 * checked the cutoff; `already_cancelled` when the booking was no longer live.
 */
export async function cancelAndNotify(
  deps: BookingDeps,
  business: Business,
  id: string,
  now: Date,
  reason: string | undefined,
  also?: (tx: Queryable, cancelled: BookingRow) => Promise<void>,
): Promise<BookingRow> {
  const cancelled = await deps.db.transaction(async (tx) => {
    const updated = await cancelBookingRow(tx, business.slug, id, now, reason ?? null);
    if (!updated) return undefined;
    await also?.(tx, updated);
    await enqueueEmail(
      tx,
      {
        booking_id: id,
        kind: 'cancellation',
        recipient: updated.customer_email,
        ...renderCancellation(business, updated),
      },
      now,
    );
    return updated;
  });
  if (!cancelled) throw new ProblemError('already_cancelled');
  deps.onEmailQueued?.();
  await notifyOwners(deps, business, 'cancelled', cancelled);
  return cancelled;
}

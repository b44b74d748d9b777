/**
 * Staff management in the console (issue 11), owners only: the members and their two-factor
 * methods, invitations (the member is emailed a one-time setup link by `createStaff`, the same
 * function `cita-server users add` uses; the console never sees the link), role changes,
 * removal, and a two-factor reset for a member who lost every method.
 *
 * Two rules hold under a lock on the business's staff rows, so two owners acting at once cannot
 * break them: an owner never removes themself (another owner must: a business is not left by a
 * slip), and the last owner is never removed nor demoted. Every change is an
 * audit row by the owner, whose subject is the member's id.
 */
import type { StaffList, StaffMember } from '../../src/api/console-people-contract.js';
import type { Business } from '../config.js';
import type { Queryable } from '../db/index.js';
import type { AccountRow, StaffRole } from '../db/stores/accounts.js';
import { findAccountById } from '../db/stores/accounts.js';
import { deleteStaff, listStaff, lockStaff, setStaffRole } from '../db/stores/console-people.js';
import { revokeAccountSessions } from '../db/stores/sessions.js';
import { createStaff, type AccountDeps, type LinkBase } from './accounts.js';
import { audit, type RequestMeta } from './audit.js';
import { isoInstant } from './bookings.js';
import { ProblemError } from './problems.js';
import { loadFactors } from './two-factor/common.js';
import { resetTwoFactor } from './two-factor/factors.js';

export async function staffList(deps: AccountDeps, business: Business, me: AccountRow): Promise<StaffList> {
  const rows = await listStaff(deps.db, business.slug);
  const members: StaffMember[] = [];
  for (const r of rows) {
    const f = await loadFactors(deps.db, r.id);
    members.push({
      id: r.id,
      email: r.email,
      name: r.name,
      role: r.role,
      createdAt: isoInstant(r.created_at),
      pending: r.pending,
      lastSignInAt: r.last_sign_in_at ? isoInstant(r.last_sign_in_at) : null,
      twoFactor: {
        authenticatorApp: Boolean(f.totp),
        passkeys: f.passkeys.map((p) => ({ name: p.name })),
        recoveryCodesLeft: f.recovery ? f.recovery.remaining : null,
      },
      you: r.id === me.id,
    });
  }
  return { members };
}

export async function inviteStaff(
  deps: AccountDeps,
  business: Business,
  owner: AccountRow,
  req: { email: string; name?: string | undefined; role: StaffRole },
  base: LinkBase,
  meta: RequestMeta,
): Promise<{ id: string; created: boolean; expiresAt: string }> {
  const setup = await createStaff(deps, business, { ...req, sendEmail: true }, base, meta);
  await audit(
    deps.db,
    deps.now(),
    business.slug,
    'staff_invited',
    owner.id,
    meta,
    { role: setup.account.role ?? req.role, created: setup.created },
    setup.account.id,
  );
  return { id: setup.account.id, created: setup.created, expiresAt: isoInstant(setup.expiresAt) };
}

/** The member, a staff account of this business; `not_found` otherwise. */
async function memberOf(deps: AccountDeps, business: Business, id: string): Promise<AccountRow> {
  const account = await findAccountById(deps.db, id);
  if (!account || account.business !== business.slug || account.kind !== 'staff')
    throw new ProblemError('not_found');
  return account;
}

/** Under the staff lock: refuses leaving the business without an owner (and, `self`, one's own account). */
async function guarded(
  deps: AccountDeps,
  business: Business,
  owner: AccountRow,
  id: string,
  change: (tx: Queryable, member: { role: StaffRole }) => Promise<void>,
  /** The change takes the member's owner role away. */
  demotes: boolean,
  self: 'allowed' | 'refused',
): Promise<void> {
  await memberOf(deps, business, id);
  await deps.db.transaction(async (tx) => {
    const staff = await lockStaff(tx, business.slug);
    const member = staff.find((s) => s.id === id);
    if (!member) throw new ProblemError('not_found');
    if (id === owner.id && self === 'refused') throw new ProblemError('own_account');
    const owners = staff.filter((s) => s.role === 'owner').length;
    if (member.role === 'owner' && demotes && owners <= 1) throw new ProblemError('last_owner');
    await change(tx, member);
  });
}

export async function changeStaffRole(
  deps: AccountDeps,
  business: Business,
  owner: AccountRow,
  id: string,
  role: StaffRole,
  meta: RequestMeta,
): Promise<void> {
  await guarded(
    deps,
    business,
    owner,
    id,
    async (tx, member) => {
      if (member.role === role) return;
      await setStaffRole(tx, id, role);
      await audit(
        tx,
        deps.now(),
        business.slug,
        'staff_role_changed',
        owner.id,
        meta,
        { from: member.role, to: role },
        id,
      );
    },
    role !== 'owner',
    'allowed',
  );
}

export async function removeStaff(
  deps: AccountDeps,
  business: Business,
  owner: AccountRow,
  id: string,
  meta: RequestMeta,
): Promise<void> {
  await guarded(
    deps,
    business,
    owner,
    id,
    async (tx, member) => {
      const now = deps.now();
      // Deleting the account would end them too; ended first so the reason is explicit.
      await revokeAccountSessions(tx, id, now);
      await deleteStaff(tx, id);
      await audit(tx, now, business.slug, 'staff_removed', owner.id, meta, { role: member.role }, id);
    },
    true,
    'refused',
  );
}

export async function resetStaffTwoFactor(
  deps: AccountDeps,
  business: Business,
  owner: AccountRow,
  id: string,
  meta: RequestMeta,
): Promise<{ removed: number }> {
  const member = await memberOf(deps, business, id);
  const r = await resetTwoFactor(deps, business, 'staff', member.email, meta, owner.id);
  return { removed: r.removed };
}

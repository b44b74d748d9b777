/**
 * Who in the console may read a customer's personal data (names, contact details, notes), and
 * break-glass: an owner's temporary grant of that access to another staff member.
 *
 * Outside HIPAA mode, every signed-in staff member. In HIPAA mode (`security.hipaa: true`),
 * owners; other staff only under an active break-glass grant (45 CFR 164.312(a)(2)(ii),
 * emergency access). The console's routes ask `canReadCustomerData` before answering with a
 * customer's details, and mask them otherwise.
 *
 * A grant: given by an owner to a staff member of the same business who is not an owner, with a
 * reason (kept with the grant, shown to owners; not in the audit log or emails, which carry no
 * free text) and a duration of 15 minutes to 24 hours; revocable by any owner until it ends.
 * Giving and revoking are audited (subject: the grantee) and emailed to every owner of the
 * business, so no grant goes unnoticed, and to the staff member concerned. Expiry is checked on every read on the server's clock:
 * nothing has to run for a grant to end.
 */
import { randomUUID } from 'node:crypto';
import type { BreakGlassGrantRequest } from '../../src/api/console-hipaa-contract.js';
import type { Business } from '../config.js';
import type { Database, Queryable } from '../db/index.js';
import type { AccountRow } from '../db/stores/accounts.js';
import {
  grantExists,
  hasActiveGrant,
  insertGrant,
  revokeGrant,
  staffOf,
  type GrantRow,
} from '../db/stores/break-glass.js';
import { enqueueEmail } from '../db/stores/outbox.js';
import { audit, type RequestMeta } from './audit.js';
import { emailLanguage, formatWhen, type RenderedEmail } from './email.js';
import { ProblemError } from './problems.js';

export async function canReadCustomerData(
  db: Queryable,
  business: Business,
  account: Pick<AccountRow, 'id' | 'role'>,
  now: Date,
): Promise<boolean> {
  if (!business.security.hipaa || account.role === 'owner') return true;
  return hasActiveGrant(db, business.slug, account.id, now);
}

export interface BreakGlassDeps {
  db: Database;
  now: () => Date;
  onEmailQueued?: () => void;
}

export interface BreakGlassActor {
  account: Pick<AccountRow, 'id' | 'email'>;
  meta: RequestMeta;
  /** The console's address, linked from the owners' email. */
  consoleUrl: string;
}

const STRINGS = {
  es: {
    grantedSubject: (b: string) => `Acceso de emergencia concedido en ${b}`,
    granted: (by: string, to: string, b: string, until: string) =>
      `${by} ha dado a ${to} acceso a los datos personales de los clientes de ${b} hasta el ${until}.`,
    revokedSubject: (b: string) => `Acceso de emergencia retirado en ${b}`,
    revoked: (by: string, to: string, b: string) =>
      `${by} ha retirado el acceso de emergencia de ${to} a los datos de los clientes de ${b}.`,
    review:
      'El motivo y la lista de accesos están en la consola. Si no lo esperabas, retíralo allí y revisa el registro de auditoría:',
    why: 'Recibes este aviso porque eres propietario de este negocio.',
    grantedYou: (by: string, b: string, until: string) =>
      `${by} te ha dado acceso a los datos personales de los clientes de ${b} hasta el ${until}. Todos los propietarios han recibido un aviso.`,
    revokedYou: (by: string, b: string) =>
      `${by} ha retirado tu acceso de emergencia a los datos de los clientes de ${b}.`,
    console: 'En la consola:',
  },
  en: {
    grantedSubject: (b: string) => `Break-glass access given at ${b}`,
    granted: (by: string, to: string, b: string, until: string) =>
      `${by} gave ${to} access to the personal data of ${b}'s customers until ${until}.`,
    revokedSubject: (b: string) => `Break-glass access ended at ${b}`,
    revoked: (by: string, to: string, b: string) =>
      `${by} ended ${to}'s break-glass access to the data of ${b}'s customers.`,
    review:
      'The reason and the list of grants are in the console. If you did not expect this, revoke it there and review the audit log:',
    why: 'You get this notice because you are an owner of this business.',
    grantedYou: (by: string, b: string, until: string) =>
      `${by} gave you access to the personal data of ${b}'s customers until ${until}. Every owner has been told.`,
    revokedYou: (by: string, b: string) =>
      `${by} ended your break-glass access to the data of ${b}'s customers.`,
    console: 'In the console:',
  },
} as const;

/**
 * The email every owner (and, `grantee: true`, the staff member concerned) gets when break-glass
 * access is given or revoked.
 */
export function breakGlassEmail(
  business: Business,
  locale: string | null,
  kind: 'granted' | 'revoked',
  o: { by: string; to: string; until: Date; consoleUrl: string; grantee?: boolean },
): RenderedEmail {
  const lang = emailLanguage(locale ?? business.locale);
  const t = STRINGS[lang];
  const until = formatWhen(o.until, lang === 'es' ? 'es-ES' : 'en-GB', business.timeZone);
  const subject = kind === 'granted' ? t.grantedSubject(business.name) : t.revokedSubject(business.name);
  if (o.grantee) {
    const headline =
      kind === 'granted' ? t.grantedYou(o.by, business.name, until) : t.revokedYou(o.by, business.name);
    return { subject, body: `${headline}\n\n${t.console}\n${o.consoleUrl}\n` };
  }
  const headline =
    kind === 'granted' ? t.granted(o.by, o.to, business.name, until) : t.revoked(o.by, o.to, business.name);
  return { subject, body: `${headline}\n\n${t.review}\n${o.consoleUrl}\n\n--\n${t.why}\n` };
}

/** Audit the change and email every owner and the grantee, in the caller's transaction. */
async function record(
  tx: Queryable,
  business: Business,
  kind: 'granted' | 'revoked',
  grant: GrantRow,
  actor: BreakGlassActor,
  at: Date,
): Promise<void> {
  await audit(
    tx,
    at,
    business.slug,
    kind === 'granted' ? 'break_glass_granted' : 'break_glass_revoked',
    actor.account.id,
    actor.meta,
    { grant: grant.id, expiresAt: grant.expires_at.toISOString() },
    grant.account_id,
  );
  const staff = await staffOf(tx, business.slug);
  const grantee = staff.find((s) => s.id === grant.account_id);
  const recipients = [
    ...staff.filter((s) => s.role === 'owner').map((s) => ({ ...s, isGrantee: false })),
    ...(grantee ? [{ ...grantee, isGrantee: true }] : []),
  ];
  for (const r of recipients)
    await enqueueEmail(
      tx,
      {
        booking_id: null,
        kind: r.isGrantee ? `break_glass_${kind}_you` : `break_glass_${kind}`,
        recipient: r.email,
        ...breakGlassEmail(business, r.locale, kind, {
          by: actor.account.email,
          to: grantee?.email ?? grant.account_id,
          until: grant.expires_at,
          consoleUrl: actor.consoleUrl,
          grantee: r.isGrantee,
        }),
      },
      at,
    );
}

/** Give `req.accountId` access until now + `req.minutes`. */
export async function grantBreakGlass(
  deps: BreakGlassDeps,
  business: Business,
  actor: BreakGlassActor,
  req: BreakGlassGrantRequest,
): Promise<GrantRow> {
  const now = deps.now();
  const grant = await deps.db.transaction(async (tx) => {
    const grantee = (await staffOf(tx, business.slug)).find((s) => s.id === req.accountId);
    if (!grantee || grantee.role !== 'staff')
      throw new ProblemError('break_glass_not_staff', {
        detail: 'Choose a staff member of this business who is not an owner (owners always have access)',
      });
    const row: GrantRow = {
      id: randomUUID(),
      business: business.slug,
      account_id: grantee.id,
      granted_by: actor.account.id,
      reason: req.reason,
      created_at: now,
      expires_at: new Date(now.getTime() + req.minutes * 60_000),
      revoked_at: null,
      revoked_by: null,
    };
    await insertGrant(tx, row);
    await record(tx, business, 'granted', row, actor, now);
    return row;
  });
  deps.onEmailQueued?.();
  return grant;
}

/** End an active grant now: `not_found` for no such grant, `break_glass_inactive` if it already ended. */
export async function revokeBreakGlass(
  deps: BreakGlassDeps,
  business: Business,
  actor: BreakGlassActor,
  id: string,
): Promise<GrantRow> {
  const now = deps.now();
  const revoked = await deps.db.transaction(async (tx) => {
    const row = await revokeGrant(tx, business.slug, id, actor.account.id, now);
    if (!row) return undefined;
    await record(tx, business, 'revoked', row, actor, now);
    return row;
  });
  if (!revoked) {
    if (await grantExists(deps.db, business.slug, id)) throw new ProblemError('break_glass_inactive');
    throw new ProblemError('not_found');
  }
  deps.onEmailQueued?.();
  return revoked;
}

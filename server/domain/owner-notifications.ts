/**
 * Owner notifications: an email to the business (`notifications.owner.recipients`) when a booking
 * is made, cancelled or moved, for the events it lists, in the business's language.
 *
 * - Queued after the booking's own transaction committed, in a transaction of its own: a failure
 *   here is logged and never undoes or fails the booking the customer just made.
 * - A held booking (confirmation by email) is not a booking yet: "booked" is sent when it is
 *   confirmed. An idempotent replay sends nothing again.
 * - Never the customer's notes (free text, encrypted at rest: an email would undo that).
 * - In HIPAA mode, no personal or health data at all: no customer name or contact, no service,
 *   no staff member, no reference; only the time and a link to the console, where a signed-in
 *   staff member sees the rest (docs/hipaa.md).
 */
import type { Business } from '../config.js';
import type { BookingRow } from '../db/stores/bookings.js';
import { enqueueEmail } from '../db/stores/outbox.js';
import type { BookingDeps } from './bookings.js';
import { emailLanguage, formatWhen, type RenderedEmail } from './email.js';

export type OwnerEvent = 'booked' | 'cancelled' | 'rescheduled';

const STRINGS = {
  es: {
    subject: {
      booked: (b: string) => `Nueva reserva en ${b}`,
      cancelled: (b: string) => `Reserva cancelada en ${b}`,
      rescheduled: (b: string) => `Reserva cambiada de hora en ${b}`,
    },
    booked: (when: string) => `Se ha hecho una reserva para el ${when}.`,
    cancelled: (when: string) => `Se ha cancelado la reserva del ${when}.`,
    rescheduled: (before: string, when: string) => `Una reserva ha pasado del ${before} al ${when}.`,
    signIn: 'Inicia sesión en la consola para verla:',
    signInNoLink: 'Inicia sesión en la consola para verla.',
    customer: 'Cliente',
    service: 'Servicio',
    with: 'Con',
    reference: 'Referencia',
    console: 'En la consola:',
    why: (b: string) =>
      `Recibes este aviso porque tu dirección está en notifications.owner de la configuración de ${b}.`,
  },
  en: {
    subject: {
      booked: (b: string) => `New booking at ${b}`,
      cancelled: (b: string) => `Booking cancelled at ${b}`,
      rescheduled: (b: string) => `Booking moved at ${b}`,
    },
    booked: (when: string) => `A booking was made for ${when}.`,
    cancelled: (when: string) => `The booking for ${when} was cancelled.`,
    rescheduled: (before: string, when: string) => `A booking was moved from ${before} to ${when}.`,
    signIn: 'Sign in to the console to see it:',
    signInNoLink: 'Sign in to the console to see it.',
    customer: 'Customer',
    service: 'Service',
    with: 'With',
    reference: 'Reference',
    console: 'In the console:',
    why: (b: string) =>
      `You get this notice because your address is in notifications.owner of ${b}'s configuration.`,
  },
} as const;

/** The email the business's recipients get for one event (`before`: the booking before a move). */
export function renderOwnerNotification(
  business: Business,
  event: OwnerEvent,
  b: BookingRow,
  o: { before?: BookingRow | undefined; consoleUrl?: string | undefined } = {},
): RenderedEmail {
  const lang = emailLanguage(business.locale);
  const t = STRINGS[lang];
  const locale = lang === 'es' && !business.locale.toLowerCase().startsWith('es') ? 'es-ES' : business.locale;
  const when = formatWhen(b.starts_at, locale, business.timeZone);
  const headline =
    event === 'rescheduled'
      ? t.rescheduled(formatWhen((o.before ?? b).starts_at, locale, business.timeZone), when)
      : t[event](when);
  const lines = [headline, ''];
  if (business.security.hipaa) {
    lines.push(...(o.consoleUrl ? [t.signIn, o.consoleUrl] : [t.signInNoLink]));
  } else {
    lines.push(
      `${t.customer}: ${b.customer_name} <${b.customer_email}>${b.customer_phone ? `, ${b.customer_phone}` : ''}`,
      `${t.service}: ${b.service_name}`,
      `${t.with}: ${b.staff_name}`,
      `${t.reference}: ${b.reference}`,
      ...(o.consoleUrl ? ['', t.console, o.consoleUrl] : []),
    );
  }
  lines.push('', '--', t.why(business.name));
  return { subject: t.subject[event](business.name), body: lines.join('\n') + '\n' };
}

/**
 * Queue the notification of `event` for every recipient, if the business asks for it. Never
 * throws: the booking is already committed, and its answer must not depend on this.
 */
export async function notifyOwners(
  deps: BookingDeps,
  business: Business,
  event: OwnerEvent,
  b: BookingRow,
  before?: BookingRow,
): Promise<void> {
  const { recipients, events } = business.notifications.owner;
  if (!recipients.length || !events.includes(event)) return;
  try {
    const email = renderOwnerNotification(business, event, b, { before, consoleUrl: deps.consoleUrl });
    const now = deps.now();
    await deps.db.transaction(async (tx) => {
      for (const to of recipients)
        await enqueueEmail(tx, { booking_id: b.id, kind: `owner_${event}`, recipient: to, ...email }, now);
    });
    deps.onEmailQueued?.();
  } catch (err) {
    // The message names the database's complaint, never the email's content.
    console.error(`owner notification (${business.slug}, ${event}) not queued: ${(err as Error).message}`);
  }
}

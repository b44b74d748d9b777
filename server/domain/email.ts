/**
 * Confirmation and cancellation emails, plain text, in Spanish or English by the booking's
 * locale. Times are shown in the business's zone (and in the customer's, when it differs).
 *
 * In HIPAA mode (`security.hipaa`) an appointment is health information, and email is not a
 * safe place for it: no service, no staff member, no notes, the customer's name only in the
 * greeting; the manage link (a token view) is where the rest is seen. test/server/hipaa-emails.spec.ts
 * renders every kind and keeps a snapshot.
 */
import type { Business } from '../config.js';
import type { BookingRow } from '../db/stores/bookings.js';
import { buildInvitation } from './calendar.js';

type Lang = 'es' | 'en';

export const emailLanguage = (locale: string): Lang => (locale.toLowerCase().startsWith('es') ? 'es' : 'en');

const STRINGS = {
  es: {
    confirmedSubject: (business: string, ref: string) => `Reserva confirmada en ${business} (${ref})`,
    cancelledSubject: (business: string, ref: string) => `Reserva cancelada en ${business} (${ref})`,
    holdSubject: (business: string, ref: string) => `Confirma tu reserva en ${business} (${ref})`,
    held: (business: string) => `Tenemos tu hora reservada en ${business}, pero falta que la confirmes.`,
    confirmBy: (when: string) =>
      `Abre este enlace y pulsa «Confirmar» antes del ${when}; si no, la hora quedará libre:`,
    notYou: 'Si no has pedido esta reserva, ignora este correo: no se confirmará.',
    hello: (name: string) => `Hola, ${name}:`,
    confirmed: (business: string) => `Tu reserva en ${business} está confirmada.`,
    cancelled: (business: string) => `Tu reserva en ${business} ha sido cancelada.`,
    reference: 'Referencia',
    service: 'Servicio',
    with: 'Con',
    when: 'Fecha y hora',
    yourTime: 'En tu zona horaria',
    cancelUntil: (when: string) => `Puedes cancelar sin coste hasta el ${when}.`,
    manage: 'Para ver o cancelar tu reserva:',
    keepLink: 'Este enlace da acceso a tu reserva: no lo compartas.',
    bye: 'Gracias.',
    movedSubject: (business: string, ref: string) => `Reserva cambiada de hora en ${business} (${ref})`,
    moved: (business: string) => `Tu reserva en ${business} ha cambiado de hora.`,
    before: 'Antes',
  },
  en: {
    confirmedSubject: (business: string, ref: string) => `Booking confirmed at ${business} (${ref})`,
    cancelledSubject: (business: string, ref: string) => `Booking cancelled at ${business} (${ref})`,
    holdSubject: (business: string, ref: string) => `Confirm your booking at ${business} (${ref})`,
    held: (business: string) => `Your time at ${business} is held for you, but you still need to confirm it.`,
    confirmBy: (when: string) =>
      `Open this link and press "Confirm" before ${when}, or the time will be released:`,
    notYou: 'If you did not ask for this booking, ignore this email: it will not be confirmed.',
    hello: (name: string) => `Hello ${name},`,
    confirmed: (business: string) => `Your booking at ${business} is confirmed.`,
    cancelled: (business: string) => `Your booking at ${business} has been cancelled.`,
    reference: 'Reference',
    service: 'Service',
    with: 'With',
    when: 'Date and time',
    yourTime: 'In your time zone',
    cancelUntil: (when: string) => `You can cancel free of charge until ${when}.`,
    manage: 'To view or cancel your booking:',
    keepLink: 'This link gives access to your booking: do not share it.',
    bye: 'Thank you.',
    movedSubject: (business: string, ref: string) => `Booking moved at ${business} (${ref})`,
    moved: (business: string) => `Your booking at ${business} has moved to a new time.`,
    before: 'Before',
  },
} as const;

const formats = new Map<string, Intl.DateTimeFormat>();

/** One formatter per (locale, zone), built once: constructing one costs far more than using it. */
function dateTimeFormat(locale: string, timeZone: string): Intl.DateTimeFormat {
  const key = `${locale}\u0000${timeZone}`;
  let f = formats.get(key);
  if (f === undefined) {
    const make = (loc: string) =>
      new Intl.DateTimeFormat(loc, { dateStyle: 'full', timeStyle: 'short', timeZone });
    try {
      f = make(locale);
    } catch {
      f = make('en');
    }
    if (formats.size >= 500) formats.clear();
    formats.set(key, f);
  }
  return f;
}

export function formatWhen(date: Date, locale: string, timeZone: string): string {
  return `${dateTimeFormat(locale, timeZone).format(date)} (${timeZone})`;
}

/** The business's phone, email and address, one a line, for the end of every email. */
function signature(business: Business): string[] {
  const c = business.contact;
  return [business.name, ...(c ? [c.phone, c.email, c.address].filter((x): x is string => !!x) : [])];
}

/** The manage link: the business's template with the booking id and token filled in. */
export function manageLink(business: Business, bookingId: string, token: string): string | undefined {
  return business.manageUrl
    ?.replace('{id}', encodeURIComponent(bookingId))
    .replace('{token}', encodeURIComponent(token));
}

export interface RenderedEmail {
  subject: string;
  body: string;
  /** An iCalendar invitation sent with it (server/domain/calendar.ts). */
  calendar?: string;
}

/** The language, strings and locale of a booking's emails, and the lines every email opens with. */
type Strings = (typeof STRINGS)[keyof typeof STRINGS];

function opening(business: Business, b: BookingRow, headline: (t: Strings) => string) {
  const lang = emailLanguage(b.locale);
  const t = STRINGS[lang];
  const locale = lang === 'es' ? (b.locale.toLowerCase().startsWith('es') ? b.locale : 'es-ES') : b.locale;
  const lines = [t.hello(b.customer_name), '', headline(t), '', `${t.reference}: ${b.reference}`];
  if (!business.security.hipaa) lines.push(`${t.service}: ${b.service_name}`);
  return { t, locale, lines };
}

/** Whom with and when, in the business's zone (and the customer's); whom with not in HIPAA mode. */
function withAndWhen(business: Business, b: BookingRow, t: Strings, locale: string): string[] {
  const lines = business.security.hipaa ? [] : [`${t.with}: ${b.staff_name}`];
  lines.push(`${t.when}: ${formatWhen(b.starts_at, locale, b.time_zone)}`);
  if (b.customer_time_zone && b.customer_time_zone !== b.time_zone)
    lines.push(`${t.yourTime}: ${formatWhen(b.starts_at, locale, b.customer_time_zone)}`);
  return lines;
}

export function renderConfirmation(
  business: Business,
  b: BookingRow,
  link: string | undefined,
): RenderedEmail {
  const { t, locale, lines } = opening(business, b, (t) => t.confirmed(business.name));
  lines.push(...withAndWhen(business, b, t, locale));
  if (b.cancellable_until)
    lines.push('', t.cancelUntil(formatWhen(b.cancellable_until, locale, b.time_zone)));
  if (link) lines.push('', t.manage, link, t.keepLink);
  lines.push('', t.bye, ...signature(business));
  return {
    subject: t.confirmedSubject(business.name, b.reference),
    body: lines.join('\n') + '\n',
    calendar: buildInvitation({
      business,
      booking: b,
      kind: 'request',
      ...(link ? { manageLink: link } : {}),
      now: b.created_at,
    }),
  };
}

/** A held booking: the link to confirm it (the manage link), and until when. */
export function renderHoldRequest(business: Business, b: BookingRow, link: string): RenderedEmail {
  const { t, locale, lines } = opening(business, b, (t) => t.held(business.name));
  lines.push(...withAndWhen(business, b, t, locale));
  lines.push('', t.confirmBy(formatWhen(b.hold_until!, locale, b.time_zone)), link, t.keepLink, '', t.notYou);
  lines.push('', t.bye, ...signature(business));
  return { subject: t.holdSubject(business.name, b.reference), body: lines.join('\n') + '\n' };
}

export function renderCancellation(business: Business, b: BookingRow): RenderedEmail {
  const { t, locale, lines } = opening(business, b, (t) => t.cancelled(business.name));
  lines.push(`${t.when}: ${formatWhen(b.starts_at, locale, b.time_zone)}`, '', t.bye, ...signature(business));
  return {
    subject: t.cancelledSubject(business.name, b.reference),
    body: lines.join('\n') + '\n',
    calendar: buildInvitation({ business, booking: b, kind: 'cancel', now: b.cancelled_at }),
  };
}

/** A booking moved to another time: the new time (and whom with), and the old one. */
export function renderRescheduled(business: Business, b: BookingRow, before: BookingRow): RenderedEmail {
  const { t, locale, lines } = opening(business, b, (t) => t.moved(business.name));
  lines.push(...withAndWhen(business, b, t, locale));
  lines.push(`${t.before}: ${formatWhen(before.starts_at, locale, b.time_zone)}`);
  if (b.cancellable_until)
    lines.push('', t.cancelUntil(formatWhen(b.cancellable_until, locale, b.time_zone)));
  lines.push('', t.bye, ...signature(business));
  return {
    subject: t.movedSubject(business.name, b.reference),
    body: lines.join('\n') + '\n',
    calendar: buildInvitation({ business, booking: b, kind: 'request', now: b.rescheduled_at }),
  };
}

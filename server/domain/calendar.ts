/**
 * Calendar invitations (iCalendar, RFC 5545, with the iTIP methods of RFC 5546) attached to a
 * booking's emails, so the customer's calendar holds the appointment and follows it:
 *
 * - the confirmation carries `METHOD:REQUEST`, a move carries `REQUEST` again with the same
 *   `UID` and a higher `SEQUENCE` (the booking's `sequence`, bumped by each move), which calendars
 *   apply as an update of the same event; a cancellation carries `METHOD:CANCEL`, same `UID`,
 *   `SEQUENCE` one above the last request's, `STATUS:CANCELLED`;
 * - the `UID` is the one the widget's own "add to calendar" file uses (`{booking id}@cita`), so
 *   a download and an emailed invitation are one event;
 * - the organizer is the business (`contact.email`); the customer is the attendee. iTIP needs an
 *   organizer, so a business without a contact email gets `METHOD:PUBLISH` files instead (an
 *   event to add, and on cancellation the same event marked `STATUS:CANCELLED`);
 * - location (`contact.address`), and the manage link in `URL` and the description when the
 *   email knows it (the confirmation; later emails have only the token's hash).
 *
 * Every text goes through the widget's RFC 5545 escaping (no value can start a property).
 *
 * In HIPAA mode an invitation says no more than its email: the summary is neutral ("Appointment at
 * <business>", in the booking's language, never the service), and the attendee carries no name.
 */
import type { Business } from '../config.js';
import type { BookingRow } from '../db/stores/bookings.js';
import { escapeText, fold } from '../../src/components/booking-form/logic/ics.js';

export type CalendarMethod = 'REQUEST' | 'CANCEL' | 'PUBLISH';

/** `20260304T090000Z` */
const stamp = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

/** A `mailto:` calendar address: no characters that could end the value or the line. */
const mailto = (email: string) => `mailto:${email.replace(/[\s;:,"\\]/g, '')}`;
/** A quoted parameter value (CN): no quotes or control characters inside. */
const param = (value: string) => `"${value.replace(/["\u0000-\u001F\u007F]/g, '')}"`;

export interface InvitationInput {
  business: Business;
  booking: BookingRow;
  /** `cancel`: the booking was cancelled; otherwise it is (still) on. */
  kind: 'request' | 'cancel';
  /** The manage link, when the email has it. */
  manageLink?: string;
  /** DTSTAMP (the server's clock; the current time when absent). */
  now?: Date | null;
}

/** The invitation's method, as the email's MIME part must state it too. */
export function invitationMethod(business: Business, kind: 'request' | 'cancel'): CalendarMethod {
  if (!business.contact?.email) return 'PUBLISH';
  return kind === 'cancel' ? 'CANCEL' : 'REQUEST';
}

/** The event's title: the service and the business, or in HIPAA mode a neutral one. */
function summary(business: Business, b: BookingRow): string {
  if (!business.security.hipaa) return `${b.service_name} · ${business.name}`;
  return b.locale.toLowerCase().startsWith('es')
    ? `Cita en ${business.name}`
    : `Appointment at ${business.name}`;
}

export function buildInvitation({ business, booking: b, kind, manageLink, now }: InvitationInput): string {
  const method = invitationMethod(business, kind);
  const organizer = business.contact?.email;
  const sequence = (b.sequence ?? 0) + (kind === 'cancel' ? 1 : 0);
  const description = [`${b.reference}`, ...(manageLink ? [manageLink] : [])].join('\n');
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Cita//Booking server//EN',
    'CALSCALE:GREGORIAN',
    `METHOD:${method}`,
    'BEGIN:VEVENT',
    `UID:${escapeText(`${b.id}@cita`)}`,
    `SEQUENCE:${sequence}`,
    `DTSTAMP:${stamp(now ?? new Date())}`,
    `DTSTART:${stamp(b.starts_at)}`,
    `DTEND:${stamp(b.ends_at)}`,
    `SUMMARY:${escapeText(summary(business, b))}`,
    `DESCRIPTION:${escapeText(description)}`,
    ...(business.contact?.address ? [`LOCATION:${escapeText(business.contact.address)}`] : []),
    ...(manageLink ? [`URL:${manageLink.replace(/[\u0000-\u0020\u007F]/g, '')}`] : []),
    ...(organizer
      ? [
          `ORGANIZER;CN=${param(business.name)}:${mailto(organizer)}`,
          `ATTENDEE${business.security.hipaa ? '' : `;CN=${param(b.customer_name)}`};ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;RSVP=FALSE:${mailto(b.customer_email)}`,
        ]
      : []),
    `STATUS:${kind === 'cancel' ? 'CANCELLED' : 'CONFIRMED'}`,
    'TRANSP:OPAQUE',
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(fold).join('\r\n') + '\r\n';
}

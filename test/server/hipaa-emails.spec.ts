/**
 * HIPAA mode's emails (issue 11): every kind Cita sends, rendered for a HIPAA business, names no
 * service, staff member or notes, and the customer only in the greeting; calendar invitations
 * carry a neutral summary and no attendee name. The whole set is kept, readable, in
 * __snapshots__/hipaa-emails.txt, so a change to any of them shows in review.
 */
import { describe, expect, it } from 'vitest';
import type { Business } from '../../server/config.js';
import type { BookingRow } from '../../server/db/stores/bookings.js';
import {
  accountExistsEmail,
  factorAddedEmail,
  factorRemovedEmail,
  lockNoticeEmail,
  passwordChangedEmail,
  recoveryRegeneratedEmail,
  recoveryUsedEmail,
  resetEmail,
  setupEmail,
  signupCodeEmail,
} from '../../server/domain/account-email.js';
import {
  renderCancellation,
  renderConfirmation,
  renderHoldRequest,
  renderRescheduled,
  type RenderedEmail,
} from '../../server/domain/email.js';
import { breakGlassEmail } from '../../server/domain/break-glass.js';
import { invoiceReadyEmail } from '../../server/domain/invoicing/email.js';
import { renderOwnerNotification } from '../../server/domain/owner-notifications.js';
import { testConfig } from './helpers.js';

const SERVICE = 'Oncology follow-up';
const STAFF = 'Dr Ada Lima';
const NOTES = 'Chemotherapy round 3, allergic to latex';
const CUSTOMER = 'Grace Hopper';

function clinic(hipaa: boolean): Business {
  return testConfig((raw) => {
    const b = raw.businesses[1]!;
    b.services = [{ id: 'visit', name: SERVICE, durationMinutes: 30, staff: ['dr-lima'] }];
    (b.staff as { name: string }[])[0]!.name = STAFF;
    b.contact = { email: 'desk@clinic.example', address: '1 Main Street' };
    b.manageUrl = 'https://clinic.example/appointments#cita-manage={id}.{token}';
    if (!hipaa) b.security = { twoFactor: 'required', sessionIdleMinutes: 10 };
  }).businesses.get('test-clinic')!;
}

const row = (locale: string): BookingRow => ({
  id: '6f1c2a52-7c1e-4b4e-9a57-3f1f8f6d2e10',
  reference: 'K7QX2M',
  business: 'test-clinic',
  service: 'visit',
  service_name: SERVICE,
  staff: 'dr-lima',
  staff_name: STAFF,
  starts_at: new Date('2026-03-03T13:00:00Z'),
  ends_at: new Date('2026-03-03T13:30:00Z'),
  status: 'confirmed',
  customer_name: CUSTOMER,
  customer_email: 'grace@example.com',
  customer_phone: '+34600111222',
  customer_notes: NOTES,
  locale,
  customer_time_zone: 'Europe/Madrid',
  time_zone: 'America/Sao_Paulo',
  cancellable_until: new Date('2026-03-02T13:00:00Z'),
  manage_token_hash: 'x'.repeat(64),
  created_at: new Date('2026-03-02T08:00:00Z'),
  cancelled_at: null,
  cancel_reason: null,
  hold_until: new Date('2026-03-02T08:15:00Z'),
  sequence: 0,
  rescheduled_at: null,
});

const LINK = 'https://clinic.example/appointments#cita-manage=6f1c2a52.TOKEN';
const CONSOLE = 'https://book.example/admin';

/** Every email kind, for one business, by name. */
function everyEmail(b: Business): [string, RenderedEmail][] {
  const en = row('en-GB');
  const es = row('es-ES');
  const moved = {
    ...en,
    starts_at: new Date('2026-03-04T14:00:00Z'),
    sequence: 1,
    rescheduled_at: en.created_at,
  };
  const cancelled = { ...en, status: 'cancelled' as const, cancelled_at: new Date('2026-03-02T09:00:00Z') };
  return [
    ['confirmation (en)', renderConfirmation(b, en, LINK)],
    ['confirmation (es)', renderConfirmation(b, es, LINK)],
    ['hold request', renderHoldRequest(b, { ...en, status: 'held' }, LINK)],
    ['cancellation', renderCancellation(b, cancelled)],
    ['rescheduled', renderRescheduled(b, moved, en)],
    ['owner: booked', renderOwnerNotification(b, 'booked', en, { consoleUrl: CONSOLE })],
    ['owner: cancelled', renderOwnerNotification(b, 'cancelled', cancelled, { consoleUrl: CONSOLE })],
    [
      'owner: rescheduled',
      renderOwnerNotification(b, 'rescheduled', moved, { before: en, consoleUrl: CONSOLE }),
    ],
    [
      'break-glass given (to owners)',
      breakGlassEmail(b, 'en-GB', 'granted', {
        by: 'owner@clinic.example',
        to: 'nurse@clinic.example',
        until: new Date('2026-03-02T20:00:00Z'),
        consoleUrl: CONSOLE,
      }),
    ],
    [
      'break-glass given (to the staff member)',
      breakGlassEmail(b, 'en-GB', 'granted', {
        by: 'owner@clinic.example',
        to: 'nurse@clinic.example',
        until: new Date('2026-03-02T20:00:00Z'),
        consoleUrl: CONSOLE,
        grantee: true,
      }),
    ],
    [
      'break-glass revoked (to owners)',
      breakGlassEmail(b, 'es-ES', 'revoked', {
        by: 'owner@clinic.example',
        to: 'nurse@clinic.example',
        until: new Date('2026-03-02T20:00:00Z'),
        consoleUrl: CONSOLE,
      }),
    ],
    [
      'invoice ready',
      invoiceReadyEmail(b, 'en-GB', 'https://book.example/frame/test-clinic/account#invoice=1'),
    ],
    ['sign-up code', signupCodeEmail(b, 'en-GB', '123456', 15)],
    ['account exists', accountExistsEmail(b, 'en-GB')],
    ['lock notice', lockNoticeEmail(b, 'en-GB', new Date('2026-03-02T09:00:00Z'))],
    ['password reset', resetEmail(b, 'en-GB', 'https://book.example/frame/test-clinic/account#reset=T', 30)],
    ['staff setup', setupEmail(b, null, 'https://book.example/admin#token=T', 72)],
    ['password changed', passwordChangedEmail(b, 'en-GB')],
    ['factor added', factorAddedEmail(b, 'en-GB', { kind: 'totp' })],
    ['factor removed', factorRemovedEmail(b, 'en-GB', { kind: 'passkey', name: 'Laptop' })],
    ['recovery code used', recoveryUsedEmail(b, 'en-GB', 9)],
    ['recovery codes made', recoveryRegeneratedEmail(b, 'en-GB')],
  ];
}

const show = ([name, e]: [string, RenderedEmail]) =>
  `=== ${name}\nSubject: ${e.subject}\n\n${e.body}${e.calendar ? `--- invite.ics\n${e.calendar.replaceAll('\r\n', '\n')}` : ''}`;

describe('emails in HIPAA mode', () => {
  it('name no service, staff member or notes, and the customer only in the greeting', async () => {
    const emails = everyEmail(clinic(true));
    for (const [name, e] of emails) {
      const [greeting, ...rest] = e.body.split('\n');
      const everything = [e.subject, ...rest, e.calendar ?? ''].join('\n');
      for (const secret of [SERVICE, STAFF, NOTES, CUSTOMER, 'Grace', 'Hopper', '600111222'])
        expect(everything, `${name}: ${secret}`).not.toContain(secret);
      // The greeting may name them (issue 11): "Hello Grace Hopper," and nothing else on that line.
      if (greeting!.includes(CUSTOMER))
        expect(greeting, name).toMatch(/^(Hello Grace Hopper,|Hola, Grace Hopper:)$/);
    }
    const calendars = emails.filter(([, e]) => e.calendar).map(([, e]) => e.calendar!);
    expect(calendars).toHaveLength(4); // confirmations, cancellation, move
    for (const c of calendars) {
      expect(c).toMatch(/^SUMMARY:(Appointment at Test Clinic|Cita en Test Clinic)\r$/m);
      expect(c).toMatch(/^ATTENDEE;ROLE=REQ-PARTICIPANT/m);
    }
    await expect(emails.map(show).join('\n')).toMatchFileSnapshot('__snapshots__/hipaa-emails.txt');
  });

  it('outside HIPAA mode the same emails do name them (the check above can fail)', () => {
    const text = everyEmail(clinic(false))
      .map(([, e]) => `${e.subject}\n${e.body}\n${e.calendar ?? ''}`)
      .join('\n');
    expect(text).toContain(`Service: ${SERVICE}`);
    expect(text).toContain(`With: ${STAFF}`);
    expect(text).toContain(`SUMMARY:${SERVICE} · Test Clinic`);
    expect(text).toContain(`Customer: ${CUSTOMER}`);
    // Notes go in no email, HIPAA mode or not.
    expect(text).not.toContain(NOTES);
  });
});

/**
 * Issue 12, item 8: the business's phone, email and address live in its config, reach the
 * widget in the public config, and end every email; national phone numbers are read with the
 * business's calling code (`phoneCountryCode`).
 */
import { describe, expect, it } from 'vitest';
import { renderCancellation, renderConfirmation } from '../../server/domain/email.js';
import type { BookingRow } from '../../server/db/stores/bookings.js';
import { testConfig } from './helpers.js';

const CONTACT = { phone: '+34 910 123 456', email: 'hola@salon.example', address: 'Calle Mayor 1, Madrid' };

const configured = () =>
  testConfig((raw) => {
    raw.businesses[0]!.contact = CONTACT;
    raw.businesses[0]!.phoneCountryCode = '34';
  });

const row = {
  id: '6f1c1a3e-0c4e-4a43-9a57-6a3f4f1f2b10',
  customer_email: 'lucia@example.com',
  ends_at: new Date('2026-03-04T10:30:00Z'),
  reference: 'ABC123',
  customer_name: 'Lucía',
  locale: 'es-ES',
  service_name: 'Corte',
  staff_name: 'Ana',
  starts_at: new Date('2026-03-04T10:00:00Z'),
  time_zone: 'Europe/Madrid',
  customer_time_zone: 'Europe/Madrid',
  cancellable_until: new Date('2026-03-03T10:00:00Z'),
} as unknown as BookingRow;

describe('business contact and calling code', () => {
  it('publishes the contact and the calling code in the business config', () => {
    const business = [...configured().businesses.values()][0]!;
    expect(business.publicConfig.contact).toEqual(CONTACT);
    expect(business.publicConfig.phoneCountryCode).toBe('34');
  });

  it('refuses a contact phone without a country code and a calling code that is not one', () => {
    expect(() =>
      testConfig((raw) => {
        raw.businesses[0]!.contact = { phone: '910 123 456' };
      }),
    ).toThrow(/contact\.phone/);
    expect(() =>
      testConfig((raw) => {
        raw.businesses[0]!.phoneCountryCode = '+34';
      }),
    ).toThrow(/phoneCountryCode/);
  });

  it('ends the confirmation and the cancellation emails with the phone, email and address', () => {
    const business = [...configured().businesses.values()][0]!;
    for (const mail of [renderConfirmation(business, row, undefined), renderCancellation(business, row)]) {
      expect(mail.body).toContain(CONTACT.phone);
      expect(mail.body).toContain(CONTACT.email);
      expect(mail.body).toContain(CONTACT.address);
    }
  });
});

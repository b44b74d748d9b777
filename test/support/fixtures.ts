/**
 * Realistic contract data for browser tests and benchmarks that need the widget's data without a
 * server (a month of slots, a business with all three policies). Every value passes the contract.
 */
import type { Availability, BusinessConfig, ServiceList, Slot } from '../../src/api/contract.js';

const SHA = (c: string) => c.repeat(64);

export const business: BusinessConfig = {
  slug: 'salon-rosa',
  name: 'Salón Rosa',
  timeZone: 'Europe/Madrid',
  locale: 'es-ES',
  currency: 'EUR',
  customerFields: ['name', 'email', 'phone'],
  policies: {
    terms: {
      version: '2026-01',
      title: 'Términos y condiciones',
      text: '<p>Condiciones del servicio.</p>',
      sha256: SHA('1'),
    },
    privacy: {
      version: '2026-01',
      title: 'Política de privacidad',
      text: '<p>Tus datos.</p>',
      sha256: SHA('2'),
    },
    cancellation: {
      version: '2026-01',
      title: 'Política de cancelación',
      text: '<p>Cancela gratis hasta 24 h antes.</p>',
      sha256: SHA('3'),
      cutoffHours: 24,
    },
  },
  rules: { slotStepMinutes: 15, minNoticeMinutes: 120, maxAdvanceDays: 90 },
  security: {
    twoFactor: 'optional',
    hipaa: false,
    password: { minLength: 12, maxLength: 128, requireClasses: false },
    sessionIdleMinutes: 30,
  },
};

export const services: ServiceList = {
  services: [
    {
      id: 'corte',
      name: 'Corte de pelo',
      description: '<p>Lavado y peinado incluidos.</p>',
      durationMinutes: 45,
      price: { amountMinor: 3500, currency: 'EUR' },
      staff: [
        { id: 'lucia', name: 'Lucía' },
        { id: 'marco', name: 'Marco' },
      ],
    },
    {
      id: 'tinte',
      name: 'Tinte',
      durationMinutes: 90,
      price: { amountMinor: 6000, currency: 'EUR' },
      staff: [{ id: 'lucia', name: 'Lucía' }],
    },
  ],
};

/** Every 15 minutes from 09:00 to 19:00 UTC on each weekday of the month: about 900 slots. */
export function monthOfSlots(year: number, month: number, service = 'corte'): Availability {
  const slots: Slot[] = [];
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  for (let d = 1; d <= days; d++) {
    const wd = new Date(Date.UTC(year, month - 1, d)).getUTCDay();
    if (wd === 0 || wd === 6) continue;
    for (let m = 9 * 60; m + 45 <= 19 * 60; m += 15) {
      const start = new Date(Date.UTC(year, month - 1, d, 0, m));
      slots.push({
        start: start.toISOString(),
        end: new Date(start.getTime() + 45 * 60_000).toISOString(),
        staff: m % 30 ? ['lucia'] : ['lucia', 'marco'],
      });
    }
  }
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    service,
    from: `${year}-${pad(month)}-01`,
    to: `${year}-${pad(month)}-${pad(days)}`,
    timeZone: 'Europe/Madrid',
    slots,
  };
}

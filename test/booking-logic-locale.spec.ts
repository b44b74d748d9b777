/** Issue 12, item 8: day parts by language, and national phone numbers read with the business's calling code. */
import { describe, expect, it } from 'vitest';
import { Phone, internationalPhone } from '../src/api/contract.js';
import { groupByPartOfDay, partOfDay } from '../src/components/booking-form/logic/calendar.js';
import { validateDetails } from '../src/components/booking-form/logic/details.js';
import { en } from '../src/locales/en.js';
import { es } from '../src/locales/es.js';

const MADRID = 'Europe/Madrid';
/** 4 March 2026 at `hh:00` in Madrid (UTC+1 then). */
const at = (hh: number) => `2026-03-04T${String(hh - 1).padStart(2, '0')}:00:00Z`;

describe('parts of the day per language', () => {
  it('a Spanish "tarde" starts after lunch and runs to 20:00; English afternoon is 12:00 to 18:00', () => {
    expect([12, 13, 14, 18, 19, 20].map((h) => partOfDay(at(h), MADRID, es.dayParts))).toEqual([
      'morning',
      'morning',
      'afternoon',
      'afternoon',
      'afternoon',
      'evening',
    ]);
    expect([11, 12, 17, 18].map((h) => partOfDay(at(h), MADRID, en.dayParts))).toEqual([
      'morning',
      'afternoon',
      'afternoon',
      'evening',
    ]);
    const slots = [10, 13, 19].map((h) => ({ start: at(h), end: at(h + 1), staff: ['ana'] }));
    expect(groupByPartOfDay(slots, MADRID, es.dayParts).map((g) => g.part)).toEqual(['morning', 'afternoon']);
  });
});

describe('national phone numbers', () => {
  it('adds the business calling code to a national number, drops a trunk 0, reads 00 as +', () => {
    expect(internationalPhone('600 123 456', '34')).toBe('+34 600 123 456');
    expect(internationalPhone('0612 345678', '31')).toBe('+31 612 345678');
    expect(internationalPhone('0034 600 123 456', '34')).toBe('+34 600 123 456');
    expect(internationalPhone('+44 20 7946 0958', '34')).toBe('+44 20 7946 0958');
    expect(internationalPhone('600 123 456')).toBe('600 123 456');
    expect(Phone.safeParse(internationalPhone('600 123 456', '34')).success).toBe(true);
  });

  it('the details step accepts a national number only when the business gives its calling code', () => {
    const values = { name: 'Ana', email: 'ana@example.com', phone: '600 123 456' };
    const fields = ['name', 'email', 'phone'] as const;
    expect(validateDetails(values, fields).errors.phone).toEqual({ kind: 'invalid' });
    const ok = validateDetails(values, fields, '34');
    expect(ok.errors).toEqual({});
    expect(ok.customer?.phone).toBe('+34 600 123 456');
  });
});

describe('time-zone check in response validation', () => {
  it('asks Intl once per zone, not once per response (2-3 ms a call on a loaded machine)', async () => {
    const { isTimeZone } = await import('../src/api/contract.js');
    const Real = Intl.DateTimeFormat;
    let built = 0;
    const Counting = function (this: unknown, ...args: ConstructorParameters<typeof Real>) {
      built++;
      return new Real(...args);
    } as unknown as typeof Intl.DateTimeFormat;
    Intl.DateTimeFormat = Counting;
    try {
      for (let i = 0; i < 50; i++) expect(isTimeZone('Pacific/Chatham')).toBe(true);
      for (let i = 0; i < 50; i++) expect(isTimeZone('Not/AZone')).toBe(false);
    } finally {
      Intl.DateTimeFormat = Real;
    }
    expect(built).toBeLessThanOrEqual(2);
  });
});

/**
 * The bookings section's DOM-free logic: day, week and month ranges of local dates (weeks start
 * on the locale's first day), stepping through them, their labels, and refund amounts as typed.
 */
import { describe, expect, it } from 'vitest';
import { parseAmount } from '../src/components/admin-console/sections/bookings/amount.js';
import { rangeLabel, rangeOf, stepAnchor } from '../src/components/admin-console/sections/bookings/range.js';

describe('console bookings ranges', () => {
  it('a day is itself; a week starts on the locale’s first day; a month is whole', () => {
    // Wednesday 4 March 2026.
    expect(rangeOf('day', '2026-03-04', 'es-ES')).toEqual({ from: '2026-03-04', to: '2026-03-04' });
    expect(rangeOf('week', '2026-03-04', 'es-ES')).toEqual({ from: '2026-03-02', to: '2026-03-08' });
    expect(rangeOf('week', '2026-03-04', 'en-US')).toEqual({ from: '2026-03-01', to: '2026-03-07' });
    expect(rangeOf('week', '2026-03-01', 'es-ES')).toEqual({ from: '2026-02-23', to: '2026-03-01' });
    expect(rangeOf('month', '2026-02-14', 'es-ES')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(rangeOf('month', '2028-02-14', 'es-ES')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
  });

  it('steps by a view, across months and years', () => {
    expect(stepAnchor('day', '2026-03-01', -1)).toBe('2026-02-28');
    expect(stepAnchor('week', '2026-12-30', 1)).toBe('2027-01-06');
    expect(stepAnchor('month', '2026-01-31', 1)).toBe('2026-02-01');
    expect(stepAnchor('month', '2026-01-15', -1)).toBe('2025-12-01');
  });

  it('labels ranges in the locale', () => {
    expect(rangeLabel('day', rangeOf('day', '2026-03-04', 'en-GB'), 'en-GB')).toMatch(
      /^Wednesday,? 4 March 2026$/,
    );
    expect(rangeLabel('month', rangeOf('month', '2026-03-04', 'es-ES'), 'es-ES')).toBe('marzo de 2026');
    expect(rangeLabel('week', rangeOf('week', '2026-03-04', 'en-GB'), 'en-GB')).toMatch(/^2\D+8 Mar 2026$/);
  });
});

describe('refund amounts', () => {
  it('reads decimal commas and points, in whole cents', () => {
    expect(parseAmount('5')).toBe(500);
    expect(parseAmount('5,5')).toBe(550);
    expect(parseAmount(' 5.05 ')).toBe(505);
    expect(parseAmount('1.234,50')).toBe(123_450);
    expect(parseAmount('1,234.50')).toBe(123_450);
  });

  it('refuses zero, negatives, more than two decimals and words', () => {
    for (const bad of ['0', '0,00', '-5', '5,5,5', '5,0001', 'cinco', '', '5e3'])
      expect(parseAmount(bad)).toBeUndefined();
  });
});

/** The console's days in the business's zone: midnight there, across DST changes. */
import { describe, expect, it } from 'vitest';
import {
  endOfDay,
  isDay,
  shiftDay,
  startOfDay,
  todayIn,
} from '../src/components/admin-console/logic/zone-days.js';

describe('console days in the business zone', () => {
  it('starts a day at local midnight, in winter and summer time', () => {
    expect(startOfDay('2026-01-15', 'Europe/Madrid')).toBe('2026-01-14T23:00:00.000Z');
    expect(startOfDay('2026-07-15', 'Europe/Madrid')).toBe('2026-07-14T22:00:00.000Z');
    expect(startOfDay('2026-07-15', 'America/Sao_Paulo')).toBe('2026-07-15T03:00:00.000Z');
  });
  it('is right on the days the clocks change', () => {
    // Madrid springs forward at 02:00 on 29 March 2026: midnight is still +01:00.
    expect(startOfDay('2026-03-29', 'Europe/Madrid')).toBe('2026-03-28T23:00:00.000Z');
    expect(endOfDay('2026-03-29', 'Europe/Madrid')).toBe('2026-03-29T22:00:00.000Z');
    // New York: 8 March 2026.
    expect(endOfDay('2026-03-07', 'America/New_York')).toBe('2026-03-08T05:00:00.000Z');
    expect(endOfDay('2026-03-08', 'America/New_York')).toBe('2026-03-09T04:00:00.000Z');
  });
  it("knows today in the zone, not the browser's", () => {
    const at = Date.parse('2026-06-01T23:30:00Z');
    expect(todayIn('Europe/Madrid', at)).toBe('2026-06-02');
    expect(todayIn('America/Los_Angeles', at)).toBe('2026-06-01');
    expect(shiftDay('2026-03-01', -1)).toBe('2026-02-28');
    expect(isDay('2026-13-01')).toBe(false);
    expect(isDay('2026-02-28')).toBe(true);
    expect(isDay('')).toBe(false);
  });
});

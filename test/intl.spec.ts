import { describe, expect, it } from 'vitest';
import { hourInZone, ymdInZone, zoneOffset } from '../src/core/intl.ts';

/** Intl's own answer, the reference the cached version must match. */
function reference(ms: number, tz: string) {
  const p = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
  }).formatToParts(ms);
  const get = (t: string) => Number(p.find((x) => x.type === t)!.value);
  return { ymd: { year: get('year'), month: get('month'), day: get('day') }, hour: get('hour') % 24 };
}

describe('zone arithmetic for showing slots', () => {
  const zones = [
    'Europe/Madrid',
    'America/Santiago',
    'Australia/Lord_Howe',
    'Asia/Kathmandu',
    'Pacific/Chatham',
    'UTC',
  ];
  it.each(zones)('matches Intl every 5 minutes across 2026 DST changes in %s', (tz) => {
    // Around both 2026 changes of each hemisphere: late March/early April and late Sept/October.
    for (const [from, to] of [
      ['2026-03-27', '2026-04-07'],
      ['2026-09-04', '2026-09-08'],
      ['2026-09-25', '2026-10-06'],
      ['2026-10-23', '2026-10-27'],
    ]) {
      for (let ms = Date.parse(`${from}T00:00Z`); ms < Date.parse(`${to}T00:00Z`); ms += 5 * 60_000) {
        const ref = reference(ms, tz);
        expect(ymdInZone(ms, tz), `${tz} ${new Date(ms).toISOString()}`).toEqual(ref.ymd);
        expect(hourInZone(ms, tz)).toBe(ref.hour);
      }
    }
  });
  it('knows Madrid is UTC+1 in winter and UTC+2 in summer', () => {
    expect(zoneOffset('2026-01-15T12:00:00Z', 'Europe/Madrid')).toBe(60);
    expect(zoneOffset('2026-07-15T12:00:00Z', 'Europe/Madrid')).toBe(120);
    expect(zoneOffset('2026-07-15T12:00:00Z', 'Asia/Kathmandu')).toBe(345);
  });
});

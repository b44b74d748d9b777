import { describe, expect, it } from 'vitest';
import { Temporal } from 'temporal-polyfill';
import { Slot } from '../../src/api/contract.js';
import {
  blockedInterval,
  checkSlot,
  computeSlots,
  createZoneMap,
  parseDate,
  type AvailabilityInput,
  type ComputedSlot,
  type Interval,
  type StaffSchedule,
  type Weekday,
} from '../../server/domain/availability.js';

/* Helpers ------------------------------------------------------------------------------------- */

const ms = (iso: string) => Date.parse(iso);
const starts = (slots: ComputedSlot[]) => slots.map((s) => s.start);
const WEEKDAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];
const ALL_DAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

function every(days: Weekday[], hours: Interval[]): Partial<Record<Weekday, Interval[]>> {
  return Object.fromEntries(days.map((d) => [d, hours]));
}

/** Madrid, June 2026 (CEST, UTC+2), a clock well before the range and a long booking window. */
function input(over: Partial<AvailabilityInput> = {}): AvailabilityInput {
  return {
    timeZone: 'Europe/Madrid',
    from: '2026-06-01',
    to: '2026-06-07',
    now: new Date('2026-05-01T00:00:00Z'),
    rules: { slotStepMinutes: 30, minNoticeMinutes: 0, maxAdvanceDays: 365 },
    service: { durationMinutes: 60, bufferBeforeMinutes: 0, bufferAfterMinutes: 0 },
    staff: [{ id: 'ana', weeklyHours: every(WEEKDAYS, [['09:00', '12:00']]) }],
    busy: [],
    ...over,
  };
}

/** Slots whose start falls on the UTC date `date` (handy for grouping in UTC+x zones). */
const onUtcDate = (slots: ComputedSlot[], date: string) => slots.filter((s) => s.start.startsWith(date));

/* The engine --------------------------------------------------------------------------------- */

describe('computeSlots: an ordinary week', () => {
  // Mon 2026-06-01 .. Sun 2026-06-07, Madrid CEST = UTC+2. Two intervals on weekdays; the
  // afternoon starts at 15:10 so its grid is aligned on 15:10, not on the hour.
  const staff: StaffSchedule[] = [
    {
      id: 'ana',
      weeklyHours: every(WEEKDAYS, [
        ['09:00', '12:00'],
        ['15:10', '17:00'],
      ]),
    },
  ];
  const slots = computeSlots(input({ staff }));

  it('lists every fitting start on the grid of each interval, sorted, with the right end', () => {
    // 09:00-12:00, 60 min every 30: 09:00 09:30 10:00 10:30 11:00 (11:30 would end 12:30).
    // 15:10-17:00: 15:10 15:40 (16:10 would end 17:10). Local minus 2 h = UTC.
    expect(onUtcDate(slots, '2026-06-01')).toEqual([
      { start: '2026-06-01T07:00:00Z', end: '2026-06-01T08:00:00Z', staff: ['ana'] },
      { start: '2026-06-01T07:30:00Z', end: '2026-06-01T08:30:00Z', staff: ['ana'] },
      { start: '2026-06-01T08:00:00Z', end: '2026-06-01T09:00:00Z', staff: ['ana'] },
      { start: '2026-06-01T08:30:00Z', end: '2026-06-01T09:30:00Z', staff: ['ana'] },
      { start: '2026-06-01T09:00:00Z', end: '2026-06-01T10:00:00Z', staff: ['ana'] },
      { start: '2026-06-01T13:10:00Z', end: '2026-06-01T14:10:00Z', staff: ['ana'] },
      { start: '2026-06-01T13:40:00Z', end: '2026-06-01T14:40:00Z', staff: ['ana'] },
    ]);
  });

  it('has 7 slots each weekday and none at the weekend', () => {
    expect(slots).toHaveLength(35);
    for (const d of ['2026-06-02', '2026-06-03', '2026-06-04', '2026-06-05']) {
      expect(onUtcDate(slots, d)).toHaveLength(7);
    }
    expect(onUtcDate(slots, '2026-06-06')).toEqual([]);
    expect(onUtcDate(slots, '2026-06-07')).toEqual([]);
    expect(starts(slots)).toEqual([...starts(slots)].sort());
  });

  it('produces slots the contract accepts', () => {
    for (const s of slots) expect(Slot.safeParse(s).success).toBe(true);
  });

  it('takes 24:00 as the end of the day', () => {
    const late = computeSlots(
      input({
        from: '2026-06-06',
        to: '2026-06-06',
        staff: [{ id: 'ana', weeklyHours: { sat: [['22:00', '24:00']] } }],
      }),
    );
    // 22:00, 22:30, 23:00 local (23:00 + 60 min = 24:00 fits exactly) = 20:00Z, 20:30Z, 21:00Z.
    expect(starts(late)).toEqual(['2026-06-06T20:00:00Z', '2026-06-06T20:30:00Z', '2026-06-06T21:00:00Z']);
    expect(late[2].end).toBe('2026-06-06T22:00:00Z');
  });

  it('copes with unsorted and overlapping intervals (no duplicate starts)', () => {
    const slots = computeSlots(
      input({
        from: '2026-06-01',
        to: '2026-06-01',
        rules: { ...input().rules, slotStepMinutes: 60 },
        staff: [
          {
            id: 'ana',
            weeklyHours: {
              mon: [
                ['14:00', '16:00'],
                ['10:00', '12:00'],
                ['09:00', '11:00'],
              ],
            },
          },
        ],
      }),
    );
    // 14:00 15:00 | 10:00 11:00 | 09:00 10:00 local -> 09, 10, 11, 14, 15 local = 07, 08, 09, 12, 13 Z.
    expect(slots.map((s) => [s.start, s.staff])).toEqual([
      ['2026-06-01T07:00:00Z', ['ana']],
      ['2026-06-01T08:00:00Z', ['ana']],
      ['2026-06-01T09:00:00Z', ['ana']],
      ['2026-06-01T12:00:00Z', ['ana']],
      ['2026-06-01T13:00:00Z', ['ana']],
    ]);
  });

  it('returns nothing for an empty or inverted range', () => {
    expect(computeSlots(input({ from: '2026-06-03', to: '2026-06-02' }))).toEqual([]);
    expect(computeSlots(input({ staff: [] }))).toEqual([]);
  });
});

describe('buffers and busy intervals', () => {
  const service = { durationMinutes: 30, bufferBeforeMinutes: 10, bufferAfterMinutes: 15 };

  it('blockedInterval is [start - before, start + duration + after)', () => {
    expect(blockedInterval(ms('2026-06-01T08:00:00Z'), service)).toEqual({
      start: ms('2026-06-01T07:50:00Z'),
      end: ms('2026-06-01T08:45:00Z'),
    });
  });

  it('keeps the blocked interval (buffers included) clear of busy ones, half-open', () => {
    // Mon 09:00-12:00 local, 30 min service every 15 min: candidates 09:00 .. 11:30.
    // A candidate t blocks [t - 10, t + 45).
    //   busy A [09:00, 09:50) local: conflicts while t - 10 < 09:50, i.e. t < 10:00.
    //   busy B [11:00, 12:00) local: conflicts while t + 45 > 11:00, i.e. t > 10:15.
    // Free: 10:00 (blocks [09:50, 10:45): touches A's end) and 10:15 (blocks [10:05, 11:00):
    // touches B's start). Buffers may reach outside the hours: 09:00 is refused by A only.
    const busy = [
      { staffId: 'ana', start: ms('2026-06-01T07:00:00Z'), end: ms('2026-06-01T07:50:00Z') },
      { staffId: 'ana', start: ms('2026-06-01T09:00:00Z'), end: ms('2026-06-01T10:00:00Z') },
      { staffId: 'someone-else', start: ms('2026-06-01T00:00:00Z'), end: ms('2026-06-02T00:00:00Z') },
    ];
    const slots = computeSlots(
      input({
        from: '2026-06-01',
        to: '2026-06-01',
        service,
        busy,
        rules: { ...input().rules, slotStepMinutes: 15 },
      }),
    );
    expect(slots).toEqual([
      { start: '2026-06-01T08:00:00Z', end: '2026-06-01T08:30:00Z', staff: ['ana'] },
      { start: '2026-06-01T08:15:00Z', end: '2026-06-01T08:45:00Z', staff: ['ana'] },
    ]);
  });

  it('lets a slot use the time before the first or after the last busy interval', () => {
    // One 60 min booking 10:00-11:00 local; 60 min service every 30, no buffers: 09:00 and 11:00 are
    // free, 09:30, 10:00 and 10:30 overlap.
    const busy = [{ staffId: 'ana', start: ms('2026-06-01T08:00:00Z'), end: ms('2026-06-01T09:00:00Z') }];
    const slots = computeSlots(input({ from: '2026-06-01', to: '2026-06-01', busy }));
    expect(starts(slots)).toEqual(['2026-06-01T07:00:00Z', '2026-06-01T09:00:00Z']);
  });

  it('merges overlapping and unsorted busy intervals', () => {
    const busy = [
      { staffId: 'ana', start: ms('2026-06-01T08:30:00Z'), end: ms('2026-06-01T08:40:00Z') },
      { staffId: 'ana', start: ms('2026-06-01T07:10:00Z'), end: ms('2026-06-01T08:35:00Z') },
      { staffId: 'ana', start: ms('2026-06-01T07:20:00Z'), end: ms('2026-06-01T07:30:00Z') },
    ];
    // Busy [09:10, 10:40) local: only 11:00 (and nothing before 09:10 that fits an hour) is free.
    const slots = computeSlots(input({ from: '2026-06-01', to: '2026-06-01', busy }));
    expect(starts(slots)).toEqual(['2026-06-01T09:00:00Z']);
  });
});

describe('minimum notice and maximum advance, on the injected server clock', () => {
  // Every day 09:00-13:00 local, 60 min every 30: 7 starts a day (09:00 .. 12:00).
  const staff: StaffSchedule[] = [{ id: 'ana', weeklyHours: every(ALL_DAYS, [['09:00', '13:00']]) }];
  const base = input({
    staff,
    from: '2026-05-31',
    to: '2026-06-07',
    // Mon 2026-06-01 09:20 local.
    now: new Date('2026-06-01T07:20:00Z'),
    rules: { slotStepMinutes: 30, minNoticeMinutes: 60, maxAdvanceDays: 3 },
  });

  it('starts at now + notice and stops before the first day past the window', () => {
    const slots = computeSlots(base);
    // Earliest start 10:20 local -> first slot 10:30 = 08:30Z. Today is 06-01, window 3 days:
    // 06-01, 06-02, 06-03; it ends at 2026-06-04 00:00 local = 2026-06-03T22:00Z.
    expect(starts(onUtcDate(slots, '2026-06-01'))).toEqual([
      '2026-06-01T08:30:00Z',
      '2026-06-01T09:00:00Z',
      '2026-06-01T09:30:00Z',
      '2026-06-01T10:00:00Z',
    ]);
    expect(onUtcDate(slots, '2026-06-02')).toHaveLength(7);
    expect(onUtcDate(slots, '2026-06-03')).toHaveLength(7);
    expect(slots).toHaveLength(18);
    expect(slots.at(-1)?.start).toBe('2026-06-03T10:00:00Z');
  });

  it('accepts a start exactly at now + notice', () => {
    // now 09:30 local, notice 60 -> 10:30 local (08:30Z) is the first slot.
    const slots = computeSlots({ ...base, now: new Date('2026-06-01T07:30:00Z') });
    expect(slots[0].start).toBe('2026-06-01T08:30:00Z');
    const check = { ...base, now: new Date('2026-06-01T07:30:00Z') };
    expect(checkSlot({ ...check, start: ms('2026-06-01T08:30:00Z') })).toEqual({ ok: true, staffId: 'ana' });
    expect(checkSlot({ ...check, start: ms('2026-06-01T08:00:00Z') })).toEqual({
      ok: false,
      reason: 'outside_booking_window',
    });
    expect(checkSlot({ ...check, start: ms('2026-06-01T07:00:00Z') })).toEqual({
      ok: false,
      reason: 'slot_in_past',
    });
  });

  it('refuses the first day past the window, and moves with the clock', () => {
    expect(checkSlot({ ...base, start: ms('2026-06-03T10:00:00Z') }).ok).toBe(true);
    expect(checkSlot({ ...base, start: ms('2026-06-04T07:00:00Z') })).toEqual({
      ok: false,
      reason: 'outside_booking_window',
    });
    // A day later the window reaches 06-04 and 06-01 is in the past.
    const later = computeSlots({ ...base, now: new Date('2026-06-02T07:20:00Z') });
    expect(onUtcDate(later, '2026-06-01')).toEqual([]);
    expect(onUtcDate(later, '2026-06-04')).toHaveLength(7);
  });

  it('a range wholly in the past or beyond the window is empty', () => {
    expect(computeSlots({ ...base, from: '2026-05-01', to: '2026-05-31' })).toEqual([]);
    expect(computeSlots({ ...base, from: '2026-06-04', to: '2026-06-30' })).toEqual([]);
  });
});

describe('exceptions and closed dates', () => {
  it('replaces weekly hours by exceptions and closes business-wide holidays', () => {
    const staff: StaffSchedule[] = [
      {
        id: 'ana',
        weeklyHours: every(WEEKDAYS, [['09:00', '12:00']]),
        exceptions: [
          { date: '2026-06-02', hours: [] }, // Tue closed
          { date: '2026-06-03', hours: [['16:00', '18:00']] }, // Wed special hours
          { date: '2026-06-04', hours: [['09:00', '12:00']] }, // Thu: the holiday still wins
          { date: '2026-06-06', hours: [['10:00', '12:00']] }, // Sat, normally closed
          { date: '2026-06-05', hours: [] },
          { date: '2026-06-05', hours: [['09:00', '10:00']] }, // the last one listed wins
        ],
      },
    ];
    const slots = computeSlots(
      input({ staff, closedDates: ['2026-06-04'], rules: { ...input().rules, slotStepMinutes: 60 } }),
    );
    expect(starts(slots)).toEqual([
      // Mon 09:00, 10:00, 11:00 local
      '2026-06-01T07:00:00Z',
      '2026-06-01T08:00:00Z',
      '2026-06-01T09:00:00Z',
      // Wed 16:00, 17:00 local
      '2026-06-03T14:00:00Z',
      '2026-06-03T15:00:00Z',
      // Fri 09:00 local
      '2026-06-05T07:00:00Z',
      // Sat 10:00, 11:00 local
      '2026-06-06T08:00:00Z',
      '2026-06-06T09:00:00Z',
    ]);
    const rest = { ...input({ staff, closedDates: ['2026-06-04'] }) };
    expect(checkSlot({ ...rest, start: ms('2026-06-02T07:00:00Z') })).toEqual({
      ok: false,
      reason: 'outside_hours',
    });
    expect(checkSlot({ ...rest, start: ms('2026-06-04T07:00:00Z') })).toEqual({
      ok: false,
      reason: 'outside_hours',
    });
    expect(checkSlot({ ...rest, start: ms('2026-06-06T08:00:00Z') }).ok).toBe(true);
  });
});

describe('several staff', () => {
  // Mon 2026-06-01, 60 min every 30.
  //   ana  09:00-12:00: 09:00 09:30 10:00 10:30 11:00, busy 10:00-11:00 -> free 09:00, 11:00
  //   ben  10:00-13:00: 10:00 10:30 11:00 11:30 12:00
  //   cleo 09:30-11:30: 09:30 10:00 10:30
  const staff: StaffSchedule[] = [
    { id: 'ana', weeklyHours: { mon: [['09:00', '12:00']] } },
    { id: 'ben', weeklyHours: { mon: [['10:00', '13:00']] } },
    { id: 'cleo', weeklyHours: { mon: [['09:30', '11:30']] } },
  ];
  const busy = [{ staffId: 'ana', start: ms('2026-06-01T08:00:00Z'), end: ms('2026-06-01T09:00:00Z') }];
  const base = input({ staff, busy, from: '2026-06-01', to: '2026-06-01' });

  it('lists every free staff member per start, in input order', () => {
    expect(computeSlots(base).map((s) => [s.start, s.staff])).toEqual([
      ['2026-06-01T07:00:00Z', ['ana']],
      ['2026-06-01T07:30:00Z', ['cleo']],
      ['2026-06-01T08:00:00Z', ['ben', 'cleo']],
      ['2026-06-01T08:30:00Z', ['ben', 'cleo']],
      ['2026-06-01T09:00:00Z', ['ana', 'ben']],
      ['2026-06-01T09:30:00Z', ['ben']],
      ['2026-06-01T10:00:00Z', ['ben']],
    ]);
  });

  it('checkSlot picks the first free member or checks the one asked for', () => {
    const at = (iso: string, staffId?: string) => checkSlot({ ...base, start: ms(iso), staffId });
    expect(at('2026-06-01T08:00:00Z')).toEqual({ ok: true, staffId: 'ben' });
    expect(at('2026-06-01T08:00:00Z', 'cleo')).toEqual({ ok: true, staffId: 'cleo' });
    expect(at('2026-06-01T08:00:00Z', 'ana')).toEqual({ ok: false, reason: 'slot_unavailable' });
    expect(at('2026-06-01T10:00:00Z', 'ana')).toEqual({ ok: false, reason: 'outside_hours' });
    expect(at('2026-06-01T08:00:00Z', 'nobody')).toEqual({ ok: false, reason: 'outside_hours' });
  });

  it('with one staff member (the customer chose), only that member is listed', () => {
    const slots = computeSlots({ ...base, staff: [staff[2]] });
    expect(slots.map((s) => [s.start, s.staff])).toEqual([
      ['2026-06-01T07:30:00Z', ['cleo']],
      ['2026-06-01T08:00:00Z', ['cleo']],
      ['2026-06-01T08:30:00Z', ['cleo']],
    ]);
  });
});

describe('DST in Europe/Madrid', () => {
  const hours: Interval[] = [
    ['00:00', '05:00'],
    ['09:00', '20:00'],
  ];
  const staff: StaffSchedule[] = [{ id: 'ana', weeklyHours: every(ALL_DAYS, hours) }];
  const base = input({ staff, now: new Date('2026-01-01T00:00:00Z') });

  it('spring forward, Sun 2026-03-29 (02:00 CET -> 03:00 CEST at 01:00Z): the night is 4 h, no 02:xx', () => {
    const slots = computeSlots({ ...base, from: '2026-03-29', to: '2026-03-29' });
    // 00:00 CET = 2026-03-28T23:00Z; 05:00 CEST = 03:00Z: 4 real hours. 60 min every 30 from 23:00Z:
    // 23:00 23:30 00:00 00:30 01:00 01:30 02:00 (Z) = local 00:00 00:30 01:00 01:30 03:00 03:30 04:00.
    expect(starts(slots).slice(0, 7)).toEqual([
      '2026-03-28T23:00:00Z',
      '2026-03-28T23:30:00Z',
      '2026-03-29T00:00:00Z',
      '2026-03-29T00:30:00Z',
      '2026-03-29T01:00:00Z',
      '2026-03-29T01:30:00Z',
      '2026-03-29T02:00:00Z',
    ]);
    // 09:00-20:00 CEST = 07:00Z-18:00Z, 11 h: 07:00Z .. 17:00Z every 30 = 21 slots.
    expect(slots[7].start).toBe('2026-03-29T07:00:00Z');
    expect(slots.at(-1)?.start).toBe('2026-03-29T17:00:00Z');
    expect(slots).toHaveLength(28);
    // Every slot starts at a local time that exists: none reads 02:xx in Madrid.
    const local = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Madrid',
      hour: '2-digit',
      hourCycle: 'h23',
    });
    expect(slots.filter((s) => local.format(new Date(s.start)) === '02')).toEqual([]);
  });

  it('uses the right offset either side of the spring change', () => {
    const slots = computeSlots({ ...base, from: '2026-03-28', to: '2026-03-30' });
    // Sat 09:00 CET = 08:00Z; Mon 09:00 CEST = 07:00Z.
    expect(starts(slots)).toContain('2026-03-28T08:00:00Z');
    expect(starts(slots)).not.toContain('2026-03-28T07:00:00Z');
    expect(starts(slots)).toContain('2026-03-30T07:00:00Z');
    // Sat: night 5 h -> 9 slots + day 21; Sun 28; Mon (CEST all night: 22:00Z-03:00Z) 9 + 21.
    expect(slots).toHaveLength(30 + 28 + 30);
  });

  it('fall back, Sun 2026-10-25 (03:00 CEST -> 02:00 CET at 01:00Z): the night is 6 h, 02:xx twice', () => {
    const slots = computeSlots({ ...base, from: '2026-10-25', to: '2026-10-25' });
    // 00:00 CEST = 2026-10-24T22:00Z; 05:00 CET = 04:00Z: 6 real hours; starts 22:00Z .. 03:00Z.
    // Local: 00:00 00:30 01:00 01:30 02:00+02 02:30+02 02:00+01 02:30+01 03:00 03:30 04:00.
    expect(starts(slots).slice(0, 11)).toEqual([
      '2026-10-24T22:00:00Z',
      '2026-10-24T22:30:00Z',
      '2026-10-24T23:00:00Z',
      '2026-10-24T23:30:00Z',
      '2026-10-25T00:00:00Z',
      '2026-10-25T00:30:00Z',
      '2026-10-25T01:00:00Z',
      '2026-10-25T01:30:00Z',
      '2026-10-25T02:00:00Z',
      '2026-10-25T02:30:00Z',
      '2026-10-25T03:00:00Z',
    ]);
    // 09:00-20:00 CET = 08:00Z-19:00Z: 08:00Z .. 18:00Z every 30 = 21 slots.
    expect(slots[11].start).toBe('2026-10-25T08:00:00Z');
    expect(slots.at(-1)?.start).toBe('2026-10-25T18:00:00Z');
    expect(slots).toHaveLength(32);
    expect(new Set(starts(slots)).size).toBe(32);
  });

  it("resolves endpoints in the gap or the repeated hour with 'compatible'", () => {
    const one = (date: string, h: Interval[]) =>
      computeSlots({
        ...base,
        from: date,
        to: date,
        staff: [{ id: 'ana', weeklyHours: {}, exceptions: [{ date, hours: h }] }],
      });
    // 02:30 does not exist on 03-29: it becomes 03:30 CEST = 01:30Z. 02:30-04:00 is then
    // 01:30Z-02:00Z, too short for 60 min; 02:30-05:00 is 01:30Z-03:00Z: starts 01:30Z, 02:00Z.
    expect(starts(one('2026-03-29', [['02:30', '04:00']]))).toEqual([]);
    expect(starts(one('2026-03-29', [['02:30', '05:00']]))).toEqual([
      '2026-03-29T01:30:00Z',
      '2026-03-29T02:00:00Z',
    ]);
    // An interval wholly inside the gap: 02:00 -> 03:00 CEST and 03:00 CEST: empty.
    expect(one('2026-03-29', [['02:00', '03:00']])).toEqual([]);
    // 02:30 happens twice on 10-25: the first (CEST, 00:30Z) is taken; 04:00 CET = 03:00Z.
    // 2.5 h: 00:30Z 01:00Z 01:30Z 02:00Z.
    expect(starts(one('2026-10-25', [['02:30', '04:00']]))).toEqual([
      '2026-10-25T00:30:00Z',
      '2026-10-25T01:00:00Z',
      '2026-10-25T01:30:00Z',
      '2026-10-25T02:00:00Z',
    ]);
  });
});

describe('DST south of the equator: Australia/Sydney', () => {
  it('the 2026 changes are where we think (checked with Intl)', () => {
    const offset = (iso: string) =>
      new Intl.DateTimeFormat('en', { timeZone: 'Australia/Sydney', timeZoneName: 'longOffset' })
        .formatToParts(new Date(iso))
        .find((p) => p.type === 'timeZoneName')?.value;
    expect(offset('2026-04-04T15:59:00Z')).toBe('GMT+11:00');
    expect(offset('2026-04-04T16:00:00Z')).toBe('GMT+10:00'); // 03:00 AEDT -> 02:00 AEST, 04-05
    expect(offset('2026-10-03T15:59:00Z')).toBe('GMT+10:00');
    expect(offset('2026-10-03T16:00:00Z')).toBe('GMT+11:00'); // 02:00 AEST -> 03:00 AEDT, 10-04
  });

  const base = input({
    timeZone: 'Australia/Sydney',
    now: new Date('2026-01-01T00:00:00Z'),
    rules: { slotStepMinutes: 60, minNoticeMinutes: 0, maxAdvanceDays: 365 },
    staff: [{ id: 'ana', weeklyHours: every(ALL_DAYS, [['00:00', '05:00']]) }],
  });

  it('autumn, Sun 2026-04-05: 00:00-05:00 is 6 h, 02:00 twice', () => {
    const slots = computeSlots({ ...base, from: '2026-04-05', to: '2026-04-05' });
    // 00:00 AEDT (+11) = 04-04T13:00Z; 05:00 AEST (+10) = 04-04T19:00Z.
    // Local 00:00 01:00 02:00+11 02:00+10 03:00 04:00.
    expect(starts(slots)).toEqual([
      '2026-04-04T13:00:00Z',
      '2026-04-04T14:00:00Z',
      '2026-04-04T15:00:00Z',
      '2026-04-04T16:00:00Z',
      '2026-04-04T17:00:00Z',
      '2026-04-04T18:00:00Z',
    ]);
  });

  it('spring, Sun 2026-10-04: 00:00-05:00 is 4 h, no 02:00', () => {
    const slots = computeSlots({ ...base, from: '2026-10-04', to: '2026-10-04' });
    // 00:00 AEST (+10) = 10-03T14:00Z; 05:00 AEDT (+11) = 10-03T18:00Z. Local 00:00 01:00 03:00 04:00.
    expect(starts(slots)).toEqual([
      '2026-10-03T14:00:00Z',
      '2026-10-03T15:00:00Z',
      '2026-10-03T16:00:00Z',
      '2026-10-03T17:00:00Z',
    ]);
  });
});

describe('local day boundaries away from UTC', () => {
  it('Pacific/Auckland (UTC+12 in June): slots near midnight belong to the local date', () => {
    const base = input({
      timeZone: 'Pacific/Auckland',
      rules: { slotStepMinutes: 60, minNoticeMinutes: 0, maxAdvanceDays: 365 },
      staff: [{ id: 'ana', weeklyHours: { mon: [['22:00', '24:00']], tue: [['00:00', '02:00']] } }],
    });
    // Mon 06-01 22:00, 23:00 NZST = 06-01T10:00Z, 11:00Z.
    expect(starts(computeSlots({ ...base, from: '2026-06-01', to: '2026-06-01' }))).toEqual([
      '2026-06-01T10:00:00Z',
      '2026-06-01T11:00:00Z',
    ]);
    // Tue 06-02 00:00, 01:00 NZST = 06-01T12:00Z, 13:00Z: still Monday in UTC, Tuesday here.
    expect(starts(computeSlots({ ...base, from: '2026-06-02', to: '2026-06-02' }))).toEqual([
      '2026-06-01T12:00:00Z',
      '2026-06-01T13:00:00Z',
    ]);
  });

  it("Pacific/Auckland: 'today' and the window are local dates", () => {
    // now = 2026-06-01T23:30Z = Tue 06-02 11:30 NZST. maxAdvanceDays 1: today (06-02) only, until
    // 06-03 00:00 NZST = 06-02T12:00Z. Hours 09:00-17:00, 60 min every 60: 12:00 .. 16:00 NZST
    // = 06-02T00:00Z .. 04:00Z. (Taking the UTC date, 06-01, as today would give nothing.)
    const slots = computeSlots(
      input({
        timeZone: 'Pacific/Auckland',
        from: '2026-06-01',
        to: '2026-06-03',
        now: new Date('2026-06-01T23:30:00Z'),
        rules: { slotStepMinutes: 60, minNoticeMinutes: 0, maxAdvanceDays: 1 },
        staff: [{ id: 'ana', weeklyHours: every(ALL_DAYS, [['09:00', '17:00']]) }],
      }),
    );
    expect(starts(slots)).toEqual([
      '2026-06-02T00:00:00Z',
      '2026-06-02T01:00:00Z',
      '2026-06-02T02:00:00Z',
      '2026-06-02T03:00:00Z',
      '2026-06-02T04:00:00Z',
    ]);
  });

  it('America/Los_Angeles (UTC-7 in June): evening slots are on the next UTC date', () => {
    const slots = computeSlots(
      input({
        timeZone: 'America/Los_Angeles',
        from: '2026-06-05',
        to: '2026-06-05',
        rules: { slotStepMinutes: 60, minNoticeMinutes: 0, maxAdvanceDays: 365 },
        staff: [{ id: 'ana', weeklyHours: { thu: [['09:00', '10:00']], fri: [['20:00', '23:00']] } }],
      }),
    );
    // Fri 06-05 20:00, 21:00, 22:00 PDT = 06-06T03:00Z, 04:00Z, 05:00Z; Thursday's hours excluded.
    expect(starts(slots)).toEqual(['2026-06-06T03:00:00Z', '2026-06-06T04:00:00Z', '2026-06-06T05:00:00Z']);
  });
});

describe('checkSlot agrees with computeSlots', () => {
  const staff: StaffSchedule[] = [
    {
      id: 'ana',
      weeklyHours: every(WEEKDAYS, [
        ['09:00', '12:00'],
        ['15:10', '17:00'],
      ]),
    },
    { id: 'ben', weeklyHours: every(['mon', 'wed', 'sat'], [['10:00', '14:00']]) },
  ];
  const busy = [
    { staffId: 'ana', start: ms('2026-06-01T08:00:00Z'), end: ms('2026-06-01T09:00:00Z') },
    { staffId: 'ben', start: ms('2026-06-01T08:00:00Z'), end: ms('2026-06-01T09:00:00Z') },
  ];
  const base = input({ staff, busy, now: new Date('2026-06-01T06:40:00Z') });
  const { from: _from, to: _to, ...rest } = base;

  it('every computed slot passes checkSlot, for every listed staff member', () => {
    const slots = computeSlots(base);
    expect(slots.length).toBeGreaterThan(30);
    for (const s of slots) {
      const start = ms(s.start);
      expect(checkSlot({ ...rest, start })).toEqual({ ok: true, staffId: s.staff[0] });
      for (const id of s.staff)
        expect(checkSlot({ ...rest, start, staffId: id })).toEqual({ ok: true, staffId: id });
    }
  });

  it('off-grid and edge starts fail with the right reason', () => {
    const at = (iso: string, staffId?: string) => checkSlot({ ...rest, start: ms(iso), staffId });
    // now = Mon 08:40 local.
    expect(at('2026-06-01T06:00:00Z')).toEqual({ ok: false, reason: 'slot_in_past' });
    expect(at('2026-06-01T07:00:00Z').ok).toBe(true); // 09:00 local
    expect(at('2026-06-01T07:15:00Z')).toEqual({ ok: false, reason: 'outside_hours' }); // off the 30-min grid
    expect(at('2026-06-01T09:30:00Z', 'ana')).toEqual({ ok: false, reason: 'outside_hours' }); // 11:30 + 60 > 12:00
    expect(at('2026-06-01T13:00:00Z')).toEqual({ ok: false, reason: 'outside_hours' }); // 15:00, grid starts 15:10
    expect(at('2026-06-01T13:10:00Z').ok).toBe(true);
    expect(at('2026-06-01T08:00:00Z')).toEqual({ ok: false, reason: 'slot_unavailable' }); // both busy
    expect(at('2026-06-07T08:00:00Z')).toEqual({ ok: false, reason: 'outside_hours' }); // Sunday
    expect(at('2026-06-01T07:00:00.001Z')).toEqual({ ok: false, reason: 'outside_hours' });
    expect(
      checkSlot({ ...rest, rules: { ...rest.rules, maxAdvanceDays: 1 }, start: ms('2026-06-02T07:00:00Z') }),
    ).toEqual({ ok: false, reason: 'outside_booking_window' });
  });
});

describe('input errors', () => {
  it('throws on malformed dates, times, intervals, rules and zones', () => {
    expect(() => computeSlots(input({ from: '2026-02-30' }))).toThrow(RangeError);
    expect(() => computeSlots(input({ closedDates: ['2026/06/01'] }))).toThrow(RangeError);
    expect(() =>
      computeSlots(input({ staff: [{ id: 'a', weeklyHours: { mon: [['9:00', '12:00']] } }] })),
    ).toThrow(RangeError);
    expect(() =>
      computeSlots(input({ staff: [{ id: 'a', weeklyHours: { mon: [['12:00', '12:00']] } }] })),
    ).toThrow(RangeError);
    expect(() =>
      computeSlots(input({ staff: [{ id: 'a', weeklyHours: { mon: [['12:00', '24:30']] } }] })),
    ).toThrow(RangeError);
    expect(() =>
      computeSlots(input({ rules: { slotStepMinutes: 0, minNoticeMinutes: 0, maxAdvanceDays: 1 } })),
    ).toThrow(RangeError);
    expect(() => computeSlots(input({ timeZone: 'Mars/Olympus' }))).toThrow(RangeError);
    expect(() => computeSlots(input({ now: new Date(NaN) }))).toThrow(RangeError);
  });
});

/* Cross-checks ---------------------------------------------------------------------------------- */

/** A slow, obvious implementation of the same rules, straight on Temporal, for comparison. */
function reference(inp: AvailabilityInput): ComputedSlot[] {
  const tz = inp.timeZone;
  const today = Temporal.Instant.fromEpochMilliseconds(inp.now.getTime())
    .toZonedDateTimeISO(tz)
    .toPlainDate();
  const latest = today.add({ days: inp.rules.maxAdvanceDays }).toZonedDateTime(tz).epochMilliseconds;
  const earliest = inp.now.getTime() + inp.rules.minNoticeMinutes * 60_000;
  const { durationMinutes: dur, bufferBeforeMinutes: before, bufferAfterMinutes: after } = inp.service;
  const resolve = (date: Temporal.PlainDate, hhmm: string) =>
    hhmm === '24:00'
      ? date.add({ days: 1 }).toZonedDateTime(tz).epochMilliseconds
      : date
          .toPlainDateTime(Temporal.PlainTime.from(hhmm))
          .toZonedDateTime(tz, { disambiguation: 'compatible' }).epochMilliseconds;
  const found = new Map<number, string[]>();
  const last = Temporal.PlainDate.from(inp.to);
  for (
    let d = Temporal.PlainDate.from(inp.from);
    Temporal.PlainDate.compare(d, last) <= 0;
    d = d.add({ days: 1 })
  ) {
    for (const st of inp.staff) {
      const iso = d.toString();
      const exception = (st.exceptions ?? []).filter((x) => x.date === iso).at(-1);
      const hours = inp.closedDates?.includes(iso)
        ? []
        : (exception?.hours ?? st.weeklyHours[ALL_DAYS[d.dayOfWeek - 1]] ?? []);
      for (const [a, b] of hours) {
        const s = resolve(d, a);
        const e = resolve(d, b);
        for (let t = s; t + dur * 60_000 <= e; t += inp.rules.slotStepMinutes * 60_000) {
          if (t < earliest || t >= latest) continue;
          const bs = t - before * 60_000;
          const be = t + (dur + after) * 60_000;
          if (inp.busy.some((x) => x.staffId === st.id && x.start < be && x.end > bs)) continue;
          const list = found.get(t) ?? [];
          if (!list.includes(st.id)) list.push(st.id);
          found.set(t, list);
        }
      }
    }
  }
  return [...found.keys()]
    .sort((x, y) => x - y)
    .map((t) => ({
      start: new Date(t).toISOString().replace('.000Z', 'Z'),
      end: new Date(t + dur * 60_000).toISOString().replace('.000Z', 'Z'),
      staff: found.get(t)!,
    }));
}

/** Deterministic PRNG (mulberry32). */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomScenario(seed: number, timeZone: string, from: string, to: string): AvailabilityInput {
  const r = rng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const hhmm = (m: number) =>
    m === 1440
      ? '24:00'
      : `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  const randomHours = (): Interval[] => {
    const out: Interval[] = [];
    let m = pick([0, 60, 90, 120, 420, 480, 540]);
    while (m < 1440 && out.length < 3) {
      const end = Math.min(1440, m + pick([60, 120, 150, 240, 300]));
      out.push([hhmm(m), hhmm(end)]);
      m = end + pick([0, 15, 60, 120, 240]);
    }
    return out;
  };
  const staff: StaffSchedule[] = ['ana', 'ben', 'cleo'].map((id) => ({
    id,
    weeklyHours: Object.fromEntries(ALL_DAYS.filter(() => r() < 0.8).map((d) => [d, randomHours()])),
    exceptions: [{ date: from, hours: r() < 0.5 ? [] : randomHours() }],
  }));
  const fromMs = Date.parse(`${from}T00:00:00Z`);
  const toMs = Date.parse(`${to}T00:00:00Z`) + 86_400_000;
  const busy = Array.from({ length: 120 }, () => {
    const start = fromMs + Math.floor((r() * (toMs - fromMs)) / 300_000) * 300_000;
    return { staffId: pick(['ana', 'ben', 'cleo']), start, end: start + pick([15, 30, 45, 60, 90]) * 60_000 };
  });
  return {
    timeZone,
    from,
    to,
    now: new Date(fromMs + Math.floor(r() * 5) * 86_400_000 + Math.floor(r() * 86_400) * 1000),
    rules: {
      slotStepMinutes: pick([5, 10, 15, 20, 30, 45, 60]),
      minNoticeMinutes: pick([0, 30, 120, 1440]),
      maxAdvanceDays: pick([7, 20, 60]),
    },
    service: {
      durationMinutes: pick([15, 30, 45, 60, 90]),
      bufferBeforeMinutes: pick([0, 5, 10]),
      bufferAfterMinutes: pick([0, 10, 15]),
    },
    staff,
    closedDates: [to],
    busy,
  };
}

describe('cross-checks against a plain Temporal implementation', () => {
  const cases: [string, string, string][] = [
    ['Europe/Madrid', '2026-03-20', '2026-04-05'],
    ['Europe/Madrid', '2026-10-18', '2026-11-02'],
    ['Australia/Sydney', '2026-03-30', '2026-04-10'],
    ['Australia/Sydney', '2026-09-28', '2026-10-10'],
    ['Australia/Lord_Howe', '2026-09-28', '2026-10-10'], // a 30-minute change
    ['America/Santiago', '2026-04-01', '2026-04-10'], // changes at midnight
    ['America/Santiago', '2026-09-01', '2026-09-10'],
    ['America/Havana', '2026-03-05', '2026-03-12'],
    ['America/Los_Angeles', '2026-10-28', '2026-11-05'],
    ['Pacific/Auckland', '2026-09-20', '2026-09-30'],
    ['Asia/Kolkata', '2026-06-01', '2026-06-10'],
    ['UTC', '2026-06-01', '2026-06-10'],
  ];
  for (const [tz, from, to] of cases) {
    it(`${tz} ${from}..${to}: same slots, and checkSlot says yes exactly at those starts`, () => {
      for (let seed = 1; seed <= 3; seed++) {
        const inp = randomScenario(seed * 7919 + from.length, tz, from, to);
        const slots = computeSlots(inp);
        expect(slots).toEqual(reference(inp));
        // Every 5 minutes over the local range: checkSlot agrees with the list, staff by staff.
        const { from: _f, to: _t, ...rest } = inp;
        const byStart = new Map(slots.map((s) => [ms(s.start), s.staff]));
        // Without bookings: the starts on some staff member's grid (inside the window).
        const onGrid = new Set(computeSlots({ ...inp, busy: [] }).map((s) => ms(s.start)));
        const earliest = inp.now.getTime() + inp.rules.minNoticeMinutes * 60_000;
        const latest = Temporal.Instant.fromEpochMilliseconds(inp.now.getTime())
          .toZonedDateTimeISO(tz)
          .toPlainDate()
          .add({ days: inp.rules.maxAdvanceDays })
          .toZonedDateTime(tz).epochMilliseconds;
        const lo = Temporal.PlainDate.from(from).toZonedDateTime(tz).epochMilliseconds;
        const hi = Temporal.PlainDate.from(to).add({ days: 1 }).toZonedDateTime(tz).epochMilliseconds;
        for (let t = lo; t < hi; t += 5 * 60_000) {
          const listed = byStart.get(t);
          const res = checkSlot({ ...rest, start: t });
          expect(res.ok, new Date(t).toISOString()).toBe(listed !== undefined);
          if (listed !== undefined && res.ok) expect(res.staffId).toBe(listed[0]);
          if (!res.ok) {
            const why =
              t < inp.now.getTime()
                ? 'slot_in_past'
                : t < earliest || t >= latest
                  ? 'outside_booking_window'
                  : onGrid.has(t)
                    ? 'slot_unavailable'
                    : 'outside_hours';
            expect(res.reason, new Date(t).toISOString()).toBe(why);
          }
        }
      }
    });
  }
});

describe('createZoneMap matches Temporal', () => {
  const zones = [
    'Europe/Madrid',
    'Europe/London',
    'Australia/Sydney',
    'Australia/Lord_Howe',
    'America/Santiago',
    'America/Havana',
    'America/Los_Angeles',
    'America/St_Johns',
    'Pacific/Auckland',
    'Pacific/Chatham',
    'Africa/Casablanca',
    'Asia/Kolkata',
    'Asia/Tehran',
    'UTC',
  ];
  const DAY = 86_400_000;
  const temporalInstant = (localMs: number, tz: string) => {
    const d = new Date(localMs);
    return new Temporal.PlainDateTime(
      d.getUTCFullYear(),
      d.getUTCMonth() + 1,
      d.getUTCDate(),
      d.getUTCHours(),
      d.getUTCMinutes(),
    ).toZonedDateTime(tz, { disambiguation: 'compatible' }).epochMilliseconds;
  };

  for (const tz of zones) {
    it(`${tz}, 2026: every hour, and every minute of days with a change`, () => {
      for (let month = 0; month < 12; month++) {
        // As computeSlots does for a month: dates firstDay..lastDay, map over [first - 2, last + 3] days.
        const firstDay = Date.UTC(2026, month, 1) / DAY;
        const lastDay = Date.UTC(2026, month + 1, 0) / DAY;
        const zone = createZoneMap(tz, (firstDay - 2) * DAY, (lastDay + 3) * DAY);
        for (let day = firstDay; day <= lastDay + 1; day++) {
          const startOfDay = zone.toInstant(day * DAY);
          const changes = zone.toInstant((day + 1) * DAY) - startOfDay !== DAY;
          // Midnight (the first instant of the day) agrees with Temporal's startOfDay.
          const iso = new Date(day * DAY).toISOString().slice(0, 10);
          expect(startOfDay, `${tz} ${iso}`).toBe(
            Temporal.PlainDate.from(iso).toZonedDateTime(tz).epochMilliseconds,
          );
          const step = changes ? 60_000 : 60 * 60_000;
          for (let local = day * DAY; local < (day + 1) * DAY; local += step) {
            const want = temporalInstant(local, tz);
            const got = zone.toInstant(local);
            if (got !== want)
              expect(new Date(got).toISOString(), `${tz} ${new Date(local).toISOString()}`).toBe(
                new Date(want).toISOString(),
              );
            // And back: the wall clock of an instant.
            const wall = Temporal.Instant.fromEpochMilliseconds(local - 12 * 3600_000).toZonedDateTimeISO(tz);
            expect(zone.toLocal(local - 12 * 3600_000)).toBe(
              Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second),
            );
          }
        }
      }
    });
  }

  it('parseDate counts days since 1970-01-01 and refuses impossible dates', () => {
    expect(parseDate('1970-01-02')).toBe(1);
    expect(parseDate('2026-03-29')).toBe(Date.UTC(2026, 2, 29) / DAY);
    expect(() => parseDate('2026-13-01')).toThrow(RangeError);
    expect(() => parseDate('2026-1-01')).toThrow(RangeError);
  });
});

/**
 * DOM-free logic of the booking form's calendar: which days of a month have slots in the
 * viewer's time zone, the month grid, and slots of a day grouped by part of the day.
 */
import type { Slot } from '../../../api/contract.js';
import {
  addDays,
  daysInMonth,
  firstDayOfWeek,
  hourInZone,
  weekdayIndex,
  ymdInZone,
  ymdKey,
  type YMD,
} from '../../../core/intl.js';

export type PartOfDay = 'morning' | 'afternoon' | 'evening';

/** Slots bucketed by calendar day (YYYY-MM-DD) in `timeZone`, each day's slots in time order. */
export function slotsByDay(slots: readonly Slot[], timeZone: string): Map<string, Slot[]> {
  const days = new Map<string, Slot[]>();
  for (const slot of slots) {
    const key = ymdKey(ymdInZone(slot.start, timeZone));
    const list = days.get(key);
    if (list) list.push(slot);
    else days.set(key, [slot]);
  }
  for (const list of days.values()) {
    // Usually already in order (the server sorts them); sort only when not.
    if (list.some((s, i) => i > 0 && Date.parse(s.start) < Date.parse(list[i - 1]!.start)))
      list.sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  }
  return days;
}

/**
 * The hours where the afternoon and the evening start. They are the language's, not universal:
 * English afternoon starts at 12:00 and evening at 18:00; a Spanish "tarde" starts after lunch
 * and runs to about 20:00. Each catalog carries its own (`Strings.dayParts`).
 */
export type DayParts = readonly [afternoon: number, evening: number];
export const DEFAULT_DAY_PARTS: DayParts = [12, 18];

/** Morning, afternoon or evening of an instant in the viewer's zone, by the language's hours. */
export function partOfDay(instant: string, timeZone: string, parts: DayParts = DEFAULT_DAY_PARTS): PartOfDay {
  const h = hourInZone(instant, timeZone);
  return h < parts[0] ? 'morning' : h < parts[1] ? 'afternoon' : 'evening';
}

export function groupByPartOfDay(
  slots: readonly Slot[],
  timeZone: string,
  parts: DayParts = DEFAULT_DAY_PARTS,
): { part: PartOfDay; slots: Slot[] }[] {
  const groups: Record<PartOfDay, Slot[]> = { morning: [], afternoon: [], evening: [] };
  for (const s of slots) groups[partOfDay(s.start, timeZone, parts)].push(s);
  return (['morning', 'afternoon', 'evening'] as const)
    .map((part) => ({ part, slots: groups[part] }))
    .filter((g) => g.slots.length > 0);
}

/** The weeks of a month as rows of 7 cells (null outside the month), starting on the locale's first weekday. */
export function monthGrid(year: number, month: number, locale: string): (YMD | null)[][] {
  const first: YMD = { year, month, day: 1 };
  const start = (firstDayOfWeek(locale) - 1) % 7; // 0 = Monday
  const lead = (weekdayIndex(first) - start + 7) % 7;
  const cells: (YMD | null)[] = Array.from({ length: lead }, () => null);
  for (let d = 1; d <= daysInMonth(year, month); d++) cells.push({ year, month, day: d });
  while (cells.length % 7) cells.push(null);
  const rows: (YMD | null)[][] = [];
  for (let i = 0; i < cells.length; i += 7) rows.push(cells.slice(i, i + 7));
  return rows;
}

/** The 7 weekday indexes (0 = Monday) in display order for a locale. */
export function weekdayOrder(locale: string): number[] {
  const start = (firstDayOfWeek(locale) - 1) % 7;
  return Array.from({ length: 7 }, (_, i) => (start + i) % 7);
}

/**
 * The business-zone date range to ask the server for so that every slot that falls inside the
 * viewer's month is included, whatever the two zones: the month widened by one day each side.
 */
export function queryRangeForMonth(year: number, month: number): { from: string; to: string } {
  return {
    from: ymdKey(addDays({ year, month, day: 1 }, -1)),
    to: ymdKey(addDays({ year, month, day: daysInMonth(year, month) }, 1)),
  };
}

/** Keyboard movement in the month grid: the target day for a key, or null when the key is not ours. */
export function moveFocus(day: YMD, key: string, locale: string): YMD | null {
  const order = weekdayOrder(locale);
  const col = order.indexOf(weekdayIndex(day));
  switch (key) {
    case 'ArrowLeft':
      return addDays(day, -1);
    case 'ArrowRight':
      return addDays(day, 1);
    case 'ArrowUp':
      return addDays(day, -7);
    case 'ArrowDown':
      return addDays(day, 7);
    case 'Home':
      return addDays(day, -col);
    case 'End':
      return addDays(day, 6 - col);
    case 'PageUp':
      return sameDayOtherMonth(day, -1);
    case 'PageDown':
      return sameDayOtherMonth(day, 1);
    default:
      return null;
  }
}

function sameDayOtherMonth(d: YMD, delta: number): YMD {
  const t = new Date(Date.UTC(d.year, d.month - 1 + delta, 1));
  const year = t.getUTCFullYear();
  const month = t.getUTCMonth() + 1;
  return { year, month, day: Math.min(d.day, daysInMonth(year, month)) };
}

/**
 * The business's days (DOM-free, tested in Node): the console's date fields are days in the
 * business's time zone, whatever the browser's own, and the API wants instants. A day starts at
 * its local midnight, found with the zone's offset there (asked twice: the first guess may sit on
 * the other side of a DST change).
 */
import { addDays, parseYmd, ymdInZone, ymdKey, zoneOffset } from '../../../core/intl.js';

/** The instant (ISO 8601, UTC) a day (`YYYY-MM-DD`) starts in the zone. */
export function startOfDay(day: string, timeZone: string): string {
  const { year, month, day: d } = parseYmd(day);
  const wall = Date.UTC(year, month - 1, d);
  const first = wall - zoneOffset(wall, timeZone) * 60_000;
  return new Date(wall - zoneOffset(first, timeZone) * 60_000).toISOString();
}

/** The instant the day after `day` starts: the end (exclusive) of a range ending on `day`. */
export function endOfDay(day: string, timeZone: string): string {
  return startOfDay(shiftDay(day, 1), timeZone);
}

/** Today in the zone, as `YYYY-MM-DD`. */
export function todayIn(timeZone: string, now: Date | number = Date.now()): string {
  return ymdKey(ymdInZone(now, timeZone));
}

/** `day` moved by `n` days. */
export function shiftDay(day: string, n: number): string {
  return ymdKey(addDays(parseYmd(day), n));
}

/** Checks `YYYY-MM-DD` (what `<input type="date">` gives, or an empty string). */
export const isDay = (v: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`));

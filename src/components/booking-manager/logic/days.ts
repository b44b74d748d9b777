/**
 * DOM-free helpers of the manager's "change time" panel. They use `Intl` directly rather than the
 * booking form's calendar helpers: the manager is a lazy chunk, and every helper it imports from
 * the first-view bundle must stay exported (and un-inlined) there, which costs the first view.
 */
import type { Slot } from '../../../api/contract.js';

const formats = new Map<string, Intl.DateTimeFormat>();
function dtf(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = locale + JSON.stringify(options);
  let f = formats.get(key);
  if (!f) formats.set(key, (f = new Intl.DateTimeFormat(locale, options)));
  return f;
}

/** The calendar day (YYYY-MM-DD) of an instant in `timeZone`. */
export function dayKey(instant: string | number, timeZone: string): string {
  // Swedish dates are written YYYY-MM-DD.
  return dtf('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(instant),
  );
}

/** `key` (YYYY-MM-DD) plus `n` days. */
export function addDays(key: string, n: number): string {
  return new Date(Date.parse(`${key}T12:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** "Thursday 2 April" in `locale`. */
export function dayLabel(key: string, locale: string): string {
  return dtf(locale, { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long' }).format(
    Date.parse(`${key}T12:00:00Z`),
  );
}

/** "10:30" (or "10:30 AM") in `locale` and `timeZone`. */
export function timeLabel(instant: string, locale: string, timeZone: string): string {
  return dtf(locale, { timeZone, hour: 'numeric', minute: '2-digit' }).format(new Date(instant));
}

/** Slots by day in `timeZone`, days and slots in time order (the server sends them sorted). */
export function slotsByDayKey(slots: readonly Slot[], timeZone: string): Map<string, Slot[]> {
  const days = new Map<string, Slot[]>();
  for (const s of [...slots].sort((a, b) => Date.parse(a.start) - Date.parse(b.start))) {
    const key = dayKey(s.start, timeZone);
    days.set(key, [...(days.get(key) ?? []), s]);
  }
  return days;
}

/** A "book again" address: https:, or http: on a loopback host (development). */
export function bookUrlOk(url: string): boolean {
  try {
    const u = new URL(url);
    return (
      u.protocol === 'https:' ||
      (u.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname))
    );
  } catch {
    return false;
  }
}

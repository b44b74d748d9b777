/**
 * The bookings section's views as ranges of local dates in the business's zone (DOM-free, tested
 * in Node: test/console-bookings-range.spec.ts). A view is anchored on one day; the range is that
 * day, its week (starting on the locale's first day of the week), or its month. Previous and next
 * move the anchor by one view; the month keeps its first day, so months of any length step cleanly.
 */
import {
  addDays,
  addMonths,
  daysInMonth,
  firstDayOfWeek,
  formatYmd,
  parseYmd,
  weekdayIndex,
  ymdKey,
} from '../../../../core/intl.js';

export type BookingsView = 'day' | 'week' | 'month';

export interface LocalRange {
  from: string;
  to: string;
}

export function rangeOf(view: BookingsView, anchor: string, locale: string): LocalRange {
  const d = parseYmd(anchor);
  if (view === 'day') return { from: anchor, to: anchor };
  if (view === 'month')
    return {
      from: ymdKey({ ...d, day: 1 }),
      to: ymdKey({ ...d, day: daysInMonth(d.year, d.month) }),
    };
  // weekdayIndex: 0 = Monday; firstDayOfWeek: 1 = Monday ... 7 = Sunday.
  const back = (weekdayIndex(d) - (firstDayOfWeek(locale) - 1) + 7) % 7;
  const start = addDays(d, -back);
  return { from: ymdKey(start), to: ymdKey(addDays(start, 6)) };
}

/** The anchor one view earlier (`step` -1) or later (+1). */
export function stepAnchor(view: BookingsView, anchor: string, step: -1 | 1): string {
  const d = parseYmd(anchor);
  if (view === 'month') return ymdKey(addMonths(d, step));
  return ymdKey(addDays(d, view === 'week' ? 7 * step : step));
}

/** The range as people read it: "Wednesday, 4 March 2026", "2–8 Mar 2026", "March 2026". */
export function rangeLabel(view: BookingsView, r: LocalRange, locale: string): string {
  const from = parseYmd(r.from);
  if (view === 'day')
    return formatYmd(from, locale, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
  if (view === 'month') return formatYmd(from, locale, { month: 'long', year: 'numeric' });
  const to = parseYmd(r.to);
  const f = new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
  return f.formatRange(
    Date.UTC(from.year, from.month - 1, from.day, 12),
    Date.UTC(to.year, to.month - 1, to.day, 12),
  );
}

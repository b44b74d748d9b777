/**
 * Dates, times and money, always through Intl with an explicit locale and time zone. No date
 * library in the browser bundle: the few calendar computations needed are done here on
 * plain Y-M-D values and instants.
 */

export interface YMD {
  year: number;
  month: number; // 1-12
  day: number;
}

const dtfCache = new Map<string, Intl.DateTimeFormat>();
function dtf(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = locale + JSON.stringify(options);
  let f = dtfCache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, options);
    dtfCache.set(key, f);
  }
  return f;
}

/** The viewer's time zone (IANA name), `UTC` when the browser cannot tell. */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** The calendar day of an instant in a time zone. */
export function ymdInZone(instant: Date | number | string, timeZone: string): YMD {
  const parts = dtf('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' }).formatToParts(
    new Date(instant),
  );
  const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  return { year: get('year'), month: get('month'), day: get('day') };
}

/** The hour (0-23) of an instant in a time zone. */
export function hourInZone(instant: Date | number | string, timeZone: string): number {
  const h = dtf('en-US', { timeZone, hour: 'numeric', hourCycle: 'h23' })
    .formatToParts(new Date(instant))
    .find((p) => p.type === 'hour')!.value;
  return Number(h) % 24;
}

export const ymdKey = ({ year, month, day }: YMD): string =>
  `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;

export function parseYmd(key: string): YMD {
  const [year, month, day] = key.split('-').map(Number) as [number, number, number];
  return { year, month, day };
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Adds days to a calendar day (proleptic Gregorian, no time zone involved). */
export function addDays(d: YMD, n: number): YMD {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + n));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

export function addMonths(d: YMD, n: number): YMD {
  const t = new Date(Date.UTC(d.year, d.month - 1 + n, 1));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: 1 };
}

/** 0 = Monday ... 6 = Sunday. */
export function weekdayIndex(d: YMD): number {
  return (new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay() + 6) % 7;
}

/** First day of the week for a locale (1 = Monday ... 7 = Sunday), Monday when unknown. */
export function firstDayOfWeek(locale: string): number {
  try {
    const loc = new Intl.Locale(locale) as Intl.Locale & {
      getWeekInfo?: () => { firstDay: number };
      weekInfo?: { firstDay: number };
    };
    return loc.getWeekInfo?.().firstDay ?? loc.weekInfo?.firstDay ?? 1;
  } catch {
    return 1;
  }
}

/** Formats a calendar day (given as Y-M-D, not an instant) in a locale. */
export function formatYmd(d: YMD, locale: string, options: Intl.DateTimeFormatOptions): string {
  return dtf(locale, { ...options, timeZone: 'UTC' }).format(Date.UTC(d.year, d.month - 1, d.day, 12));
}

export function formatTime(instant: string | number | Date, locale: string, timeZone: string): string {
  return dtf(locale, { timeZone, hour: 'numeric', minute: '2-digit' }).format(new Date(instant));
}

export function formatDateTime(instant: string | number | Date, locale: string, timeZone: string): string {
  return dtf(locale, { timeZone, dateStyle: 'full', timeStyle: 'short' }).format(new Date(instant));
}

/** A readable name of a time zone in a locale, e.g. "Central European Standard Time" or "hora de Europa central". */
export function zoneName(timeZone: string, locale: string, at: Date | number = Date.now()): string {
  const part = dtf(locale, { timeZone, timeZoneName: 'long' })
    .formatToParts(new Date(at))
    .find((p) => p.type === 'timeZoneName');
  return part ? `${part.value}, ${timeZone.replace(/_/g, ' ')}` : timeZone;
}

/** True when two zones show the same wall-clock time at a given instant. */
export function sameOffset(a: string, b: string, at: Date | number = Date.now()): boolean {
  const f = (tz: string) =>
    dtf('en-US', {
      timeZone: tz,
      hour: 'numeric',
      minute: 'numeric',
      day: 'numeric',
      hourCycle: 'h23',
    }).format(new Date(at));
  return a === b || f(a) === f(b);
}

export function formatMoney(amountMinor: number, currency: string, locale: string): string {
  const f = new Intl.NumberFormat(locale, { style: 'currency', currency });
  const digits = f.resolvedOptions().maximumFractionDigits ?? 2;
  return f.format(amountMinor / 10 ** digits);
}

export function formatDuration(minutes: number, locale: string): string {
  const DurationFormat = (
    Intl as unknown as { DurationFormat?: new (l: string, o: object) => { format(d: object): string } }
  ).DurationFormat;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (DurationFormat) return new DurationFormat(locale, { style: 'short' }).format({ hours: h, minutes: m });
  return new Intl.NumberFormat(locale, { style: 'unit', unit: 'minute', unitDisplay: 'short' }).format(
    minutes,
  );
}

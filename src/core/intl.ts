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

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Per zone: UTC day or hour start -> offset in minutes (NaN: it changes inside that span). */
const offsetCache = new Map<string, { days: Map<number, number>; hours: Map<number, number> }>();

/** The zone's UTC offset in minutes at an instant, straight from Intl. */
function offsetAt(ms: number, timeZone: string): number {
  const parts = dtf('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(ms);
  const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  const local = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour') % 24,
    get('minute'),
    get('second'),
  );
  return Math.round((local - Math.floor(ms / 1000) * 1000) / 60_000);
}

/** The offset over [start, start + span), or NaN when it is not the same at both ends. */
function spanOffset(cache: Map<number, number>, start: number, span: number, timeZone: string): number {
  let offset = cache.get(start);
  if (offset === undefined) {
    const a = offsetAt(start, timeZone);
    offset = a === offsetAt(start + span - 1000, timeZone) ? a : NaN;
    if (cache.size > 5_000) cache.clear();
    cache.set(start, offset);
  }
  return offset;
}

/**
 * The zone's UTC offset in minutes at an instant. Asking Intl is slow, so offsets are cached
 * per UTC day: when the offset is the same at both ends of the day it holds all day (zones
 * change at most once a day); on a day with a change, per UTC hour the same way; within the
 * hour of a change, the instant is asked of Intl directly.
 */
export function zoneOffset(instant: Date | number | string, timeZone: string): number {
  const ms = new Date(instant).getTime();
  let cache = offsetCache.get(timeZone);
  if (!cache) offsetCache.set(timeZone, (cache = { days: new Map(), hours: new Map() }));
  const day = spanOffset(cache.days, Math.floor(ms / DAY) * DAY, DAY, timeZone);
  if (!Number.isNaN(day)) return day;
  const hour = spanOffset(cache.hours, Math.floor(ms / HOUR) * HOUR, HOUR, timeZone);
  return Number.isNaN(hour) ? offsetAt(ms, timeZone) : hour;
}

/** The calendar day of an instant in a time zone. */
export function ymdInZone(instant: Date | number | string, timeZone: string): YMD {
  const local = new Date(new Date(instant).getTime() + zoneOffset(instant, timeZone) * 60_000);
  return { year: local.getUTCFullYear(), month: local.getUTCMonth() + 1, day: local.getUTCDate() };
}

/** The hour (0-23) of an instant in a time zone. */
export function hourInZone(instant: Date | number | string, timeZone: string): number {
  return new Date(new Date(instant).getTime() + zoneOffset(instant, timeZone) * 60_000).getUTCHours();
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

/** A day as "2 Mar 2026" / "2 mar 2026", in `timeZone` (the viewer's when absent). */
export function formatDate(instant: string | number | Date, locale: string, timeZone?: string): string {
  return dtf(locale, { ...(timeZone ? { timeZone } : {}), dateStyle: 'medium' }).format(new Date(instant));
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

/**
 * The availability engine: which start times a service can be booked at, and whether one requested
 * start can. DOM-free and database-free; the HTTP layer loads the schedule and the live bookings and
 * calls `computeSlots` (GET availability) or `checkSlot` (POST booking). Both share one code path,
 * so every slot `computeSlots` lists passes `checkSlot`.
 *
 * Rules (all evaluated in the business's IANA time zone, on the injected server clock `now`):
 *
 * - Working intervals. A staff member's hours on a local date D are, in this order of precedence:
 *   none if D is in `closedDates`; the hours of an exception for D (the last one listed wins; `[]`
 *   closes the day); else `weeklyHours[weekday of D]`. Each interval `[a, b]` is local wall-clock
 *   time on D; `'24:00'` is the start of D + 1.
 * - Wall clock to instant. Each interval endpoint is resolved with Temporal's `'compatible'`
 *   disambiguation: a local time inside a spring-forward gap is moved forward by the gap's length
 *   (02:30 on a 02:00->03:00 day is 03:30 of the new offset); a local time repeated by a fall-back
 *   change is its first (earlier) occurrence. A working interval that crosses a change therefore has
 *   its real duration (one hour shorter or longer than the wall clock says), and an interval whose
 *   endpoints resolve to start >= end is empty.
 * - Grid. Candidate starts are `start + k * slotStepMinutes` in absolute time from the interval's
 *   start instant (k = 0, 1, ...). Away from an offset change this is the wall-clock grid aligned on
 *   the interval's start; across a change it never yields a nonexistent local time nor the same
 *   instant twice (on a fall-back day both occurrences of 02:30 are distinct slots). After a change
 *   that is not a multiple of the step (e.g. Lord Howe's 30 minutes with a 45-minute step) the
 *   wall-clock labels of later starts shift by the change.
 * - Fit. The service itself (without buffers) must end by the interval's end: start + duration <=
 *   end. Buffers may reach outside working hours.
 * - Busy. A candidate is free for a staff member when `blockedInterval(start)` = [start -
 *   bufferBefore, start + duration + bufferAfter) overlaps none of that member's busy intervals
 *   (half-open: touching is not overlapping).
 * - Minimum notice: start >= now + minNoticeMinutes.
 * - Maximum advance: start < the first instant of the local date `today + maxAdvanceDays`, where
 *   `today` is the local date of `now`. The window holds exactly `maxAdvanceDays` calendar days,
 *   today included (maxAdvanceDays = 1: today only).
 * - A slot is one start instant; it lists every staff member free for it, in the order of
 *   `input.staff`; slots are sorted by start. `end` is start + duration (buffers excluded).
 *   Only the hours of local dates `from`..`to` produce slots.
 *
 * Speed: a month for three staff is a fraction of a millisecond. Offsets come from the zone's
 * transitions, fetched once per call from Temporal (temporal-polyfill) for the requested range; the
 * wall-clock to instant conversion then reads them (see `createZoneMap`, tested against Temporal
 * minute by minute around every transition; `checkSlot` reuses cached maps). Busy intervals are
 * sorted and merged per staff member,
 * then swept alongside the candidates.
 */
import { Temporal } from 'temporal-polyfill';

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
export type HHMM = string; // '09:00' .. '24:00'
export type Interval = [HHMM, HHMM]; // local wall-clock, start < end
export interface StaffSchedule {
  id: string;
  weeklyHours: Partial<Record<Weekday, Interval[]>>;
  /** One-off days: closed (hours: []) or special hours; replaces the weekly hours that day. */
  exceptions?: { date: string /* YYYY-MM-DD */; hours: Interval[] }[];
}
export interface AvailabilityInput {
  timeZone: string; // the business's IANA zone
  from: string;
  to: string; // YYYY-MM-DD inclusive, in the business zone
  now: Date; // the server's clock
  rules: { slotStepMinutes: number; minNoticeMinutes: number; maxAdvanceDays: number };
  service: { durationMinutes: number; bufferBeforeMinutes: number; bufferAfterMinutes: number };
  staff: StaffSchedule[]; // staff who can perform the service (already filtered; may be one when the customer chose)
  closedDates?: string[]; // business-wide holidays, YYYY-MM-DD
  /** Existing live bookings as the intervals they block (buffers already included), epoch ms. */
  busy: { staffId: string; start: number; end: number }[];
}
/** `start` and `end` are instants in UTC, e.g. `2026-03-29T01:00:00Z` (the contract's Instant). */
export interface ComputedSlot {
  start: string;
  end: string;
  staff: string[];
}
export type CheckSlotInput = Omit<AvailabilityInput, 'from' | 'to'> & {
  /** The requested start, epoch ms. */
  start: number;
  /** Only this staff member; absent: the first free one in the order of `staff`. */
  staffId?: string;
};
/**
 * Why a start is refused: `slot_in_past` (start < now), `outside_booking_window` (inside the
 * minimum notice or at/after the maximum advance), `outside_hours` (not a start on any eligible
 * staff member's grid, or the service would not fit; also when `staffId` is not in `staff`),
 * `slot_unavailable` (on the grid, but every eligible staff member is busy).
 */
export type CheckSlotResult =
  | { ok: true; staffId: string }
  | { ok: false; reason: 'slot_in_past' | 'outside_booking_window' | 'outside_hours' | 'slot_unavailable' };

const MINUTE = 60_000;
const DAY = 86_400_000;
const WEEKDAYS: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']; // index = (day + 4) mod 7

/** The interval a booking at `start` blocks: [start - bufferBefore, start + duration + bufferAfter). */
export function blockedInterval(
  startMs: number,
  service: AvailabilityInput['service'],
): { start: number; end: number } {
  return {
    start: startMs - service.bufferBeforeMinutes * MINUTE,
    end: startMs + (service.durationMinutes + service.bufferAfterMinutes) * MINUTE,
  };
}

/** Every start at which the service can be booked on the local dates `from`..`to`, sorted. */
export function computeSlots(input: AvailabilityInput): ComputedSlot[] {
  const ctx = prepare(input);
  const fromDay = parseDate(input.from, 'from');
  const toDay = parseDate(input.to, 'to');
  // Days wholly outside the booking window produce nothing; a day of margin covers offset changes
  // at midnight (a slot's instant is then still filtered exactly below).
  const firstDay = Math.max(fromDay, ctx.todayDay - 1);
  const lastDay = Math.min(toDay, ctx.limitDay);
  if (firstDay > lastDay) return [];
  const zone = createZoneMap(input.timeZone, (firstDay - 2) * DAY, (lastDay + 3) * DAY);

  // One ascending list of free starts per staff member, then a merge of the lists.
  const free: number[][] = [];
  for (const member of ctx.staff) {
    const busy = ctx.busy.get(member.id);
    const busyStart = busy?.start ?? EMPTY;
    const busyEnd = busy?.end ?? EMPTY;
    const nb = busyStart.length;
    const out: number[] = [];
    let sorted = true;
    for (let day = firstDay; day <= lastDay; day++) {
      const hours = hoursOn(member, day, ctx.closed);
      for (let h = 0; h < hours.length; h += 2) {
        const s = zone.toInstant(day * DAY + hours[h] * MINUTE);
        const e = zone.toInstant(day * DAY + hours[h + 1] * MINUTE);
        const lastStart = Math.min(e - ctx.durationMs, ctx.latest - 1);
        let t = s;
        if (t < ctx.earliest) t += Math.ceil((ctx.earliest - t) / ctx.stepMs) * ctx.stepMs;
        if (t > lastStart) continue;
        if (out.length > 0 && t <= out[out.length - 1]) sorted = false;
        let j = firstEndingAfter(busyEnd, t - ctx.beforeMs);
        for (; t <= lastStart; t += ctx.stepMs) {
          const blockStart = t - ctx.beforeMs;
          while (j < nb && busyEnd[j] <= blockStart) j++;
          if (j < nb && busyStart[j] < t + ctx.durationAfterMs) continue;
          out.push(t);
        }
      }
    }
    // Overlapping intervals (or an offset change at midnight) can repeat or reorder starts.
    free.push(sorted ? out : Array.from(new Set(out)).sort((x, y) => x - y));
  }

  // Staff ids per start, in the order of `input.staff`: one pass over the free lists (linear in
  // the number of free starts), then the starts sorted once. A staff id listed twice in
  // `input.staff` is reported once, at its first free position (the only case that needs a search).
  const seenIds = new Set<string>();
  const repeated = new Set<string>();
  for (const member of ctx.staff) (seenIds.has(member.id) ? repeated : seenIds).add(member.id);
  const byStart = new Map<number, string[]>();
  for (let k = 0; k < free.length; k++) {
    const id = ctx.staff[k].id;
    const dup = repeated.has(id);
    for (const t of free[k]) {
      const ids = byStart.get(t);
      if (ids === undefined) byStart.set(t, [id]);
      else if (!dup || !ids.includes(id)) ids.push(id);
    }
  }
  const starts = Array.from(byStart.keys());
  if (free.length > 1) starts.sort((x, y) => x - y);
  const slots: ComputedSlot[] = new Array<ComputedSlot>(starts.length);
  const isoInstant = isoFormatter();
  for (let i = 0; i < starts.length; i++) {
    const t = starts[i];
    slots[i] = { start: isoInstant(t), end: isoInstant(t + ctx.durationMs), staff: byStart.get(t)! };
  }
  return slots;
}

/** Checks one requested start against the same rules as `computeSlots` and says why not. */
export function checkSlot(input: CheckSlotInput): CheckSlotResult {
  const ctx = prepare(input);
  const t = input.start;
  if (!Number.isFinite(t)) throw new RangeError('start must be an epoch-ms number');
  if (t < ctx.nowMs) return { ok: false, reason: 'slot_in_past' };
  if (t < ctx.earliest || t >= ctx.latest) return { ok: false, reason: 'outside_booking_window' };

  const zone = cachedZoneMap(input.timeZone, t - 4 * DAY, t + 4 * DAY);
  const localDay = Math.floor(zone.toLocal(t) / DAY);
  let onGrid = false;
  for (const member of ctx.staff) {
    if (input.staffId !== undefined && member.id !== input.staffId) continue;
    if (!onGridFor(member, zone, localDay, t, ctx)) continue;
    onGrid = true;
    const busy = ctx.busy.get(member.id);
    if (busy !== undefined) {
      const j = firstEndingAfter(busy.end, t - ctx.beforeMs);
      if (j < busy.start.length && busy.start[j] < t + ctx.durationAfterMs) continue;
    }
    return { ok: true, staffId: member.id };
  }
  return { ok: false, reason: onGrid ? 'slot_unavailable' : 'outside_hours' };
}

/* ------------------------------------------------------------------------------------------------
 * Preparation shared by both entry points
 * --------------------------------------------------------------------------------------------- */

interface PreparedStaff {
  id: string;
  /** Per weekday index (0 = Sunday), flat [start, end, start, end...] in minutes of the day. */
  weekly: number[][];
  exceptions: Map<number, number[]>;
}
interface Prepared {
  nowMs: number;
  earliest: number;
  latest: number;
  todayDay: number;
  limitDay: number;
  stepMs: number;
  durationMs: number;
  beforeMs: number;
  durationAfterMs: number;
  staff: PreparedStaff[];
  closed: Set<number>;
  busy: Map<string, { start: number[]; end: number[] }>;
}

const EMPTY: number[] = [];
const NO_HOURS: number[] = [];

function prepare(input: Omit<AvailabilityInput, 'from' | 'to'>): Prepared {
  const { rules, service } = input;
  const step = wholeMinutes(rules.slotStepMinutes, 'slotStepMinutes', 1);
  const notice = wholeMinutes(rules.minNoticeMinutes, 'minNoticeMinutes', 0);
  const advance = wholeMinutes(rules.maxAdvanceDays, 'maxAdvanceDays', 0);
  const duration = wholeMinutes(service.durationMinutes, 'durationMinutes', 1);
  const before = wholeMinutes(service.bufferBeforeMinutes, 'bufferBeforeMinutes', 0);
  const after = wholeMinutes(service.bufferAfterMinutes, 'bufferAfterMinutes', 0);
  const nowMs = input.now.getTime();
  if (!Number.isFinite(nowMs)) throw new RangeError('now is an invalid Date');

  // Today's local date and the first instant of the date `maxAdvanceDays` later, straight from
  // Temporal (`now` may be far from the requested range).
  const today = Temporal.Instant.fromEpochMilliseconds(nowMs)
    .toZonedDateTimeISO(input.timeZone)
    .toPlainDate();
  const todayDay = Date.UTC(today.year, today.month - 1, today.day) / DAY;
  const latest = today.add({ days: advance }).toZonedDateTime(input.timeZone).epochMilliseconds;

  const staff = input.staff.map(prepareStaff);
  const closed = new Set<number>();
  for (const d of input.closedDates ?? []) closed.add(parseDate(d, 'closedDates'));

  const wanted = new Set(staff.map((s) => s.id));
  const grouped = new Map<string, { start: number; end: number }[]>();
  for (const b of input.busy) {
    if (!wanted.has(b.staffId) || !(b.end > b.start)) continue;
    let list = grouped.get(b.staffId);
    if (list === undefined) grouped.set(b.staffId, (list = []));
    list.push(b);
  }
  const busy = new Map<string, { start: number[]; end: number[] }>();
  for (const [id, list] of grouped) busy.set(id, mergeIntervals(list));

  return {
    nowMs,
    earliest: nowMs + notice * MINUTE,
    latest,
    todayDay,
    limitDay: todayDay + advance,
    stepMs: step * MINUTE,
    durationMs: duration * MINUTE,
    beforeMs: before * MINUTE,
    durationAfterMs: (duration + after) * MINUTE,
    staff,
    closed,
    busy,
  };
}

function prepareStaff(s: StaffSchedule): PreparedStaff {
  const weekly = WEEKDAYS.map((wd) => parseHours(s.weeklyHours[wd] ?? [], `${s.id}.weeklyHours.${wd}`));
  const exceptions = new Map<number, number[]>();
  for (const x of s.exceptions ?? []) {
    exceptions.set(
      parseDate(x.date, `${s.id}.exceptions`),
      parseHours(x.hours, `${s.id}.exceptions.${x.date}`),
    );
  }
  return { id: s.id, weekly, exceptions };
}

function hoursOn(member: PreparedStaff, day: number, closed: Set<number>): number[] {
  if (closed.has(day)) return NO_HOURS;
  return member.exceptions.get(day) ?? member.weekly[(((day + 4) % 7) + 7) % 7];
}

/** Is `t` a grid start of one of the member's intervals (local dates around `localDay`) that fits the service? */
function onGridFor(
  member: PreparedStaff,
  zone: ZoneMap,
  localDay: number,
  t: number,
  ctx: Prepared,
): boolean {
  // An interval of date D holds instants of local date D only, except around an offset change at
  // midnight; the neighbouring dates cover that.
  for (let day = localDay - 1; day <= localDay + 1; day++) {
    const hours = hoursOn(member, day, ctx.closed);
    for (let h = 0; h < hours.length; h += 2) {
      const s = zone.toInstant(day * DAY + hours[h] * MINUTE);
      const e = zone.toInstant(day * DAY + hours[h + 1] * MINUTE);
      if (t >= s && t + ctx.durationMs <= e && (t - s) % ctx.stepMs === 0) return true;
    }
  }
  return false;
}

/** Sorts and merges overlapping or touching intervals; both arrays then increase strictly. */
function mergeIntervals(list: { start: number; end: number }[]): { start: number[]; end: number[] } {
  const sorted = list.slice().sort((a, b) => a.start - b.start);
  const start: number[] = [];
  const end: number[] = [];
  for (const b of sorted) {
    const n = end.length;
    if (n > 0 && b.start <= end[n - 1]) {
      if (b.end > end[n - 1]) end[n - 1] = b.end;
    } else {
      start.push(b.start);
      end.push(b.end);
    }
  }
  return { start, end };
}

/** Index of the first interval whose end is > x (ends increase). */
function firstEndingAfter(ends: number[], x: number): number {
  let lo = 0;
  let hi = ends.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ends[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/* ------------------------------------------------------------------------------------------------
 * Parsing
 * --------------------------------------------------------------------------------------------- */

function wholeMinutes(v: number, name: string, min: number): number {
  if (!Number.isSafeInteger(v) || v < min) throw new RangeError(`${name} must be an integer >= ${min}`);
  return v;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** YYYY-MM-DD to days since 1970-01-01. */
export function parseDate(v: string, name = 'date'): number {
  const m = DATE_RE.exec(v);
  if (m !== null) {
    const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
    const d = new Date(ms);
    if (
      d.getUTCFullYear() === Number(m[1]) &&
      d.getUTCMonth() === Number(m[2]) - 1 &&
      d.getUTCDate() === Number(m[3])
    ) {
      return ms / DAY;
    }
  }
  throw new RangeError(`${name}: not a date YYYY-MM-DD: ${JSON.stringify(v)}`);
}

const HHMM_RE = /^(?:([01]\d|2[0-3]):([0-5]\d)|24:00)$/;

function parseHours(intervals: Interval[], name: string): number[] {
  const out: number[] = [];
  for (const [a, b] of intervals) {
    const start = parseHHMM(a, name);
    const end = parseHHMM(b, name);
    if (start >= end) throw new RangeError(`${name}: interval ${a}-${b} does not end after it starts`);
    out.push(start, end);
  }
  return out;
}

function parseHHMM(v: string, name: string): number {
  const m = HHMM_RE.exec(v);
  if (m === null) throw new RangeError(`${name}: not a time HH:MM (00:00..24:00): ${JSON.stringify(v)}`);
  return m[1] === undefined ? 1440 : Number(m[1]) * 60 + Number(m[2]);
}

const PAD2 = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));

/**
 * Formats instants as `2026-03-29T01:00:00Z` (with milliseconds only when non-zero), several times
 * faster than `Date#toISOString`: the date part is built once per UTC day.
 */
function isoFormatter(): (ms: number) => string {
  const dates = new Map<number, string>();
  return (ms) => {
    if (ms % 1000 !== 0 || !(ms >= 0 && ms < 253_402_300_800_000)) return new Date(ms).toISOString();
    const day = Math.floor(ms / DAY);
    let date = dates.get(day);
    if (date === undefined) dates.set(day, (date = new Date(day * DAY).toISOString().slice(0, 11)));
    const secs = (ms - day * DAY) / 1000;
    return (
      date +
      PAD2[Math.floor(secs / 3600)] +
      ':' +
      PAD2[Math.floor(secs / 60) % 60] +
      ':' +
      PAD2[secs % 60] +
      'Z'
    );
  };
}

/* ------------------------------------------------------------------------------------------------
 * Wall clock <-> instant
 * --------------------------------------------------------------------------------------------- */

const ZONE_SPAN = 32 * DAY;
const zoneCache = new Map<string, ZoneMap>();

/**
 * A zone map exact over [lo, hi] (at most 32 days apart), shared between calls: maps cover two
 * aligned 32-day spans, keyed by zone and span, at most 256 kept (a booking needs one, so
 * `checkSlot` does not ask Temporal for the zone's transitions every time).
 */
function cachedZoneMap(timeZone: string, lo: number, hi: number): ZoneMap {
  const bucket = Math.floor(lo / ZONE_SPAN);
  if (hi > (bucket + 2) * ZONE_SPAN) return createZoneMap(timeZone, lo, hi);
  const key = `${timeZone}\u0000${bucket}`;
  let zone = zoneCache.get(key);
  if (zone === undefined) {
    if (zoneCache.size >= 256) zoneCache.delete(zoneCache.keys().next().value!);
    zone = createZoneMap(timeZone, bucket * ZONE_SPAN, (bucket + 2) * ZONE_SPAN);
    zoneCache.set(key, zone);
  }
  return zone;
}

/** Wall-clock times are "local ms": the local date and time read as if it were UTC, in epoch ms. */
export interface ZoneMap {
  /** The instant of a local wall-clock time, with Temporal's 'compatible' disambiguation. */
  toInstant(localMs: number): number;
  /** The local wall-clock time of an instant. */
  toLocal(instant: number): number;
}

/**
 * The zone's offsets between the instants `lo` and `hi` (epoch ms), from Temporal: the offset at `lo`
 * and every transition up to `hi`. Exact for instants in [lo, hi] (so for local times more than 26
 * hours inside that range); callers add margins.
 */
export function createZoneMap(timeZone: string, lo: number, hi: number): ZoneMap {
  let z = Temporal.Instant.fromEpochMilliseconds(lo).toZonedDateTimeISO(timeZone);
  // starts[i] is the first instant of segment i, whose offset is offsets[i] (ms).
  const starts = [-Infinity];
  const offsets = [z.offsetNanoseconds / 1e6];
  for (;;) {
    const next = z.getTimeZoneTransition('next');
    if (next === null || next.epochMilliseconds > hi) break;
    starts.push(next.epochMilliseconds);
    offsets.push(next.offsetNanoseconds / 1e6);
    z = next;
  }
  const n = starts.length;
  if (n === 1) {
    const offset = offsets[0];
    return { toInstant: (local) => local - offset, toLocal: (instant) => instant + offset };
  }
  return {
    toInstant(local) {
      // The candidates local - offset[i] that fall in their own segment i are the real instants of
      // this wall-clock time; segments are in time order, so the first is the earliest ('compatible'
      // in a repeated hour).
      for (let i = 0; i < n; i++) {
        const c = local - offsets[i];
        if (c >= starts[i] && (i + 1 === n || c < starts[i + 1])) return c;
      }
      // None: the time is in a gap. 'compatible' moves it forward by the gap's length, which is
      // reading it with the offset in force before the transition.
      for (let i = 1; i < n; i++) {
        if (local - offsets[i - 1] >= starts[i] && local - offsets[i] < starts[i])
          return local - offsets[i - 1];
      }
      throw new RangeError(`cannot place local time ${local} in ${timeZone}`);
    },
    toLocal(instant) {
      let i = n - 1;
      while (instant < starts[i]) i--;
      return instant + offsets[i];
    },
  };
}

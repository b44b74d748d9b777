/**
 * The rate limiter: sliding-window counters (the previous window's count weighted by how much of
 * it still overlaps the last `windowMs`, plus the current window's), so a client cannot spend two
 * budgets across a window edge as fixed windows allowed.
 *
 * Counting happens in process: a request costs a map lookup, never a database round trip. With
 * `db` (several instances on one PostgreSQL) each instance, every `flushMs` while it has live
 * buckets, adds what it counted to an UNLOGGED table in one statement and takes back the totals of
 * every instance for those buckets, or, when it counted nothing, only reads those totals. So each
 * instance learns the others' hits within one interval even when it sees no traffic itself, and a
 * limit holds across instances give or take what the others let through during one interval (and
 * the first hit an instance sees on a bucket new to it, which it cannot know about yet). An
 * instance that counted nothing for 20 ticks stops reading until its next hit, whose verdict then
 * rests on totals at most that old. PGlite is one process by
 * construction (it locks its data directory), so there the in-process count is the whole truth.
 *
 * A refused request is not counted: a client that keeps hammering is refused until its own rate
 * drops under the limit, and its refusals spend no shared budget.
 */
import type { Database } from '../db/index.js';
import {
  addRateLimitHits,
  pruneRateLimitHits,
  readRateLimitHits,
  type HitDelta,
} from '../db/stores/rate-limits.js';

export interface RateLimiterOptions {
  windowMs: number;
  now: () => Date;
  /** Share counts with other instances through this database. */
  db?: Database;
  /** How often counts are sent to, and totals read from, the database (shared only). */
  flushMs?: number;
  /** Called when a flush fails (the limiter goes on counting in process). */
  onError?: (err: unknown) => void;
}

/** An instance that counted nothing for this many ticks (5 s at 250 ms) stops reading totals. */
const IDLE_TICKS = 20;

export type Verdict = { ok: true } | { ok: false; retryAfterSeconds: number };

interface Bucket {
  /** Start of the current window (ms). */
  start: number;
  curr: number;
  prev: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  /** Hits not yet sent to the database, by `${windowStart} ${bucket}`. */
  private pending = new Map<string, HitDelta>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private flushing: Promise<void> | undefined;
  private lastSweep = 0;
  private lastPrune = 0;
  readonly windowMs: number;

  constructor(private readonly options: RateLimiterOptions) {
    this.windowMs = options.windowMs;
  }

  /** Count one hit on `bucket` if that keeps it within `limit` per window; otherwise refuse. */
  hit(bucket: string, limit: number): Verdict {
    const now = this.options.now().getTime();
    const W = this.windowMs;
    const windowStart = Math.floor(now / W) * W;
    this.sweep(now);
    let b = this.buckets.get(bucket);
    if (!b) {
      b = { start: windowStart, curr: 0, prev: 0 };
      this.buckets.set(bucket, b);
    } else if (b.start !== windowStart) {
      b.prev = b.start === windowStart - W ? b.curr : 0;
      b.curr = 0;
      b.start = windowStart;
    }
    const elapsed = (now - windowStart) / W;
    const estimate = b.prev * (1 - elapsed) + b.curr;
    if (estimate + 1 > limit) return { ok: false, retryAfterSeconds: retryAfter(b, limit, now, W) };
    b.curr++;
    if (this.options.db) this.record(bucket, windowStart);
    return { ok: true };
  }

  /**
   * Send pending counts now (shared only) and take back the totals; with nothing pending, read
   * the totals of the live buckets (what the other instances counted).
   */
  async flush(): Promise<void> {
    if (this.flushing) await this.flushing;
    if (!this.options.db) return;
    const db = this.options.db;
    if (db.isClosed()) {
      // The server is shutting down (or a test closed its database): nothing more to share.
      if (this.timer) clearInterval(this.timer);
      this.timer = undefined;
      this.closed = true;
      return;
    }
    const batch = [...this.pending.values()];
    this.pending = new Map();
    const now = this.options.now().getTime();
    const since = Math.floor(now / this.windowMs) * this.windowMs - this.windowMs;
    const sent = new Set(batch.map((d) => d.bucket));
    const live = [...this.buckets].filter(([k, b]) => b.start >= since && !sent.has(k)).map(([k]) => k);
    if (batch.length === 0 && live.length === 0) return;
    this.flushing = (async () => {
      try {
        if (batch.length) this.merge(await addRateLimitHits(db, batch));
        if (live.length) this.merge(await readRateLimitHits(db, live, since));
        if (now - this.lastPrune > this.windowMs) {
          this.lastPrune = now;
          await pruneRateLimitHits(db, new Date(now - 2 * this.windowMs));
        }
      } catch (err) {
        // Closed while this flush was on its way (shutdown, or a test's database): nothing lost
        // that another instance needed, and nothing to report.
        if (!db.isClosed()) this.options.onError?.(err);
      } finally {
        this.flushing = undefined;
      }
    })();
    await this.flushing;
  }

  /** Stop the timer and send what is pending. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.closed = true;
    await this.flush();
  }

  /** Take in every instance's totals; hits counted here since a batch was taken are added on. */
  private merge(totals: readonly HitDelta[]): void {
    for (const t of totals) {
      const b = this.buckets.get(t.bucket);
      if (!b) continue;
      const since = this.pending.get(`${t.windowStart} ${t.bucket}`)?.hits ?? 0;
      if (b.start === t.windowStart) b.curr = Math.max(b.curr, t.hits + since);
      else if (b.start === t.windowStart + this.windowMs) b.prev = Math.max(b.prev, t.hits);
      else if (t.windowStart === b.start + this.windowMs) {
        // Others have counted in a window this instance has not reached for this bucket yet.
        b.prev = b.curr;
        b.curr = t.hits;
        b.start = t.windowStart;
      }
    }
  }

  private closed = false;
  /** Ticks since this instance last counted a hit; the timer stops after IDLE_TICKS of them. */
  private idleTicks = 0;

  private record(bucket: string, windowStart: number): void {
    const key = `${windowStart} ${bucket}`;
    const d = this.pending.get(key);
    if (d) d.hits++;
    else this.pending.set(key, { bucket, windowStart, hits: 1 });
    this.idleTicks = 0;
    if (!this.timer && !this.closed) {
      // One tick per interval while any bucket lives: send what was counted, or read the totals.
      this.timer = setInterval(() => {
        // Nothing to send and no traffic for a while: stop reading (the next hit restarts it).
        if (this.pending.size === 0 && (this.buckets.size === 0 || ++this.idleTicks > IDLE_TICKS)) {
          clearInterval(this.timer);
          this.timer = undefined;
          return;
        }
        this.sweep(this.options.now().getTime());
        void this.flush();
      }, this.options.flushMs ?? 250);
      this.timer.unref?.();
    }
  }

  /** Forget buckets idle for two windows (they count nothing any more). */
  private sweep(now: number): void {
    if (now - this.lastSweep < this.windowMs) return;
    this.lastSweep = now;
    const cutoff = Math.floor(now / this.windowMs) * this.windowMs - this.windowMs;
    for (const [key, b] of this.buckets) if (b.start < cutoff) this.buckets.delete(key);
  }
}

/** Seconds until one more hit fits under `limit`, if no other hit comes meanwhile. */
function retryAfter(b: Bucket, limit: number, now: number, W: number): number {
  const t0 = now - b.start;
  let wait: number;
  if (b.curr + 1 <= limit && b.prev > 0) {
    // Within this window, once enough of the previous one has slid out.
    wait = W * (1 - (limit - 1 - b.curr) / b.prev) - t0;
  } else {
    // The current window alone is full: into the next, where it becomes the sliding-out one.
    const intoNext = b.curr > 0 ? Math.max(0, W * (1 - (limit - 1) / b.curr)) : 0;
    wait = W - t0 + intoNext;
  }
  return Math.max(1, Math.ceil(wait / 1000));
}

/**
 * The key a client is counted under: its IPv4 address, or its IPv6 address cut to the first
 * `ipv6Prefix` bits (one household or host gets a whole /64, so counting single addresses would
 * give it 2^64 budgets). IPv4-mapped IPv6 addresses count as IPv4.
 */
export function clientKey(address: string, ipv6Prefix = 64): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!address.includes(':')) return address;
  const groups = expandIpv6(address);
  if (!groups) return address;
  const bits = Math.max(0, Math.min(128, ipv6Prefix));
  const out: string[] = [];
  for (let i = 0; i < 8; i++) {
    const keep = Math.max(0, Math.min(16, bits - i * 16));
    const mask = keep === 0 ? 0 : (0xffff << (16 - keep)) & 0xffff;
    out.push((groups[i]! & mask).toString(16));
  }
  return `${out.join(':')}/${bits}`;
}

/** The eight 16-bit groups of an IPv6 address (zone and embedded IPv4 handled), or undefined. */
function expandIpv6(address: string): number[] | undefined {
  let a = address.replace(/^\[|\]$/g, '').split('%')[0]!;
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(a);
  if (v4) {
    const [x, y, z, w] = v4.slice(1).map(Number) as [number, number, number, number];
    a = `${a.slice(0, v4.index)}${((x << 8) | y).toString(16)}:${((z << 8) | w).toString(16)}`;
  }
  const halves = a.split('::');
  if (halves.length > 2) return undefined;
  const parse = (s: string) => (s === '' ? [] : s.split(':').map((g) => Number.parseInt(g, 16)));
  const head = parse(halves[0]!);
  const tail = halves.length === 2 ? parse(halves[1]!) : [];
  const fill = halves.length === 2 ? 8 - head.length - tail.length : 0;
  const groups = [...head, ...Array<number>(Math.max(0, fill)).fill(0), ...tail];
  if (groups.length !== 8 || groups.some((g) => !Number.isInteger(g) || g < 0 || g > 0xffff))
    return undefined;
  return groups;
}

/**
 * Idle sign-out, the part both the account frame and the staff console share (issue 11; HIPAA
 * 45 CFR 164.312(a)(2)(iii), automatic logoff). DOM-free, tested in Node (test/idle.spec.ts).
 *
 * The server decides: a session ends `idleTimeoutSeconds` after its last user action
 * (server/domain/sessions.ts). The UI only mirrors that deadline to warn in time, so it learns
 * it from the server and never invents one:
 * - a session just made (sign-in, sign-up, a second factor passed): its whole timeout;
 * - an answer that states it (`idleRemainingSeconds` in `me`, the console's `me` and "stay
 *   signed in"): that many seconds;
 * - any other request the server counts as a user action: the whole timeout again.
 * Each is counted from when the request was *sent* on the browser's clock (never the server's
 * instant: clocks differ), so the local deadline is never later than the server's.
 */

/** The longest warning: two minutes before the sign-out (shorter for short timeouts). */
export const MAX_WARNING_SECONDS = 120;

/** How long before the deadline to warn: two minutes, or half the timeout when that is shorter. */
export function warningLeadSeconds(idleTimeoutSeconds: number): number {
  return Math.max(1, Math.min(MAX_WARNING_SECONDS, Math.floor(idleTimeoutSeconds / 2)));
}

/** `m:ss` for a countdown (rounded up: "0:01" until the very end, never "0:00" early). */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

/**
 * Whether the polite live region should speak at this many seconds left: when the warning
 * appears, then every 30 s and at 10 s. Announcing every second would drown a screen reader.
 */
export function announceAt(secondsLeft: number, leadSeconds: number): boolean {
  if (secondsLeft >= leadSeconds) return true;
  return secondsLeft === 10 || (secondsLeft > 10 && secondsLeft % 30 === 0);
}

/** An idle timeout as words ("15 minutes", "30 segundos"), for the signed-out view. */
export function formatIdleTimeout(seconds: number, locale: string): string {
  const minutes = seconds / 60;
  const [value, unit] = Number.isInteger(minutes) ? [minutes, 'minute'] : [seconds, 'second'];
  return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'long' }).format(value);
}

/** What a client learnt from one answer about the idle timer. */
export interface IdleNote {
  /** When the request was sent (ms, the browser's clock). */
  sentAt: number;
  /** The answer states the seconds left (`idleRemainingSeconds`). */
  remaining?: number;
  /** The session's timeout, when the answer states it. */
  timeout?: number;
  /** The server counted the request as a user action (the timer restarted). */
  activity?: boolean;
}

/**
 * The idle deadline of one session as a client knows it. `note()` after each answer; `clear()`
 * when the session ends. `onChange` hears every new deadline (the warning element's input).
 */
export class IdleDeadline {
  #timeout?: number;
  #deadline?: number;

  constructor(private readonly onChange?: (deadline: number | undefined, timeoutSeconds?: number) => void) {}

  /** The deadline (ms, the browser's clock), when known. */
  get deadline(): number | undefined {
    return this.#deadline;
  }

  /** The session's idle timeout in seconds, when known. */
  get timeoutSeconds(): number | undefined {
    return this.#timeout;
  }

  note({ sentAt, remaining, timeout, activity }: IdleNote): void {
    if (timeout !== undefined) this.#timeout = timeout;
    let next: number | undefined;
    if (remaining !== undefined) next = sentAt + remaining * 1000;
    else if (activity && this.#timeout !== undefined) next = sentAt + this.#timeout * 1000;
    if (next === undefined || next === this.#deadline) return;
    this.#deadline = next;
    this.onChange?.(next, this.#timeout);
  }

  clear(): void {
    if (this.#deadline === undefined && this.#timeout === undefined) return;
    this.#deadline = undefined;
    this.#timeout = undefined;
    this.onChange?.(undefined);
  }
}

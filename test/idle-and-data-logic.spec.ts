/**
 * The DOM-free parts of issue 11's account and console work: the idle deadline as a client learns
 * it from the server's answers (src/core/idle.ts, shared by the account frame and the console),
 * the countdown's words and when they are spoken, and "my data"'s steps and file name.
 */
import { describe, expect, it } from 'vitest';
import {
  IdleDeadline,
  announceAt,
  formatCountdown,
  formatIdleTimeout,
  warningLeadSeconds,
} from '../src/core/idle.js';
import { erasureStep, myDataFileName } from '../src/components/account/logic/my-data.js';

describe('idle deadline', () => {
  it('comes from the server: a stated remainder, or the whole timeout after a user action', () => {
    const seen: (number | undefined)[] = [];
    const idle = new IdleDeadline((d) => seen.push(d));
    // Nothing known yet: an activity alone cannot invent a deadline.
    idle.note({ sentAt: 1_000, activity: true });
    expect(idle.deadline).toBeUndefined();
    // A `me` answer: 90 s left, counted from when the request was sent.
    idle.note({ sentAt: 10_000, remaining: 90, timeout: 900 });
    expect(idle.deadline).toBe(100_000);
    // A background read says nothing new; a user action restarts the whole timeout.
    idle.note({ sentAt: 20_000 });
    expect(idle.deadline).toBe(100_000);
    idle.note({ sentAt: 30_000, activity: true });
    expect(idle.deadline).toBe(930_000);
    expect(idle.timeoutSeconds).toBe(900);
    idle.clear();
    expect(idle.deadline).toBeUndefined();
    expect(seen).toEqual([100_000, 930_000, undefined]);
  });

  it('warns two minutes before, or half the timeout when that is shorter', () => {
    expect(warningLeadSeconds(900)).toBe(120);
    expect(warningLeadSeconds(180)).toBe(90);
    expect(warningLeadSeconds(15)).toBe(7);
  });

  it('counts down as m:ss, rounding up so "0:00" never shows early', () => {
    expect(formatCountdown(119_001)).toBe('2:00');
    expect(formatCountdown(119_000)).toBe('1:59');
    expect(formatCountdown(9_500)).toBe('0:10');
    expect(formatCountdown(1)).toBe('0:01');
    expect(formatCountdown(-5)).toBe('0:00');
  });

  it('speaks when the warning appears, every 30 s and at 10 s, not every second', () => {
    const spoken = Array.from({ length: 121 }, (_, i) => 120 - i).filter((s) => announceAt(s, 120));
    expect(spoken).toEqual([120, 90, 60, 30, 10]);
  });

  it('words the timeout in the language shown', () => {
    expect(formatIdleTimeout(900, 'en')).toBe('15 minutes');
    expect(formatIdleTimeout(900, 'es')).toBe('15 minutos');
    expect(formatIdleTimeout(15, 'en')).toBe('15 seconds');
  });
});

describe('my data', () => {
  it('asks the password first, then the second factor, then the last confirmation', () => {
    expect(erasureStep({ recentSignIn: false, twoFactor: 'required', recentSeconds: 600 })).toBe('reauth');
    expect(erasureStep({ recentSignIn: true, twoFactor: 'required', recentSeconds: 600 })).toBe('step-up');
    expect(erasureStep({ recentSignIn: true, twoFactor: 'passed', recentSeconds: 600 })).toBe('confirm');
    expect(erasureStep({ recentSignIn: true, twoFactor: 'not_enrolled', recentSeconds: 600 })).toBe(
      'confirm',
    );
  });

  it('names the file after the business and the day', () => {
    expect(myDataFileName('salon-rosa', '2026-03-02T08:00:00.000Z')).toBe(
      'salon-rosa-my-data-2026-03-02.json',
    );
    expect(myDataFileName('../x', 'garbage')).toBe('x-my-data-export.json');
  });
});

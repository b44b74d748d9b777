/** The DOM-free logic of <cita-account> (src/components/account/logic/). */
import { describe, expect, it } from 'vitest';
import { PASSWORD_RULES } from '../src/api/account-contract.js';
import type { Booking } from '../src/api/contract.js';
import { cancellability, replaceBooking } from '../src/components/account/logic/bookings.js';
import { isCompleteCode, normaliseCode } from '../src/components/account/logic/code.js';
import { resetTokenFrom, withoutResetToken } from '../src/components/account/logic/fragment.js';
import {
  DEFAULT_POLICY,
  localPasswordProblems,
  passwordLength,
  rejectedRules,
} from '../src/components/account/logic/password.js';

const TOKEN = 'abcDEF012_-'.repeat(4).slice(0, 43);

describe('password', () => {
  it('counts code points after NFKC, as the server does', () => {
    expect(passwordLength('🦊🦊🦊')).toBe(3);
    expect(passwordLength('e\u0301')).toBe(1);
    expect(passwordLength('ﬁ')).toBe(2); // NFKC: "fi"
  });

  it('reports length and, only when the business asks, composition', () => {
    expect(localPasswordProblems('short', DEFAULT_POLICY)).toEqual(['too_short']);
    expect(localPasswordProblems('a'.repeat(65), DEFAULT_POLICY)).toEqual(['too_long']);
    expect(localPasswordProblems('a long enough pass phrase', DEFAULT_POLICY)).toEqual([]);
    const strict = { ...DEFAULT_POLICY, requireClasses: true };
    expect(localPasswordProblems('a long enough pass phrase', strict)).toEqual([
      'needs_upper',
      'needs_digit',
    ]);
    expect(localPasswordProblems('A long enough pass phrase 2', strict)).toEqual([]);
  });

  it('keeps the known rules of a refusal, once each, in order', () => {
    const errors = [{ code: 'common' }, { code: 'made_up' }, { code: 'context' }, { code: 'common' }, {}];
    expect(rejectedRules(errors, PASSWORD_RULES)).toEqual(['common', 'context']);
  });
});

describe('emailed code', () => {
  it('keeps the digits of whatever was typed or pasted, at most 6', () => {
    expect(normaliseCode('123 456')).toBe('123456');
    expect(normaliseCode('Code: 123-456.')).toBe('123456');
    expect(normaliseCode('１２３４５６')).toBe('123456');
    expect(normaliseCode('12345678')).toBe('123456');
    expect(isCompleteCode('12345')).toBe(false);
    expect(isCompleteCode('123456')).toBe(true);
  });
});

describe('reset link fragment', () => {
  it('reads a well-formed token only, and removes it from the fragment', () => {
    expect(resetTokenFrom(`#reset=${TOKEN}`)).toBe(TOKEN);
    expect(resetTokenFrom(`#origin=x&reset=${TOKEN}`)).toBe(TOKEN);
    expect(resetTokenFrom('#reset=short')).toBeUndefined();
    expect(resetTokenFrom('')).toBeUndefined();
    expect(withoutResetToken(`#reset=${TOKEN}`)).toBe('');
    expect(withoutResetToken(`#lang=es&reset=${TOKEN}`)).toBe('#lang=es');
  });
});

describe('bookings', () => {
  const now = Date.parse('2026-03-01T10:00:00Z');
  const booking = (extra: Partial<Booking> = {}): Booking => ({
    id: '3f2b8c1e-4d5a-4b6c-9d7e-8f9a0b1c2d3e',
    reference: 'CITA-7KQ2M9',
    status: 'confirmed',
    business: 'salon-rosa',
    service: { id: 'corte', name: 'Corte' },
    staff: { id: 'ana', name: 'Ana' },
    start: '2026-03-05T10:00:00Z',
    end: '2026-03-05T10:30:00Z',
    timeZone: 'Europe/Madrid',
    customer: { name: 'Lucía' },
    createdAt: '2026-02-20T09:00:00Z',
    ...extra,
  });

  it('offers a cancellation until the cutoff, or the start when there is none', () => {
    expect(cancellability(booking({ cancellableUntil: '2026-03-04T10:00:00Z' }), now)).toBe('open');
    expect(cancellability(booking({ cancellableUntil: '2026-03-01T09:00:00Z' }), now)).toBe('closed');
    expect(cancellability(booking(), now)).toBe('open');
    expect(cancellability(booking({ start: '2026-02-28T10:00:00Z' }), now)).toBe('no');
    expect(cancellability(booking({ status: 'cancelled' }), now)).toBe('no');
  });

  it('replaces a booking by id in place', () => {
    const a = booking();
    const b = booking({ id: '00000000-0000-4000-8000-000000000000' });
    const cancelled = { ...a, status: 'cancelled' as const };
    expect(replaceBooking([b, a], cancelled)).toEqual([b, cancelled]);
  });
});

/** The "add to calendar" writer (src/components/booking-form/logic/ics.ts): RFC 5545 escaping. */
import { describe, expect, it } from 'vitest';
import { buildIcs, escapeText, fold } from '../src/components/booking-form/logic/ics.ts';

describe('ics', () => {
  it('escapes CRLF, a lone LF and a lone CR alike, so no text can start a property', () => {
    expect(escapeText('a\r\nb\nc\rd')).toBe('a\\nb\\nc\\nd');
    expect(escapeText('x\rEND:VEVENT')).toBe('x\\nEND:VEVENT');
    expect(escapeText('a;b,c\\d')).toBe('a\\;b\\,c\\\\d');
    expect(escapeText('a\u0000b\u001bc\u007f')).toBe('abc');
  });

  it("writes no line that the event's own text did not start", () => {
    const ics = buildIcs({
      uid: 'u1',
      start: '2026-03-02T10:00:00Z',
      end: '2026-03-02T10:30:00Z',
      summary: 'Cut\rATTENDEE:mailto:evil@example.com',
      description: 'one\rtwo\nthree\r\nfour',
      url: 'https://shop.example/#m=1\r\nX-EVIL:1',
      now: new Date('2026-03-01T00:00:00Z'),
    });
    const lines = ics.split('\r\n');
    expect(lines.filter((l) => /^(ATTENDEE|X-EVIL)/.test(l))).toEqual([]);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(lines).toContain('DESCRIPTION:one\\ntwo\\nthree\\nfour');
  });

  it('folds at 75 octets without splitting a character, and unfolds to the same line', () => {
    const line = `SUMMARY:${'Corte y peinado · Peluquería Ñandú 💇‍♀️ '.repeat(12)}`;
    const folded = fold(line);
    const parts = folded.split('\r\n');
    expect(parts.length).toBeGreaterThan(5);
    parts.forEach((p, i) => {
      expect(Buffer.byteLength(p)).toBeLessThanOrEqual(75);
      if (i > 0) expect(p.startsWith(' ')).toBe(true);
      expect(p).not.toMatch(/[\uD800-\uDBFF]$/); // no surrogate pair cut in half
    });
    expect(folded.replace(/\r\n /g, '')).toBe(line);
    expect(fold('SHORT:1')).toBe('SHORT:1');
  });
});

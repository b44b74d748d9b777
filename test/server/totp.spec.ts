/**
 * Authenticator-app codes and recovery codes, without a database: the RFC 6238 test vectors, the
 * window and replay rules on a fake clock, the provisioning URI, and how typed codes are tidied.
 */
import { describe, expect, it } from 'vitest';
import {
  checkTotp,
  newTotpSecret,
  normaliseTotpCode,
  secretFromBase32,
  totpCode,
  totpStep,
  totpUri,
} from '../../server/domain/two-factor/totp.js';
import {
  RECOVERY_CODE_COUNT,
  hashRecoveryCode,
  newRecoverySet,
  normaliseRecoveryCode,
} from '../../server/domain/two-factor/recovery.js';

/** RFC 6238 appendix B: the SHA-1 seed is the ASCII string "12345678901234567890". */
const RFC_SECRET = new TextEncoder().encode('12345678901234567890');
const RFC_VECTORS: [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('TOTP (RFC 6238)', () => {
  it('gives the RFC 6238 appendix B SHA-1 values', () => {
    for (const [t, code] of RFC_VECTORS)
      expect(totpCode(RFC_SECRET, totpStep(t * 1000), 8), `T=${t}`).toBe(code);
  });

  it('six digits are the last six of the same HOTP value (what apps show)', () => {
    for (const [t, code] of RFC_VECTORS) expect(totpCode(RFC_SECRET, totpStep(t * 1000))).toBe(code.slice(2));
  });

  it('makes 160-bit secrets and a Key Uri Format URI an app reads', () => {
    const { bytes, base32 } = newTotpSecret();
    expect(bytes).toHaveLength(20);
    expect(base32).toMatch(/^[A-Z2-7]{32}$/);
    expect([...secretFromBase32(base32)]).toEqual([...bytes]);
    expect(newTotpSecret().base32).not.toBe(base32);
    expect(totpUri('Salón Rosa', 'ana@example.com', base32)).toBe(
      `otpauth://totp/Sal%C3%B3n%20Rosa:ana%40example.com?issuer=Sal%C3%B3n%20Rosa&secret=${base32}&algorithm=SHA1&digits=6&period=30`,
    );
    // A colon would split the label into issuer and account wrongly.
    expect(totpUri('A:B', 'x:y@example.com', base32)).toMatch(
      /^otpauth:\/\/totp\/A%20B:x%20y%40example\.com\?issuer=A%20B&/,
    );
  });

  describe('window and replay, on a fake clock', () => {
    const secret = newTotpSecret().bytes;
    const t0 = Date.parse('2026-03-02T08:00:10Z'); // 10 s into a step
    const step = totpStep(t0);
    const code = (s: number) => totpCode(secret, s);

    it('accepts the current step and the one before, not the next', () => {
      expect(checkTotp(secret, code(step), t0, null)).toEqual({ ok: true, step });
      expect(checkTotp(secret, code(step - 1), t0, null)).toEqual({ ok: true, step: step - 1 });
      expect(checkTotp(secret, code(step + 1), t0, null)).toEqual({ ok: false, reason: 'invalid' });
    });

    it('a code typed as it changed still works 30 s later, then expires', () => {
      expect(checkTotp(secret, code(step), t0 + 30_000, null)).toEqual({ ok: true, step });
      expect(checkTotp(secret, code(step), t0 + 60_000, null)).toEqual({ ok: false, reason: 'expired' });
      expect(checkTotp(secret, code(step), t0 + 5 * 60_000, null)).toEqual({ ok: false, reason: 'expired' });
      expect(checkTotp(secret, code(step), t0 + 60 * 60_000, null)).toEqual({ ok: false, reason: 'invalid' });
    });

    it('never accepts a step at or before the last one accepted', () => {
      expect(checkTotp(secret, code(step), t0, step)).toEqual({ ok: false, reason: 'replayed' });
      // The previous step's code after the current one was used: also refused.
      expect(checkTotp(secret, code(step - 1), t0, step)).toEqual({ ok: false, reason: 'replayed' });
      // The next step is fine once it comes.
      expect(checkTotp(secret, code(step + 1), t0 + 30_000, step)).toEqual({ ok: true, step: step + 1 });
    });

    it('refuses a wrong code and another secret’s code', () => {
      const wrong = String((Number(code(step)) + 1) % 1_000_000).padStart(6, '0');
      expect(checkTotp(secret, wrong, t0, null).ok).toBe(false);
      expect(checkTotp(newTotpSecret().bytes, code(step), t0, null).ok).toBe(false);
    });
  });

  it('tidies typed codes: spaces, dashes, full-width digits; anything else is malformed', () => {
    expect(normaliseTotpCode('123456')).toBe('123456');
    expect(normaliseTotpCode(' 123 456 ')).toBe('123456');
    expect(normaliseTotpCode('123-456')).toBe('123456');
    expect(normaliseTotpCode('１２３４５６')).toBe('123456');
    for (const bad of ['', '12345', '1234567', '12345a', 'abcdef', '١٢٣٤٥٦x', '123456\u0000'])
      expect(normaliseTotpCode(bad), JSON.stringify(bad)).toBeUndefined();
  });
});

describe('recovery codes', () => {
  it('10 distinct codes of the form xxxxx-xxxxx, hashed under the set’s salt', async () => {
    const set = await newRecoverySet();
    expect(set.codes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(set.codes).size).toBe(RECOVERY_CODE_COUNT);
    for (const c of set.codes) expect(c).toMatch(/^[a-hj-km-np-z2-9]{5}-[a-hj-km-np-z2-9]{5}$/);
    const first = normaliseRecoveryCode(set.codes[0]!)!;
    expect(set.hashes[0]!.hash).toBe(await hashRecoveryCode(first, set.salt));
    expect(set.hashes.map((h) => h.hash)).not.toContain(await hashRecoveryCode(first, 'b3RoZXItc2FsdA'));
    // Nothing of the code is in what is stored.
    expect(JSON.stringify(set.hashes)).not.toContain(first.slice(0, 5));
  });

  it('reads a code whatever the case, spaces and dashes; refuses other shapes', () => {
    expect(normaliseRecoveryCode('abcde-fghjk')).toBe('abcdefghjk');
    expect(normaliseRecoveryCode(' ABCDE FGHJK ')).toBe('abcdefghjk');
    expect(normaliseRecoveryCode('abcdefghjk')).toBe('abcdefghjk');
    for (const bad of ['abcde-fghj', 'abcde-fghjkm', 'abcde-fghj1', 'abcde-fghjo', '123456'])
      expect(normaliseRecoveryCode(bad), bad).toBeUndefined();
  });
});

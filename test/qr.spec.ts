/**
 * The QR codes the frame draws (src/frame/qr.ts): the SVG path it renders, painted back into
 * pixels and read with a real QR decoder (`qr`), gives back the exact `otpauth://` URI of the
 * two-factor prompt (a plain and an accented issuer, a long account) and the AEAT validation URL
 * of an invoice in the invoice viewer.
 */
import { describe, expect, it } from 'vitest';
import { decodeQR } from 'qr/decode.js';
import { qrSymbol } from '../src/frame/qr.js';
import { newTotpSecret, totpUri } from '../server/domain/two-factor/totp.js';

/** Paint `M x y h n v1 h-n z` runs at `scale` pixels per module, dark on white (RGBA). */
function rasterise(path: string, size: number, scale = 4) {
  const n = size * scale;
  const data = new Uint8ClampedArray(n * n * 4).fill(255);
  for (const [, xs, ys, ws] of path.matchAll(/M(\d+) (\d+)h(\d+)v1h-\d+z/g)) {
    const [x, y, w] = [Number(xs), Number(ys), Number(ws)];
    for (let py = y * scale; py < (y + 1) * scale; py++)
      for (let px = x * scale; px < (x + w) * scale; px++) {
        const i = (py * n + px) * 4;
        data[i] = data[i + 1] = data[i + 2] = 0;
      }
  }
  return { width: n, height: n, data };
}

describe('the enrolment QR code', () => {
  it.each([
    ['Salón Rosa', 'lucía.gómez@example.com'],
    ['Clínica Norte (console)', 'owner@clinica-norte.example'],
    ['Shop', `${'a'.repeat(60)}@example.com`],
  ])('decodes back to the exact otpauth:// URI (%s)', (issuer, account) => {
    const uri = totpUri(issuer, account, newTotpSecret().base32);
    const { size, path } = qrSymbol(uri);
    expect(path).toMatch(/^(M\d+ \d+h\d+v1h-\d+z)+$/);
    expect(decodeQR(rasterise(path, size))).toBe(uri);
  });

  it('keeps a four-module quiet zone on every side', () => {
    const { size, path } = qrSymbol('otpauth://totp/A:b?secret=AAAA&issuer=A');
    for (const [, x, y, w] of path.matchAll(/M(\d+) (\d+)h(\d+)/g)) {
      expect(Number(x)).toBeGreaterThanOrEqual(4);
      expect(Number(y)).toBeGreaterThanOrEqual(4);
      expect(Number(x) + Number(w)).toBeLessThanOrEqual(size - 4);
      expect(Number(y)).toBeLessThan(size - 4);
    }
  });
});

describe("an invoice's tax QR code", () => {
  it("decodes back to the exact AEAT validation URL, with the viewer's 2-module quiet zone", () => {
    const url =
      'https://prewww2.aeat.es/wlpl/TIKE-CONT/ValidarQR?nif=B12345674&numserie=F2026-000123&fecha=02-12-2026&importe=30.86';
    const { size, path } = qrSymbol(url, 2);
    expect(decodeQR(rasterise(path, size))).toBe(url);
    expect(
      Math.min(...[...path.matchAll(/M(\d+) (\d+)/g)].flatMap((m) => [Number(m[1]), Number(m[2])])),
    ).toBe(2);
  });
});

/**
 * A QR symbol drawn by the frame itself (uqr, no image service): the two-factor prompt's
 * `otpauth://` URI (the secret never leaves the frame) and an invoice's tax QR code. Loaded as
 * its own chunk when one is first shown. Level M, a 4-module quiet zone by default. The symbol becomes one SVG path
 * (a rectangle per run of dark modules in a row), bound as an attribute: no markup is parsed, so
 * it needs no Trusted Types policy and works under the frame's strict CSP.
 */
import { encode } from 'uqr';

export interface QrSymbol {
  /** Modules per side, quiet zone included (the SVG's viewBox). */
  size: number;
  /** SVG path data of the dark modules, in module units. */
  path: string;
}

export function qrSymbol(text: string, border = 4): QrSymbol {
  const { data, size } = encode(text, { ecc: 'M', border });
  let path = '';
  for (let y = 0; y < size; y++) {
    const row = data[y]!;
    for (let x = 0; x < size;) {
      if (!row[x]) {
        x++;
        continue;
      }
      let run = 1;
      while (x + run < size && row[x + run]) run++;
      path += `M${x} ${y}h${run}v1h-${run}z`;
      x += run;
    }
  }
  return { size, path };
}

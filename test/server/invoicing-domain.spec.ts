/**
 * Invoicing arithmetic and identifiers: the AEAT's official hash vectors, NIF/NIE/CIF check
 * characters, rounding per line and per rate, and the QR URL.
 */
import { describe, expect, it } from 'vitest';
import {
  aeatAmount,
  computeTotals,
  roundDiv,
  type TaxCategory,
} from '../../server/domain/invoicing/money.js';
import { isValidTaxId, parseTaxId } from '../../server/domain/invoicing/tax-id.js';
import {
  aeatDate,
  altaHash,
  anulacionHash,
  localDateTimeWithOffset,
  qrAmount,
  qrUrl,
} from '../../server/domain/invoicing/verifactu.js';

describe('VeriFactu Huella: the AEAT test vectors', () => {
  const first = '3C464DAF61ACB827C65FDA19F352A4E3BDC2C640E9E9FC4CC058073F38F12F60';
  const second = 'F7B94CFD8924EDFF273501B01EE5153E4CE8F259766F88CF6ACB8935802A2B97';

  it('vector 1: first registration record of a chain (empty previous hash)', () => {
    expect(
      altaHash({
        IDEmisorFactura: '89890001K',
        NumSerieFactura: '12345678/G33',
        FechaExpedicionFactura: '01-01-2024',
        TipoFactura: 'F1',
        CuotaTotal: '12.35',
        ImporteTotal: '123.45',
        Huella: '',
        FechaHoraHusoGenRegistro: '2024-01-01T19:20:30+01:00',
      }),
    ).toBe(first);
  });

  it('vector 2: a registration record chained to vector 1', () => {
    expect(
      altaHash({
        IDEmisorFactura: '89890001K',
        NumSerieFactura: '12345679/G34',
        FechaExpedicionFactura: '01-01-2024',
        TipoFactura: 'F1',
        CuotaTotal: '12.35',
        ImporteTotal: '123.45',
        Huella: first,
        FechaHoraHusoGenRegistro: '2024-01-01T19:20:35+01:00',
      }),
    ).toBe(second);
  });

  it('vector 3: a cancellation record chained to vector 2', () => {
    expect(
      anulacionHash({
        IDEmisorFacturaAnulada: '89890001K',
        NumSerieFacturaAnulada: '12345679/G34',
        FechaExpedicionFacturaAnulada: '01-01-2024',
        Huella: second,
        FechaHoraHusoGenRegistro: '2024-01-01T19:20:40+01:00',
      }),
    ).toBe('177547C0D57AC74748561D054A9CEC14B4C4EA23D1BEFD6F2E69E3A388F90C68');
  });

  it('values are trimmed; any changed field changes the hash', () => {
    const base = {
      IDEmisorFactura: '89890001K',
      NumSerieFactura: '12345678/G33',
      FechaExpedicionFactura: '01-01-2024',
      TipoFactura: 'F1',
      CuotaTotal: '12.35',
      ImporteTotal: '123.45',
      Huella: '',
      FechaHoraHusoGenRegistro: '2024-01-01T19:20:30+01:00',
    };
    expect(altaHash({ ...base, NumSerieFactura: ' 12345678/G33 ' })).toBe(first);
    for (const key of Object.keys(base) as (keyof typeof base)[])
      expect(altaHash({ ...base, [key]: `${base[key]}1` }), key).not.toBe(first);
  });
});

describe('dates and offsets', () => {
  it('writes the offset in force: winter and summer on the mainland, the Canaries', () => {
    expect(localDateTimeWithOffset(new Date('2024-01-01T18:20:30Z'), 'Europe/Madrid')).toBe(
      '2024-01-01T19:20:30+01:00',
    );
    expect(localDateTimeWithOffset(new Date('2026-07-01T08:00:00Z'), 'Europe/Madrid')).toBe(
      '2026-07-01T10:00:00+02:00',
    );
    expect(localDateTimeWithOffset(new Date('2026-01-10T08:00:00Z'), 'Atlantic/Canary')).toBe(
      '2026-01-10T08:00:00+00:00',
    );
    expect(aeatDate('2026-03-09')).toBe('09-03-2026');
  });
});

describe('QR URL', () => {
  it('matches the AEAT example, with the series number percent-encoded', () => {
    expect(
      qrUrl(
        { nif: '89890001K', numSerie: '12345678&G33', fecha: '01-01-2024', totalMinor: 24140 },
        { submitted: true },
      ),
    ).toBe(
      'https://www2.agenciatributaria.gob.es/wlpl/TIKE-CONT/ValidarQR?nif=89890001K&numserie=12345678%26G33&fecha=01-01-2024&importe=241.4',
    );
  });

  it('points to ValidarQRNoVerifactu unless the record was accepted; test host on request', () => {
    const q = { nif: 'B12345674', numSerie: 'F2026-7', fecha: '09-03-2026', totalMinor: 2500 };
    expect(qrUrl(q, { submitted: false })).toBe(
      'https://www2.agenciatributaria.gob.es/wlpl/TIKE-CONT/ValidarQRNoVerifactu?nif=B12345674&numserie=F2026-7&fecha=09-03-2026&importe=25',
    );
    expect(qrUrl(q, { submitted: true, environment: 'test' })).toMatch(
      /^https:\/\/prewww2\.aeat\.es\/wlpl\/TIKE-CONT\/ValidarQR\?/,
    );
    expect(qrUrl({ ...q, numSerie: 'A/1 +2' }, { submitted: false })).toContain('numserie=A%2F1%20%2B2');
    expect([qrAmount(-550), qrAmount(1), qrAmount(12345)]).toEqual(['-5.5', '0.01', '123.45']);
  });
});

describe('NIF, NIE and CIF check characters', () => {
  it('accepts valid identifiers of each kind, normalised', () => {
    expect(parseTaxId('12345678z')).toEqual({ value: '12345678Z', kind: 'dni' });
    expect(parseTaxId('00000000T')?.kind).toBe('dni');
    expect(parseTaxId('X1234567L')).toEqual({ value: 'X1234567L', kind: 'nie' });
    expect(parseTaxId('Y-1234567-X')?.value).toBe('Y1234567X');
    expect(parseTaxId('Z1234567R')?.kind).toBe('nie');
    expect(parseTaxId('K1234567L')?.kind).toBe('klm');
    expect(parseTaxId('B12345674')).toEqual({ value: 'B12345674', kind: 'cif' });
    expect(parseTaxId('ESB12345674')?.value).toBe('B12345674');
    expect(parseTaxId('A58818501')?.kind).toBe('cif');
    expect(parseTaxId('89890001K')?.kind).toBe('dni'); // the AEAT's test NIF
    expect(parseTaxId('Q2826000H')?.kind).toBe('cif'); // a public body: control letter
    expect(parseTaxId('G12345674')?.kind).toBe('cif'); // either: digit
    expect(parseTaxId('G1234567D')?.kind).toBe('cif'); // either: letter
  });

  it('refuses a wrong check character, a wrong format or a letter where a digit must be', () => {
    for (const bad of [
      '12345678A',
      'X1234567A',
      'B12345675',
      'B1234567D', // companies (A, B, E, H) take a digit
      'Q28260008', // public bodies take a letter
      '1234567Z',
      'I1234567A',
      '',
    ])
      expect(isValidTaxId(bad), bad).toBe(false);
  });
});

describe('money: integer cents, rounding per line and per rate', () => {
  const iva21: TaxCategory = { kind: 'taxed', rateBp: 2100 };
  const iva10: TaxCategory = { kind: 'taxed', rateBp: 1000 };
  const exempt: TaxCategory = { kind: 'exempt', code: 'E1', reference: 'Art. 20.Uno.3º Ley 37/1992' };

  it('rounds half away from zero', () => {
    expect([roundDiv(5, 10), roundDiv(4, 10), roundDiv(-5, 10), roundDiv(15, 10), roundDiv(-14, 10)]).toEqual(
      [1, 0, -1, 2, -1],
    );
    expect(aeatAmount(-500)).toBe('-5.00');
    expect(aeatAmount(1235)).toBe('12.35');
  });

  it('prices with tax: the total is what the customer saw; base rounded once per rate', () => {
    // 3 × 10.00 with 21 % included: per line 826.45… → 826 base / 174 tax each; per rate 3000 / 1.21 = 2479.34… → 2479.
    const t = computeTotals([{ description: 'Corte', quantity: 3, unitMinor: 1000, category: iva21 }], true);
    expect(t.lines[0]).toMatchObject({ amountMinor: 3000, baseMinor: 2479, taxMinor: 521 });
    const three = computeTotals(
      [1, 2, 3].map(() => ({ description: 'Corte', quantity: 1, unitMinor: 1000, category: iva21 })),
      true,
    );
    expect(three.lines.map((l) => l.baseMinor)).toEqual([826, 826, 826]);
    // Per rate, not the sum of line bases (2478): one rounding for the rate.
    expect(three.breakdown).toEqual([{ category: iva21, baseMinor: 2479, taxMinor: 521 }]);
    expect(three.totalMinor).toBe(3000);
  });

  it('prices without tax: tax computed once per rate on the summed base', () => {
    // Two lines of 0.05 at 10 %: per line 0.005 → 0.01 each (0.02), per rate 0.10 × 10 % = 0.01.
    const t = computeTotals(
      [
        { description: 'a', quantity: 1, unitMinor: 5, category: iva10 },
        { description: 'b', quantity: 1, unitMinor: 5, category: iva10 },
      ],
      false,
    );
    expect(t.lines.map((l) => l.taxMinor)).toEqual([1, 1]);
    expect(t.breakdown).toEqual([{ category: iva10, baseMinor: 10, taxMinor: 1 }]);
    expect(t.totalMinor).toBe(11);
  });

  it('several rates and an exemption: one breakdown row each; IGIC 7 % and IPSI 0.5 %', () => {
    const t = computeTotals(
      [
        { description: 'Consulta', quantity: 1, unitMinor: 6000, category: exempt },
        { description: 'Crema', quantity: 2, unitMinor: 1210, category: iva21 },
        { description: 'Champú', quantity: 1, unitMinor: 1100, category: iva10 },
      ],
      true,
    );
    expect(t.breakdown).toEqual([
      { category: exempt, baseMinor: 6000, taxMinor: 0 },
      { category: iva21, baseMinor: 2000, taxMinor: 420 },
      { category: iva10, baseMinor: 1000, taxMinor: 100 },
    ]);
    expect(t.totalMinor).toBe(6000 + 2420 + 1100);
    const igic = computeTotals(
      [{ description: 'x', quantity: 1, unitMinor: 2500, category: { kind: 'taxed', rateBp: 700 } }],
      false,
    );
    expect(igic.totalMinor).toBe(2675);
    const ipsi = computeTotals(
      [{ description: 'x', quantity: 1, unitMinor: 2500, category: { kind: 'taxed', rateBp: 50 } }],
      false,
    );
    expect(ipsi.taxMinor).toBe(13); // 12.5 → 13
  });

  it('negative amounts (corrections by difference) round symmetrically', () => {
    const pos = computeTotals([{ description: 'x', quantity: 1, unitMinor: 2500, category: iva21 }], true);
    const neg = computeTotals([{ description: 'x', quantity: 1, unitMinor: -2500, category: iva21 }], true);
    expect(neg.baseMinor).toBe(-pos.baseMinor);
    expect(neg.taxMinor).toBe(-pos.taxMinor);
  });
});

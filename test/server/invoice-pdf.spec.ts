/**
 * The invoice PDF: byte-deterministic (golden SHA-256), A4, text extractable (poppler's
 * `pdftotext` finds the number, the parties, the breakdown), the QR code decodes (poppler's
 * `pdftoppm` renders the page, `qr` reads it) to the exact AEAT URL, the VERI*FACTU legend only
 * when submitted, Spanish and English, Greek and Arabic names print, Chinese fails clearly.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import decodeQR from 'qr/decode.js';
import { PDFDocument } from 'pdf-lib';
import { afterAll, describe, expect, it } from 'vitest';
import type { Invoice } from '../../src/api/invoice-contract.js';
import { renderInvoicePdf } from '../../server/domain/invoicing/pdf.js';
import { ProblemError } from '../../server/domain/problems.js';

const URL_NO_VF =
  'https://www2.agenciatributaria.gob.es/wlpl/TIKE-CONT/ValidarQRNoVerifactu?nif=B12345674&numserie=F2026-17&fecha=05-03-2026&importe=36.3';

const INVOICE: Invoice = {
  id: '6f1c1a3e-0c4e-4a43-9a57-6a3f4f1f2b10',
  number: 'F2026-17',
  type: 'F1',
  state: 'issued',
  issueDate: '2026-03-05',
  issuedAt: '2026-03-05T10:00:00.000Z',
  operationDate: '2026-03-04',
  totalMinor: 3630,
  currency: 'EUR',
  issuer: {
    legalName: 'Peluquería de Prueba S.L.',
    taxId: 'B12345674',
    address: 'Calle Mayor 1, 28013 Madrid',
  },
  customer: { name: 'Θεοδώρα Παπαδοπούλου', taxId: 'X1234567L', address: 'Calle Luna 2, 28004 Madrid' },
  tax: 'IVA',
  pricesIncludeTax: true,
  lines: [
    {
      description: 'Corte y peinado',
      quantity: 1,
      unitMinor: 2500,
      amountMinor: 2500,
      baseMinor: 2066,
      taxMinor: 434,
      rate: 21,
    },
    {
      description: 'Champú',
      quantity: 1,
      unitMinor: 1130,
      amountMinor: 1130,
      baseMinor: 934,
      taxMinor: 196,
      rate: 21,
    },
  ],
  breakdown: [{ rate: 21, baseMinor: 3000, taxMinor: 630 }],
  baseMinor: 3000,
  taxMinor: 630,
  qr: { url: URL_NO_VF, verifactu: false },
  correctedBy: [],
};

const dir = mkdtempSync(join(tmpdir(), 'cita-pdf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function save(bytes: Uint8Array, name: string): string {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

const text = (file: string) => execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });

/** Renders page 1 in grey at 150 dpi and reads the QR code on it. */
function readQr(file: string): string {
  const out = join(dir, 'page');
  execFileSync('pdftoppm', ['-r', '150', '-gray', '-f', '1', '-l', '1', '-singlefile', file, out]);
  const pgm = readFileSync(`${out}.pgm`);
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 40).toString('latin1'))!;
  const [width, height] = [Number(header[1]), Number(header[2])];
  const gray = pgm.subarray(header[0].length);
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) rgb.fill(gray[i]!, i * 3, i * 3 + 3);
  return decodeQR({ width, height, data: rgb }, { format: 'RGB' });
}

describe('invoice PDF', () => {
  it('is byte-deterministic: the golden SHA-256', async () => {
    const a = await renderInvoicePdf(INVOICE, { language: 'es', businessName: 'Salón de Prueba' });
    const b = await renderInvoicePdf(INVOICE, { language: 'es', businessName: 'Salón de Prueba' });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    // Update deliberately when the layout changes (and look at the new PDF).
    expect(createHash('sha256').update(a).digest('hex')).toBe(GOLDEN_ES);
    expect(a.length).toBeLessThan(60_000); // the font is subset, not the whole 740 KB file
  });

  it('is A4 with its title; the text is extractable with every required field', async () => {
    const pdf = await renderInvoicePdf(INVOICE, { language: 'es', businessName: 'Salón de Prueba' });
    const doc = await PDFDocument.load(pdf);
    const { width, height } = doc.getPage(0).getSize();
    expect([Math.round(width), Math.round(height)]).toEqual([595, 842]);
    expect(doc.getTitle()).toBe('Factura F2026-17');
    const t = text(save(pdf, 'es.pdf'));
    for (const expected of [
      'QR tributario:',
      'Factura',
      'Número: F2026-17',
      'Fecha de expedición: 5 de marzo de 2026',
      'Fecha de la operación: 4 de marzo de 2026',
      'Peluquería de Prueba S.L.',
      'NIF: B12345674',
      'Θεοδώρα Παπαδοπούλου',
      'NIF: X1234567L',
      'Calle Luna 2, 28004 Madrid',
      'Corte y peinado',
      'Champú',
      'IVA 21 %: Base imponible 30,00 € · Cuota 6,30 €',
      'Total: 36,30 €',
    ])
      expect(t, expected).toContain(expected);
    // Not submitted: no legend.
    expect(t).not.toContain('VERI*FACTU');
  });

  it('the QR code decodes to the exact AEAT URL; the legend appears once submitted', async () => {
    const plain = save(await renderInvoicePdf(INVOICE, { language: 'es', businessName: 'S' }), 'qr.pdf');
    expect(readQr(plain)).toBe(URL_NO_VF);
    const url = URL_NO_VF.replace('ValidarQRNoVerifactu', 'ValidarQR');
    const submitted = save(
      await renderInvoicePdf(
        { ...INVOICE, qr: { url, verifactu: true } },
        { language: 'es', businessName: 'S' },
      ),
      'vf.pdf',
    );
    expect(readQr(submitted)).toBe(url);
    expect(text(submitted)).toContain('VERI*FACTU');
  });

  it('in English, corrective and simplified wording; Arabic prints; Chinese is refused by name', async () => {
    const r5: Invoice = {
      ...INVOICE,
      type: 'R5',
      number: 'R2026-3',
      customer: { name: 'مريم الحسن' },
      corrects: { id: INVOICE.id, number: 'F2026-9' },
      reason: 'Refund',
    };
    const t = text(save(await renderInvoicePdf(r5, { language: 'en', businessName: 'S' }), 'en.pdf'));
    for (const expected of [
      'Corrective invoice',
      'Number: R2026-3',
      'Corrects invoice F2026-9',
      'Reason: Refund',
      'Tax ID: B12345674',
    ])
      expect(t).toContain(expected);
    expect(t).toMatch(/[\u0600-\u06ff]/);
    const err = await renderInvoicePdf(
      { ...INVOICE, customer: { name: '王小明' } },
      { language: 'es', businessName: 'S' },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProblemError);
    expect((err as ProblemError).code).toBe('unprintable_text');
    expect((err as ProblemError).message).toContain('U+738B');
  });
});

const GOLDEN_ES = 'a7a866aaace649e1864df72369beb9511177b8a795fd23f0b096342abdf647b6';

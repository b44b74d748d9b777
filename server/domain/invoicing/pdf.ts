/**
 * The invoice PDF (pdf-lib, server only): A4 portrait, every field RD 1619/2012 asks of the
 * invoice's type, the tax breakdown, and the tax QR code drawn as vector squares (error
 * correction M, 35 mm, top left, "QR tributario:" above it; the "VERI*FACTU" legend only when the
 * agency accepted the record). Spanish or English.
 *
 * Text is set in DejaVu Sans (server/fonts/, its licence beside it), embedded as a subset, so
 * accents, Greek, Cyrillic, Arabic letters and the euro sign print. A character the font has no
 * glyph for (Chinese, emoji) is refused with `unprintable_text`, never dropped silently. Arabic
 * and Hebrew are laid out left to right without shaping (pdf-lib does no bidi).
 *
 * Byte-deterministic: dates in the document come from the invoice, the font subset gets a fixed
 * name, and metadata is not stamped with the clock, so one invoice always gives the same bytes
 * (golden test in test/server/invoice-pdf.spec.ts).
 */
import { readFileSync } from 'node:fs';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { encode } from 'uqr';
import type { Invoice } from '../../../src/api/invoice-contract.js';
import { ProblemError } from '../problems.js';
import { roundDiv } from './money.js';

export type PdfLanguage = 'es' | 'en';

const A4: [number, number] = [595.28, 841.89];
const MM = 72 / 25.4;
const MARGIN = 50;

let fontBytes: Uint8Array | undefined;
let glyphCheck: { hasGlyphForCodePoint(cp: number): boolean } | undefined;

/** The font file, from server/fonts/ beside the source or the built bundle. */
function font(): Uint8Array {
  if (fontBytes) return fontBytes;
  const candidates = ['../../fonts/DejaVuSans.ttf', '../fonts/DejaVuSans.ttf'];
  for (const rel of candidates) {
    try {
      fontBytes = readFileSync(new URL(rel, import.meta.url));
      glyphCheck = fontkit.create(fontBytes as Buffer) as unknown as typeof glyphCheck;
      return fontBytes;
    } catch {
      /* next */
    }
  }
  throw new Error('server/fonts/DejaVuSans.ttf is missing from the installation');
}

/** Throws `unprintable_text` naming the first character the font cannot print. */
export function assertPrintable(text: string): void {
  font();
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp === 0x0a || cp === 0x20) continue;
    if (!glyphCheck!.hasGlyphForCodePoint(cp))
      throw new ProblemError('unprintable_text', {
        detail: `The invoice font has no glyph for U+${cp.toString(16).toUpperCase().padStart(4, '0')} ("${ch}")`,
      });
  }
}

const STRINGS = {
  es: {
    title: {
      F1: 'Factura',
      F2: 'Factura simplificada',
      F3: 'Factura (en sustitución de factura simplificada)',
      R: 'Factura rectificativa',
    },
    number: 'Número',
    issueDate: 'Fecha de expedición',
    operationDate: 'Fecha de la operación',
    issuer: 'Emisor',
    customer: 'Destinatario',
    taxId: 'NIF',
    description: 'Concepto',
    qty: 'Cant.',
    unit: 'Precio',
    unitNet: 'Precio sin imp.',
    net: 'Base',
    rate: 'Tipo',
    amount: 'Importe',
    breakdown: 'Desglose',
    base: 'Base imponible',
    tax: 'Cuota',
    exempt: 'Exenta',
    total: 'Total',
    taxIncluded: (t: string) => `${t} incluido`,
    corrects: (n: string) => `Rectifica la factura ${n} (por diferencias)`,
    replaces: (n: string) => `Sustituye a la factura simplificada ${n}`,
    reason: 'Motivo',
    cancelled: 'ANULADA',
    qr: 'QR tributario:',
    legend: 'VERI*FACTU',
  },
  en: {
    title: {
      F1: 'Invoice',
      F2: 'Simplified invoice',
      F3: 'Invoice (replacing a simplified invoice)',
      R: 'Corrective invoice',
    },
    number: 'Number',
    issueDate: 'Issue date',
    operationDate: 'Date of service',
    issuer: 'Issued by',
    customer: 'Issued to',
    taxId: 'Tax ID',
    description: 'Description',
    qty: 'Qty',
    unit: 'Price',
    unitNet: 'Price excl. tax',
    net: 'Base',
    rate: 'Rate',
    amount: 'Amount',
    breakdown: 'Tax breakdown',
    base: 'Taxable base',
    tax: 'Tax',
    exempt: 'Exempt',
    total: 'Total',
    taxIncluded: (t: string) => `${t} included`,
    corrects: (n: string) => `Corrects invoice ${n} (by difference)`,
    replaces: (n: string) => `Replaces simplified invoice ${n}`,
    reason: 'Reason',
    cancelled: 'CANCELLED',
    // The tax agency's required wording stays in Spanish.
    qr: 'QR tributario:',
    legend: 'VERI*FACTU',
  },
} as const;

export interface PdfOptions {
  language: PdfLanguage;
  businessName: string;
}

export async function renderInvoicePdf(inv: Invoice, opts: PdfOptions): Promise<Uint8Array> {
  const t = STRINGS[opts.language];
  const locale = opts.language === 'es' ? 'es-ES' : 'en-GB';
  const money = (minor: number) =>
    new Intl.NumberFormat(locale, { style: 'currency', currency: inv.currency }).format(minor / 100);
  const date = (d: string) =>
    new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(
      new Date(`${d}T12:00:00Z`),
    );
  const percent = (r: number) => `${new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(r)} %`;

  const title = inv.type.startsWith('R') ? t.title.R : t.title[inv.type as 'F1' | 'F2' | 'F3'];
  const texts: string[] = [
    title,
    inv.number,
    inv.issuer.legalName,
    inv.issuer.address,
    inv.issuer.taxId,
    ...Object.values(inv.customer).filter((v): v is string => !!v),
    ...inv.lines.flatMap((l) => [l.description, l.exemption?.reference ?? '']),
    inv.reason ?? '',
  ];
  for (const s of texts) assertPrintable(s);

  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.registerFontkit(fontkit);
  const f = await doc.embedFont(font(), { subset: true, customName: 'CitaDejaVuSans' });
  const issued = new Date(inv.issuedAt);
  doc.setTitle(`${title} ${inv.number}`, { showInWindowTitleBar: true });
  doc.setAuthor(inv.issuer.legalName);
  doc.setLanguage(opts.language === 'es' ? 'es-ES' : 'en-GB');
  doc.setCreationDate(issued);
  doc.setModificationDate(issued);

  const page = doc.addPage(A4);
  const [W, H] = A4;
  const ink = rgb(0.1, 0.1, 0.1);
  const grey = rgb(0.35, 0.35, 0.35);
  const draw = (s: string, x: number, y: number, size = 10, color = ink) =>
    page.drawText(s, { x, y, size, font: f, color });
  const right = (s: string, xr: number, y: number, size = 10, color = ink) =>
    draw(s, xr - f.widthOfTextAtSize(s, size), y, size, color);

  let y = H - MARGIN;
  // The QR block first, top left (QR spec: at the start of the invoice).
  const qrSize = 35 * MM;
  if (inv.qr) {
    draw(t.qr, MARGIN, y - 10, 10);
    drawQr(page, inv.qr.url, MARGIN, y - 16 - qrSize, qrSize);
    if (inv.qr.verifactu) draw(t.legend, MARGIN, y - 30 - qrSize, 10);
  }
  // Title, number and dates at the top right.
  right(title, W - MARGIN, y - 14, 16);
  right(`${t.number}: ${inv.number}`, W - MARGIN, y - 34, 11);
  right(`${t.issueDate}: ${date(inv.issueDate)}`, W - MARGIN, y - 50, 10);
  if (inv.operationDate) right(`${t.operationDate}: ${date(inv.operationDate)}`, W - MARGIN, y - 64, 10);
  if (inv.state === 'cancelled') right(t.cancelled, W - MARGIN, y - 84, 14, rgb(0.7, 0, 0));
  y -= inv.qr ? qrSize + 50 : 100;

  // Parties.
  const colW = (W - 2 * MARGIN) / 2 - 10;
  const block = (heading: string, lines: string[], x: number, top: number) => {
    draw(heading, x, top, 9, grey);
    let yy = top - 14;
    for (const l of lines)
      for (const w of wrap(f, l, 10, colW)) {
        draw(w, x, yy, 10);
        yy -= 13;
      }
    return yy;
  };
  const issuerEnd = block(
    t.issuer,
    [inv.issuer.legalName, `${t.taxId}: ${inv.issuer.taxId}`, inv.issuer.address],
    MARGIN,
    y,
  );
  const c = inv.customer;
  const customerLines = [c.name, c.taxId ? `${t.taxId}: ${c.taxId}` : undefined, c.address].filter(
    (v): v is string => !!v,
  );
  const customerEnd = customerLines.length ? block(t.customer, customerLines, W / 2 + 10, y) : y;
  y = Math.min(issuerEnd, customerEnd) - 16;

  // Lines.
  const cols = { desc: MARGIN, qty: 330, unit: 400, rate: 460, amount: W - MARGIN };
  const rule = (yy: number) =>
    page.drawLine({
      start: { x: MARGIN, y: yy },
      end: { x: W - MARGIN, y: yy },
      thickness: 0.5,
      color: grey,
    });
  // Full invoices show unit prices without tax (RD 1619/2012 art. 6.1.f); simplified ones as charged.
  const net = inv.type !== 'F2' && inv.type !== 'R5';
  draw(t.description, cols.desc, y, 9, grey);
  right(t.qty, cols.qty + 30, y, 9, grey);
  right(net ? t.unitNet : t.unit, cols.unit + 50, y, 9, grey);
  right(t.rate, cols.rate + 40, y, 9, grey);
  right(net ? t.net : t.amount, cols.amount, y, 9, grey);
  rule(y - 4);
  y -= 18;
  for (const l of inv.lines) {
    const wrapped = wrap(f, l.description, 10, cols.qty - cols.desc - 20);
    wrapped.forEach((w, i) => draw(w, cols.desc, y - i * 13, 10));
    right(String(l.quantity), cols.qty + 30, y, 10);
    right(money(net ? roundDiv(l.baseMinor, l.quantity) : l.unitMinor), cols.unit + 50, y, 10);
    right(l.rate !== undefined ? percent(l.rate) : t.exempt, cols.rate + 40, y, 10);
    right(money(net ? l.baseMinor : l.amountMinor), cols.amount, y, 10);
    y -= 13 * wrapped.length + 4;
  }
  rule(y + 6);
  y -= 14;

  // Breakdown per rate or exemption.
  draw(t.breakdown, MARGIN, y, 9, grey);
  y -= 14;
  for (const b of inv.breakdown) {
    const label =
      b.rate !== undefined
        ? `${inv.tax} ${percent(b.rate)}: ${t.base} ${money(b.baseMinor)} · ${t.tax} ${money(b.taxMinor)}`
        : `${t.exempt} (${b.exemption!.reference}): ${t.base} ${money(b.baseMinor)}`;
    for (const w of wrap(f, label, 10, W - 2 * MARGIN)) {
      draw(w, MARGIN, y, 10);
      y -= 13;
    }
  }
  y -= 8;
  right(`${t.base}: ${money(inv.baseMinor)}`, W - MARGIN, y, 10);
  right(`${inv.tax}: ${money(inv.taxMinor)}`, W - MARGIN, y - 14, 10);
  right(`${t.total}: ${money(inv.totalMinor)}`, W - MARGIN, y - 34, 14);
  if (inv.pricesIncludeTax && inv.type === 'F2') right(t.taxIncluded(inv.tax), W - MARGIN, y - 50, 9, grey);
  y -= 70;

  const notes: string[] = [];
  if (inv.corrects) notes.push(t.corrects(inv.corrects.number));
  if (inv.replaces) notes.push(t.replaces(inv.replaces.number));
  if (inv.reason) notes.push(`${t.reason}: ${inv.reason}`);
  for (const n of notes)
    for (const w of wrap(f, n, 10, W - 2 * MARGIN)) {
      draw(w, MARGIN, y, 10);
      y -= 13;
    }
  draw(opts.businessName, MARGIN, MARGIN - 20, 8, grey);

  return doc.save({ useObjectStreams: false });
}

/** Greedy word wrap to `width` points. */
function wrap(f: PDFFont, text: string, size: number, width: number): string[] {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(/ +/)) {
      const next = line ? `${line} ${word}` : word;
      if (line && f.widthOfTextAtSize(next, size) > width) {
        out.push(line);
        line = word;
      } else line = next;
    }
    out.push(line);
  }
  return out;
}

/** The QR symbol (error correction M, 2-module quiet zone) as black squares. */
function drawQr(page: PDFPage, url: string, x: number, y: number, size: number): void {
  const { data } = encode(url, { ecc: 'M', border: 2 });
  const n = data.length;
  const m = size / n;
  page.drawRectangle({ x, y, width: size, height: size, color: rgb(1, 1, 1) });
  for (let row = 0; row < n; row++)
    for (let col = 0; col < n; col++)
      if (data[row]![col])
        page.drawRectangle({
          x: x + col * m,
          y: y + size - (row + 1) * m,
          width: m,
          height: m,
          color: rgb(0, 0, 0),
        });
}

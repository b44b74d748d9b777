/**
 * VeriFactu (Real Decreto 1007/2023, Orden HAC/1177/2024): the `Huella` of billing records and
 * the QR URL printed on invoices. Pure functions; the chain itself is kept by
 * server/db/stores/invoices.ts.
 *
 * The hash (AEAT, "especificaciones técnicas para generación de la huella", v0.1.2): SHA-256
 * over `name=value` pairs joined by `&` in the fixed field order, each value trimmed, an empty
 * value still written as `name=`, UTF-8, as 64 upper-case hex characters. The first record of a
 * chain has an empty previous `Huella`. One chain per taxpayer NIF, across every series,
 * registration and cancellation records alike.
 */
import { createHash } from 'node:crypto';

export interface AltaFields {
  IDEmisorFactura: string;
  NumSerieFactura: string;
  /** DD-MM-AAAA */
  FechaExpedicionFactura: string;
  TipoFactura: string;
  /** Two decimals, dot ("12.35"). */
  CuotaTotal: string;
  ImporteTotal: string;
  /** The previous record's hash; empty for the first record. */
  Huella: string;
  /** ISO 8601 with the offset in force ("2024-01-01T19:20:30+01:00"). */
  FechaHoraHusoGenRegistro: string;
}

export interface AnulacionFields {
  IDEmisorFacturaAnulada: string;
  NumSerieFacturaAnulada: string;
  FechaExpedicionFacturaAnulada: string;
  Huella: string;
  FechaHoraHusoGenRegistro: string;
}

const ALTA_ORDER = [
  'IDEmisorFactura',
  'NumSerieFactura',
  'FechaExpedicionFactura',
  'TipoFactura',
  'CuotaTotal',
  'ImporteTotal',
  'Huella',
  'FechaHoraHusoGenRegistro',
] as const satisfies readonly (keyof AltaFields)[];

const ANULACION_ORDER = [
  'IDEmisorFacturaAnulada',
  'NumSerieFacturaAnulada',
  'FechaExpedicionFacturaAnulada',
  'Huella',
  'FechaHoraHusoGenRegistro',
] as const satisfies readonly (keyof AnulacionFields)[];

function huella(pairs: readonly (readonly [string, string | undefined])[]): string {
  const text = pairs.map(([name, value]) => `${name}=${(value ?? '').trim()}`).join('&');
  return createHash('sha256').update(text, 'utf8').digest('hex').toUpperCase();
}

export const altaHash = (f: AltaFields) => huella(ALTA_ORDER.map((k) => [k, f[k]] as const));
export const anulacionHash = (f: AnulacionFields) => huella(ANULACION_ORDER.map((k) => [k, f[k]] as const));

export type RecordFields = ({ kind: 'alta' } & AltaFields) | ({ kind: 'anulacion' } & AnulacionFields);

export const recordHash = (r: RecordFields) => (r.kind === 'alta' ? altaHash(r) : anulacionHash(r));

/** `YYYY-MM-DD` as the AEAT writes dates: `DD-MM-YYYY`. */
export function aeatDate(localDate: string): string {
  const [y, m, d] = localDate.split('-');
  return `${d}-${m}-${y}`;
}

/** The local date and time of `at` in `timeZone`, with its offset: `2024-01-01T19:20:30+01:00`. */
export function localDateTimeWithOffset(at: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const offset = parts.timeZoneName === 'GMT' ? '+00:00' : String(parts.timeZoneName).replace('GMT', '');
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${offset}`;
}

/** The local date (YYYY-MM-DD) of `at` in `timeZone`. */
export const localDate = (at: Date, timeZone: string) => localDateTimeWithOffset(at, timeZone).slice(0, 10);

export const QR_BASE = {
  production: 'https://www2.agenciatributaria.gob.es/wlpl/TIKE-CONT/',
  test: 'https://prewww2.aeat.es/wlpl/TIKE-CONT/',
} as const;

export interface QrInput {
  nif: string;
  numSerie: string;
  /** DD-MM-AAAA */
  fecha: string;
  totalMinor: number;
}

/** The QR's amount: a dot, at most two decimals, no trailing zeros ("241.4", "25", "-5.5"). */
export function qrAmount(minor: number): string {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  const cents = abs % 100;
  const euros = Math.floor(abs / 100);
  if (!cents) return `${sign}${euros}`;
  return `${sign}${euros}.${String(cents).padStart(2, '0').replace(/0$/, '')}`;
}

/**
 * The AEAT validation URL (QR spec v0.4.7): `ValidarQR` only when the record was accepted by
 * the agency (VERI*FACTU), `ValidarQRNoVerifactu` otherwise. Parameters in the spec's order,
 * each percent-encoded (`&`, `/`, `+` and spaces in a series number).
 */
export function qrUrl(q: QrInput, opts: { submitted: boolean; environment?: keyof typeof QR_BASE }): string {
  const base =
    QR_BASE[opts.environment ?? 'production'] + (opts.submitted ? 'ValidarQR' : 'ValidarQRNoVerifactu');
  const params = [
    ['nif', q.nif],
    ['numserie', q.numSerie],
    ['fecha', q.fecha],
    ['importe', qrAmount(q.totalMinor)],
  ];
  return `${base}?${params.map(([k, v]) => `${k}=${encodeURIComponent(v!)}`).join('&')}`;
}

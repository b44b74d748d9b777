/**
 * Invoice arithmetic in integer cents (never floating-point money).
 *
 * Rounding (documented in docs/invoices.md, tested in test/server/invoicing-domain.spec.ts):
 * half away from zero, to the cent, on exact integer ratios.
 *
 * - Prices without tax (`pricesIncludeTax: false`): a line's base is quantity × unit price,
 *   exact. Per rate, the base is the sum of its lines' bases and the tax is that base × rate,
 *   rounded once. A line's own tax (shown beside it) is rounded per line; the invoice's tax is
 *   the per-rate figure, so it never accumulates per-line rounding.
 * - Prices with tax (`pricesIncludeTax: true`, the usual case for a salon's customers): a line's
 *   amount is quantity × unit price, exact, and is what the customer pays. Per rate, the gross
 *   is the sum of its lines; the base is gross ÷ (1 + rate), rounded once, and the tax is gross −
 *   base, so the total always equals the prices shown. Line bases shown are rounded per line.
 * - Exempt lines: base = amount, no tax; grouped per exemption reason.
 *
 * Rates are basis points (2100 = 21 %, 700 = 7 %, 50 = 0.5 %), so IPSI's 0.5 % is exact too.
 */

export type TaxCategory =
  | { kind: 'taxed'; rateBp: number }
  /** Exempt (E1-E6 of the AEAT's list L10) with the legal reference printed on the invoice. */
  | { kind: 'exempt'; code: ExemptionCode; reference: string };

export const EXEMPTION_CODES = ['E1', 'E2', 'E3', 'E4', 'E5', 'E6'] as const;
export type ExemptionCode = (typeof EXEMPTION_CODES)[number];

export interface LineInput {
  description: string;
  quantity: number;
  /** Unit price in cents, with or without tax per `pricesIncludeTax`. Negative in corrections. */
  unitMinor: number;
  category: TaxCategory;
}

export interface ComputedLine extends LineInput {
  /** quantity × unit price, as entered (with tax when prices include it). */
  amountMinor: number;
  baseMinor: number;
  taxMinor: number;
}

export interface BreakdownRow {
  category: TaxCategory;
  baseMinor: number;
  taxMinor: number;
}

export interface Totals {
  lines: ComputedLine[];
  breakdown: BreakdownRow[];
  baseMinor: number;
  taxMinor: number;
  totalMinor: number;
}

/** a ÷ b rounded half away from zero; a, b integers, b > 0. */
export function roundDiv(a: number, b: number): number {
  if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || b <= 0) throw new RangeError('roundDiv');
  const q = Math.floor((2 * Math.abs(a) + b) / (2 * b));
  return a < 0 ? -q : q;
}

const categoryKey = (c: TaxCategory) => (c.kind === 'taxed' ? `t:${c.rateBp}` : `e:${c.code}:${c.reference}`);

const baseOf = (amount: number, c: TaxCategory, inclusive: boolean) =>
  c.kind === 'exempt' || !inclusive ? amount : roundDiv(amount * 10_000, 10_000 + c.rateBp);

const taxOf = (amount: number, c: TaxCategory, inclusive: boolean) =>
  c.kind === 'exempt'
    ? 0
    : inclusive
      ? amount - baseOf(amount, c, true)
      : roundDiv(amount * c.rateBp, 10_000);

export function computeTotals(lines: readonly LineInput[], pricesIncludeTax: boolean): Totals {
  const computed: ComputedLine[] = lines.map((l) => {
    const amountMinor = l.quantity * l.unitMinor;
    if (!Number.isSafeInteger(amountMinor)) throw new RangeError('amount out of range');
    return {
      ...l,
      amountMinor,
      baseMinor: baseOf(amountMinor, l.category, pricesIncludeTax),
      taxMinor: taxOf(amountMinor, l.category, pricesIncludeTax),
    };
  });
  const groups = new Map<string, { category: TaxCategory; amount: number }>();
  for (const l of computed) {
    const key = categoryKey(l.category);
    const g = groups.get(key) ?? { category: l.category, amount: 0 };
    g.amount += l.amountMinor;
    groups.set(key, g);
  }
  const breakdown = [...groups.values()].map(({ category, amount }) => ({
    category,
    baseMinor: baseOf(amount, category, pricesIncludeTax),
    taxMinor: taxOf(amount, category, pricesIncludeTax),
  }));
  const baseMinor = breakdown.reduce((s, r) => s + r.baseMinor, 0);
  const taxMinor = breakdown.reduce((s, r) => s + r.taxMinor, 0);
  return { lines: computed, breakdown, baseMinor, taxMinor, totalMinor: baseMinor + taxMinor };
}

/** Cents as the AEAT writes amounts: a dot, always two decimals ("12.35", "-5.00"). */
export function aeatAmount(minor: number): string {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** A rate in basis points as a percentage string ("21", "0.5", "9.5"). */
export function ratePercent(rateBp: number): string {
  return String(rateBp / 100);
}

/**
 * A refund amount as typed ("5", "5.5", "5,50", "1.234,50") in whole cents, or undefined when it
 * is not a positive amount with at most two decimals. DOM-free (test/console-bookings-range.spec.ts).
 */
export function parseAmount(input: string): number | undefined {
  const s = input.trim().replace(/\s/g, '');
  // The last "," or "." followed by one or two digits is the decimal mark; others group thousands.
  const m = /^(\d{1,3}(?:[.,]?\d{3})*|\d+)(?:[.,](\d{1,2}))?$/.exec(s);
  if (!m) return undefined;
  const whole = Number(m[1]!.replace(/[.,]/g, ''));
  const cents = Number((m[2] ?? '').padEnd(2, '0'));
  const total = whole * 100 + cents;
  return Number.isSafeInteger(total) && total > 0 ? total : undefined;
}

/**
 * Spanish tax identifiers (NIF), with their check characters:
 *
 * - DNI: 8 digits and a letter, `TRWAGMYFPDXBNJZSQVHLCKE`[number mod 23];
 * - NIE (foreigners): X, Y or Z (read as 0, 1, 2), 7 digits and the same letter;
 * - K, L, M (Spaniards without DNI, minors, foreigners without NIE): 7 digits and the DNI letter
 *   of those 7 digits;
 * - CIF (legal entities): an organisation letter, 7 digits and a control character: a digit for
 *   A, B, E, H (companies), a letter (`JABCDEFGHI`) for N, P, Q, R, S, W, either for the others.
 *
 * Input is normalised first: upper case, spaces, dots and dashes removed, an `ES` prefix dropped.
 */

const DNI_LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE';
const CIF_LETTERS = 'JABCDEFGHI';

export type TaxIdKind = 'dni' | 'nie' | 'klm' | 'cif';

export interface TaxId {
  /** Normalised: upper case, no separators, no `ES` prefix. */
  value: string;
  kind: TaxIdKind;
}

export function normaliseTaxId(input: string): string {
  const v = input.toUpperCase().replace(/[\s.-]/g, '');
  return v.startsWith('ES') && v.length === 11 ? v.slice(2) : v;
}

/** The tax id, normalised and classified, or undefined when its format or check character is wrong. */
export function parseTaxId(input: string): TaxId | undefined {
  const v = normaliseTaxId(input);
  let m = /^(\d{8})([A-Z])$/.exec(v);
  if (m) return DNI_LETTERS[Number(m[1]) % 23] === m[2] ? { value: v, kind: 'dni' } : undefined;
  m = /^([XYZ])(\d{7})([A-Z])$/.exec(v);
  if (m) {
    const n = Number(String('XYZ'.indexOf(m[1]!)) + m[2]);
    return DNI_LETTERS[n % 23] === m[3] ? { value: v, kind: 'nie' } : undefined;
  }
  m = /^([KLM])(\d{7})([A-Z])$/.exec(v);
  if (m) return DNI_LETTERS[Number(m[2]) % 23] === m[3] ? { value: v, kind: 'klm' } : undefined;
  m = /^([ABCDEFGHJNPQRSUVW])(\d{7})([0-9A-J])$/.exec(v);
  if (m) {
    const digits = m[2]!;
    let sum = 0;
    for (let i = 0; i < 7; i++) {
      const d = Number(digits[i]);
      if (i % 2 === 1) sum += d;
      else {
        const x = d * 2;
        sum += Math.floor(x / 10) + (x % 10);
      }
    }
    const control = (10 - (sum % 10)) % 10;
    const letter = CIF_LETTERS[control]!;
    const given = m[3]!;
    const org = m[1]!;
    const ok = 'ABEH'.includes(org)
      ? given === String(control)
      : 'NPQRSW'.includes(org)
        ? given === letter
        : given === String(control) || given === letter;
    return ok ? { value: v, kind: 'cif' } : undefined;
  }
  return undefined;
}

export const isValidTaxId = (input: string) => parseTaxId(input) !== undefined;

/**
 * The emailed sign-up code as typed or pasted: "123 456", "123-456", full-width digits from an
 * IME, a leading "Code: " from a copied line. The digits are kept (at most 6), anything else is
 * dropped, so a paste of the whole email line still fills the field.
 */
export function normaliseCode(input: string): string {
  const digits = input.normalize('NFKC').replace(/\D+/g, '');
  return digits.slice(0, 6);
}

export const isCompleteCode = (code: string): boolean => /^[0-9]{6}$/.test(code);

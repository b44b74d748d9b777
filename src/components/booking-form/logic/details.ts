/**
 * DOM-free validation of the customer's details with the contract's own schemas, so the form
 * refuses exactly what the server would. Problems are kept as codes and turned into words only
 * when shown (`detailMessage` in fields.ts), so a language switch re-words the messages already on screen.
 */
import { Customer, internationalPhone, type CustomerField } from '../../../api/contract.js';
import { field } from './fields.js';

export type DetailValues = Partial<Record<CustomerField, string>>;
export type DetailProblem = { kind: 'required' } | { kind: 'tooLong'; max: number } | { kind: 'invalid' };
export type DetailErrors = Partial<Record<CustomerField, DetailProblem>>;

/**
 * Validates the asked fields (all required); returns the parsed customer when every field is
 * valid. A national phone number is read with the business's calling code (`phoneCountryCode`).
 */
export function validateDetails(
  values: DetailValues,
  fields: readonly CustomerField[],
  phoneCountryCode?: string,
): { errors: DetailErrors; customer?: Customer } {
  const input: Record<string, string> = {};
  // Optional fields the business asks for are still required by the business's choice.
  for (const f of fields) input[f] = values[f] ?? '';
  if (input.phone) input.phone = internationalPhone(input.phone, phoneCountryCode);
  const r = Customer.safeParse(input);
  const errors: DetailErrors = {};
  for (const f of fields) {
    if (!(values[f] ?? '').trim()) errors[f] = { kind: 'required' };
  }
  if (!r.success) {
    for (const issue of r.error.issues) {
      const f = issue.path[0] as CustomerField;
      if (!fields.includes(f) || errors[f]) continue;
      errors[f] = problem(f, issue.message);
    }
  }
  return Object.keys(errors).length || !r.success ? { errors } : { errors, customer: r.data };
}

function problem(name: CustomerField, raw: string): DetailProblem {
  if (raw === 'Required') return { kind: 'required' };
  if (raw.startsWith('At most')) return { kind: 'tooLong', max: field(name).max };
  return { kind: 'invalid' };
}

/**
 * DOM-free validation of the customer's details with the contract's own schemas, so the form
 * refuses exactly what the server would, with messages from the string catalog.
 */
import { Customer, type CustomerField } from '../../../api/contract.js';
import type { Strings } from '../../../locales/strings.js';

export type DetailValues = Partial<Record<CustomerField, string>>;
export type DetailErrors = Partial<Record<CustomerField, string>>;

const MAX: Record<CustomerField, number> = { name: 100, email: 254, phone: 32, notes: 1000 };

export function maxLength(field: CustomerField): number {
  return MAX[field];
}

/** Validates the asked fields; returns the parsed customer when every field is valid. */
export function validateDetails(
  values: DetailValues,
  fields: readonly CustomerField[],
  t: Strings,
): { errors: DetailErrors; customer?: Customer } {
  const input: Record<string, string> = {};
  for (const f of fields) {
    const v = values[f] ?? '';
    // Optional fields the business asks for are still required by the business's choice.
    input[f] = v;
  }
  const r = Customer.safeParse(input);
  const errors: DetailErrors = {};
  for (const f of fields) {
    if (!(values[f] ?? '').trim()) errors[f] = t.required;
  }
  if (!r.success) {
    for (const issue of r.error.issues) {
      const f = issue.path[0] as CustomerField;
      if (!fields.includes(f) || errors[f]) continue;
      errors[f] = message(f, issue.message, t);
    }
  }
  return Object.keys(errors).length || !r.success ? { errors } : { errors, customer: r.data };
}

function message(field: CustomerField, raw: string, t: Strings): string {
  if (raw === 'Required') return t.required;
  if (raw.startsWith('At most')) return t.tooLong(MAX[field]);
  if (field === 'email') return t.invalidEmail;
  if (field === 'phone') return t.invalidPhone;
  return raw;
}

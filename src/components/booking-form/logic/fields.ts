/**
 * The customer fields, declared once: how each is typed in (input type, `autocomplete`,
 * `inputmode`), its contract limit, the catalog keys of its label, hint and "invalid" message,
 * and whether the review repeats it. The details step renders from this table, validation
 * (details.ts) reads its limits and messages, and the review its `summary` flags; the order
 * here is the order on screen. test/fields.spec.ts holds the limits to the contract's.
 */
import type { CustomerField } from '../../../api/contract.js';
import type { Strings } from '../../../locales/strings.js';
import type { DetailProblem } from './details.js';

/** Keys of the catalog whose value is a plain string. */
export type TextKey = { [K in keyof Strings]: Strings[K] extends string ? K : never }[keyof Strings];

export interface FieldSpec {
  name: CustomerField;
  /** An `<input>` type, or `textarea`. */
  input: 'text' | 'email' | 'tel' | 'textarea';
  /** `autocomplete` of an `<input>` (a textarea has none). */
  autocomplete?: string;
  /** `inputmode` of an `<input>`, when it differs from its type. */
  inputmode?: string;
  /** The contract's limit, in characters (code points), also the input's `maxlength`. */
  max: number;
  /** The label's catalog key, when it differs from `name`. */
  label?: TextKey;
  /** A hint shown under the label and linked with `aria-describedby`. */
  hint?: TextKey;
  /** The message when the value is there but not valid. */
  invalid: TextKey;
  /** Repeated in the review's summary. */
  summary?: boolean;
}

export const FIELDS: readonly FieldSpec[] = [
  {
    name: 'name',
    input: 'text',
    autocomplete: 'name',
    max: 100,
    invalid: 'invalidField',
    summary: true,
  },
  {
    name: 'email',
    input: 'email',
    autocomplete: 'email',
    max: 254,
    invalid: 'invalidEmail',
    summary: true,
  },
  {
    name: 'phone',
    input: 'tel',
    autocomplete: 'tel',
    max: 32,
    hint: 'phoneHint',
    invalid: 'invalidPhone',
    summary: true,
  },
  { name: 'notes', input: 'textarea', max: 1000, invalid: 'invalidField' },
];

/** The catalog key of a field's label. */
export const labelKey = (f: FieldSpec): TextKey => f.label ?? f.name;

/** The declaration of one field. */
export const field = (name: CustomerField): FieldSpec => FIELDS.find((f) => f.name === name)!;

/**
 * The message for a field's problem in the catalog's language. Here rather than in details.ts,
 * which imports the contract's schemas: the later steps' lazy chunk needs only this, and a value
 * import of those schemas from the chunk makes Rolldown split zod out of the entry.
 */
export function detailMessage(name: CustomerField, p: DetailProblem, t: Strings): string {
  switch (p.kind) {
    case 'required':
      return t.required;
    case 'tooLong':
      return t.tooLong(p.max);
    case 'invalid':
      return t[field(name).invalid];
  }
}

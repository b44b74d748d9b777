import { describe, expect, it } from 'vitest';
import { CUSTOMER_FIELDS } from '../src/api/contract.js';
import { validateDetails } from '../src/components/booking-form/logic/details.js';
import { FIELDS, field } from '../src/components/booking-form/logic/fields.js';

describe('the customer fields table (logic/fields.ts)', () => {
  it('declares every contract field once', () => {
    expect(FIELDS.map((f) => f.name).sort()).toEqual([...CUSTOMER_FIELDS].sort());
  });

  it("holds each field's limit to the contract's: one more character is refused", () => {
    const over = {
      name: 'a'.repeat(field('name').max + 1),
      email: `${'a'.repeat(field('email').max)}@example.com`,
      phone: `+34${'.'.repeat(field('phone').max - 11)}600123456`,
      notes: 'a'.repeat(field('notes').max + 1),
    };
    const { errors } = validateDetails(over, CUSTOMER_FIELDS);
    for (const f of CUSTOMER_FIELDS) expect(errors[f], f).toBeDefined();
    const at = { name: 'a'.repeat(field('name').max), notes: 'a'.repeat(field('notes').max) };
    expect(validateDetails({ ...at, email: 'a@example.com' }, ['name', 'email', 'notes']).errors).toEqual({});
  });
});

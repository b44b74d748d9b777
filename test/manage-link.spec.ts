/** booking-manager/logic/manage-link.ts: the manage token is read from the fragment, then dropped from it. */
import { describe, expect, it } from 'vitest';
import {
  readManageFragment,
  withoutManageFragment,
} from '../src/components/booking-manager/logic/manage-link.js';

const ID = '0b9f1c1e-8a55-4c35-9b0e-4f1f3d2b7a10';
const TOKEN = 'A'.repeat(43);

describe('manage link fragment', () => {
  it('reads id and token alone or among other parameters', () => {
    expect(readManageFragment(`#cita-manage=${ID}.${TOKEN}`)).toEqual({ id: ID, token: TOKEN });
    expect(readManageFragment(`#tab=2&cita-manage=${ID}.${TOKEN}&x=1`)).toEqual({ id: ID, token: TOKEN });
    expect(readManageFragment('#tab=2')).toBeUndefined();
    expect(readManageFragment(`#cita-manage=${ID}.short`)).toBeUndefined();
  });

  it('leaves the rest of the fragment and never the token', () => {
    expect(withoutManageFragment(`#cita-manage=${ID}.${TOKEN}`)).toBe('');
    expect(withoutManageFragment(`#tab=2&cita-manage=${ID}.${TOKEN}&x=1`)).toBe('#tab=2&x=1');
    expect(withoutManageFragment('#tab=2')).toBe('#tab=2');
  });
});

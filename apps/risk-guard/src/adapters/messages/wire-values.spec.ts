import { describe, expect, it } from '@jest/globals';
import { isDecimalString } from '@mt5/contracts';
import { decimalText, moneyText, stableId } from './wire-values.js';

describe('wire values', () => {
  it('derives the same id from the same parts, 26 base32 characters after the prefix, and a different one from other parts', () => {
    const id = stableId('rg-', 'SIGNAL', 'S1');
    expect(id).toMatch(/^rg-[a-z2-7]{26}$/);
    expect(stableId('rg-', 'SIGNAL', 'S1')).toBe(id);
    expect(stableId('rg-', 'MANUAL', 'S1')).not.toBe(id);
    expect(stableId('rg-', 'SIGNAL', 'S', '1')).not.toBe(stableId('rg-', 'SIGNAL', 'S1'));
  });

  it('writes numbers as plain decimal strings the wire accepts, never with an exponent', () => {
    expect([1709589600000, -200, 0.1 + 0.2, 1e-9, -0, 12.5].map(decimalText)).toEqual(['1709589600000', '-200', '0.3', '0', '0', '12.5']);
    for (const value of [1e-7, 123456.789012345, -0.00000001]) expect(isDecimalString(decimalText(value), 'signed')).toBe(true);
    expect(moneyText(-0.001)).toBe('0.00');
  });
});

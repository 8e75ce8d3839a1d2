import { describe, expect, it } from '@jest/globals';
import { aggregateFills, remaining, toDecimalString, toMoneyString } from './decimals.js';

describe('decimal strings from bridge numbers', () => {
  it('writes a price with the symbol digits and no exponent', () => {
    expect(toDecimalString(1.12959, 5)).toBe('1.12959');
    expect(toDecimalString(0.1 + 0.2, 5)).toBe('0.30000');
    expect(toDecimalString(1e-7)).toBe('0.0000001');
    expect(toDecimalString(150.1234567891234)).toBe('150.1234567891');
  });

  it('writes money with two decimals and never a negative zero', () => {
    expect(toMoneyString(-0.004)).toBe('0.00');
    expect(toMoneyString(-12.345)).toBe('-12.35');
  });

  it('refuses NaN and infinities', () => {
    expect(() => toDecimalString(Number.NaN)).toThrow('not finite');
  });
});

describe('aggregateFills', () => {
  it('sums volume and weights the average price exactly (0.1 at 1.1 and 0.3 at 1.2 → 1.175)', () => {
    expect(aggregateFills([{ volume: '0.1', price: '1.1' }, { volume: '0.3', price: '1.2' }])).toEqual({ volume: '0.4', averagePrice: '1.175' });
    expect(remaining('0.5', '0.4')).toBe('0.1');
    expect(remaining('0.5', '0.7')).toBe('0');
  });
});

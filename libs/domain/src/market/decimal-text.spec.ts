import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { classifyDecimal, DecimalKinds, formatPrice, parseDecimal } from './decimal-text.js';

describe('parseDecimal', () => {
  it('equals Number() for every plain decimal of up to 16 significant digits', () => {
    const decimal = fc.tuple(fc.bigInt({ min: 0n, max: 9_999_999_999_999_999n }), fc.integer({ min: 0, max: 16 }), fc.boolean())
      .map(([digits, scale, negative]) => {
        const text = digits.toString().padStart(scale + 1, '0');
        const withDot = scale === 0 ? text : `${text.slice(0, -scale)}.${text.slice(-scale)}`;
        return negative ? `-${withDot}` : withDot;
      });
    fc.assert(fc.property(decimal, (text) => Object.is(parseDecimal(text), Number(text))), { numRuns: 20_000 });
  });

  it('reads the shared files\' price shapes exactly', () => {
    expect(parseDecimal('1.1284')).toBe(1.1284);
    expect(parseDecimal('19695.87000000')).toBe(19695.87);
    expect(parseDecimal('103.811')).toBe(103.811);
    expect(parseDecimal('.5')).toBe(0.5);
  });

  it('refuses what Number() would quietly accept', () => {
    for (const text of ['', ' 1.1', '1.1 ', '0x1F', '1e-5', '1,1', '1.1.1', '+', '-', '.', 'Infinity', 'NaN']) {
      expect([text, parseDecimal(text)]).toEqual([text, Number.NaN]);
    }
  });
});

describe('classifyDecimal', () => {
  it('tells non-finite spellings from garbage', () => {
    expect(['NaN', 'nan', 'inf', '-Infinity', '1.#INF', '1.#QNAN', '-nan(ind)'].map(classifyDecimal)).toEqual(Array(7).fill(DecimalKinds.nonFinite));
    expect(['abc', '', '1e5', '0x10'].map(classifyDecimal)).toEqual(Array(4).fill(DecimalKinds.malformed));
    expect(['1', '1.5', '-2.25', '.5'].map(classifyDecimal)).toEqual(Array(4).fill(DecimalKinds.plain));
  });
});

describe('formatPrice', () => {
  it('writes back a parsed price with the instrument digits without float noise', () => {
    expect(formatPrice(1.1284, 5)).toBe('1.12840');
    expect(formatPrice(0.1 + 0.2, 5)).toBe('0.30000');
    expect(() => formatPrice(Number.NaN, 5)).toThrow(RangeError);
  });
});

import { describe, expect, it } from '@jest/globals';
import { Decimal } from 'decimal.js';
import { arrayLiteral, copyField, copyLine, sqlParameter } from './copy-format.js';

describe('COPY text format', () => {
  it('writes null and undefined as \\N', () => {
    expect(copyField(null)).toBe('\\N');
    expect(copyField(undefined)).toBe('\\N');
  });

  it('escapes backslash, tab, newline and carriage return, and nothing else', () => {
    expect(copyField('a\\b\tc\nd\re "q" ,')).toBe('a\\\\b\\tc\\nd\\re "q" ,');
  });

  it('writes dates as UTC ISO strings, booleans as t/f, bigints and decimals exactly', () => {
    expect(copyLine([new Date('2024-01-02T03:04:05.678Z'), true, false, 2n ** 70n, new Decimal('1.10000000000000000001')]))
      .toBe('2024-01-02T03:04:05.678Z\tt\tf\t1180591620717411303424\t1.10000000000000000001\n');
  });

  it('writes plain objects as JSON and arrays as Postgres array literals', () => {
    expect(copyField({ a: [1, 'x'] })).toBe('{"a":[1,"x"]}');
    expect(arrayLiteral(['FOK', 'a"b', 'c\\d', null])).toBe('{"FOK","a\\"b","c\\\\d",NULL}');
  });

  it('refuses NaN, Infinity and invalid dates instead of storing them', () => {
    expect(() => copyField(Number.NaN)).toThrow(/non-finite/);
    expect(() => copyField(Number.POSITIVE_INFINITY)).toThrow(/non-finite/);
    expect(() => copyField(new Date('nope'))).toThrow(/invalid Date/);
  });
});

describe('sqlParameter', () => {
  it('turns dates into ISO strings, decimals into exact strings and plain objects into JSON; arrays stay arrays', () => {
    expect(sqlParameter(new Date('2024-01-02T00:00:00Z'))).toBe('2024-01-02T00:00:00.000Z');
    expect(sqlParameter(new Decimal('0.00001'))).toBe('0.00001');
    expect(sqlParameter({ k: 1 })).toBe('{"k":1}');
    expect(sqlParameter(['a', 'b'])).toEqual(['a', 'b']);
    expect(sqlParameter(undefined)).toBeNull();
  });
});

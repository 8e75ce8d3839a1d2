import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  compareDecimalStrings,
  decimalString,
  describeZodError,
  isoUtcTimestamp,
  moneyString,
  priceString,
  volumeString,
} from './primitives.schemas.js';

function firstMessage(schema: { safeParse(value: unknown): { success: boolean; error?: { issues: { message: string }[] } } }, value: unknown) {
  const result = schema.safeParse(value);
  expect(result.success).toBe(false);
  return result.error?.issues[0]?.message;
}

describe('decimal strings', () => {
  it.each(['0', '1', '1.08525', '2345.12', '0.00001', '100000000'])('accepts the price %j', (value) => {
    expect(priceString.safeParse(value).success).toBe(true);
  });

  it.each(['-523.10', '0', '-0.70', '10000.00'])('accepts the money amount %j', (value) => {
    expect(moneyString.safeParse(value).success).toBe(true);
  });

  it.each([
    ['NaN'], ['Infinity'], ['-Infinity'], ['1e5'], ['1E-7'], ['1.2e3'], ['+1.5'], ['007'], ['.5'], ['1.'], [' 1.5'],
    ['1,5'], ['0x1A'], [''], ['1'.repeat(41)],
  ])('rejects %j with a message that names it', (value) => {
    expect(firstMessage(priceString, value)).toBe(
      `expected a non-negative plain decimal string such as "1.08525" (no exponent, NaN or Infinity), got ${JSON.stringify(value)}`,
    );
  });

  it('rejects a number, even a finite one, so no double sneaks onto the wire', () => {
    expect(firstMessage(priceString, 1.5)).toMatch(/expected string, received number/);
  });

  it('rejects a negative volume and a zero volume', () => {
    expect(firstMessage(volumeString, '-0.10')).toBe('expected a positive plain decimal string such as "0.10" (no exponent, NaN or Infinity), got "-0.10"');
    expect(firstMessage(volumeString, '0.00')).toMatch(/positive plain decimal/);
  });

  it('rejects a negative price', () => {
    expect(firstMessage(priceString, '-1.2')).toMatch(/non-negative plain decimal string/);
  });

  it('accepts what decimal arithmetic writes for any amount with up to 8 decimals', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.integer({ min: 0, max: 8 }), (units, scale) => {
        expect(decimalString('signed').safeParse(toDecimal(units, scale)).success).toBe(true);
      }),
    );
  });
});

/** Renders units × 10^-scale the way decimal.js `toFixed(scale)` does. */
function toDecimal(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

describe('compareDecimalStrings', () => {
  it.each([
    ['1.10', '1.1', 0],
    ['1.09', '1.1', -1],
    ['10', '9.99999', 1],
    ['-0.5', '0.1', -1],
    ['-2', '-10', 1],
    ['-0', '0', 0],
    ['2345.12', '2345.120001', -1],
  ] as const)('compares %s with %s as %d', (a, b, expected) => {
    expect(compareDecimalStrings(a, b)).toBe(expected);
  });

  it('agrees with integer arithmetic on scaled values', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 }), (a, b, scaleA, scaleB) => {
        const common = 10n ** BigInt(Math.max(scaleA, scaleB));
        const left = a * (common / 10n ** BigInt(scaleA));
        const right = b * (common / 10n ** BigInt(scaleB));
        const expected = left === right ? 0 : left < right ? -1 : 1;
        expect(compareDecimalStrings(toDecimal(a, scaleA), toDecimal(b, scaleB))).toBe(expected);
      }),
    );
  });

  it('refuses anything but decimal strings', () => {
    expect(() => compareDecimalStrings('1e3', '1')).toThrow(/not decimal strings/);
  });
});

describe('isoUtcTimestamp', () => {
  it.each(['2024-01-02T03:04:05Z', '2024-01-02T03:04:05.678Z', new Date(0).toISOString()])('accepts %s', (value) => {
    expect(isoUtcTimestamp.safeParse(value).success).toBe(true);
  });

  it.each(['2024-01-02T03:04:05+02:00', '2024-01-02 03:04:05', '2024.01.02 03:04', '1704164645000', '2024-13-02T03:04:05Z'])(
    'rejects %s with a message asking for UTC',
    (value) => {
      expect(firstMessage(isoUtcTimestamp, value)).toBe(
        `expected an ISO-8601 UTC timestamp such as "2024-01-02T03:04:05.000Z", got ${JSON.stringify(value)}`,
      );
    },
  );
});

describe('describeZodError', () => {
  it('puts every issue on one line with its path', () => {
    const result = decimalString().safeParse('1e5');
    expect(result.success).toBe(false);
    if (!result.success) {
      expect(describeZodError(result.error, ['data', 'price'])).toBe(
        'data.price: expected a non-negative plain decimal string such as "1.08525" (no exponent, NaN or Infinity), got "1e5"',
      );
    }
  });
});

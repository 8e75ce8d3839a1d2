import { Decimal } from 'decimal.js';

/**
 * Exact decimal arithmetic for money, prices and volumes. A private clone so no other module's
 * global Decimal settings can change ours: 40 significant digits is far beyond DECIMAL(24,8), and
 * half-even rounding keeps repeated roundings unbiased.
 */
export const Exact = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN, toExpNeg: -30, toExpPos: 40 });
export type Exact = InstanceType<typeof Exact>;

/** Decimal places of stored money (DECIMAL(24,8)). */
export const MONEY_SCALE = 8;
/** Decimal places of stored prices (DECIMAL(24,10)). */
export const PRICE_SCALE = 10;

export const ZERO = new Exact(0);

export function exact(value: string | number | Exact): Exact {
  return new Exact(value);
}

/** Sum of decimal strings, exact. */
export function sumExact(values: Iterable<string | Exact>): Exact {
  let total = ZERO;
  for (const value of values) total = total.plus(value);
  return total;
}

/**
 * Plain decimal string without exponent and without trailing zeros (`"-12.5"`, `"0"`), the wire
 * format of money. Negative zero prints as `"0"`.
 */
export function plain(value: Exact): string {
  if (value.isZero()) return '0';
  const text = value.toFixed();
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

/** Rounds to the stored money scale and prints it plain. */
export function moneyString(value: Exact): string {
  return plain(value.toDecimalPlaces(MONEY_SCALE));
}

/** Money rounded to cents, for display and comparisons "to the cent". */
export function cents(value: Exact | string): string {
  return new Exact(value).toFixed(2);
}

/** Smallest of many numbers without spreading them into arguments (no call-stack limit); null when empty. */
export function minOf(values: Iterable<number>): number | null {
  let min: number | null = null;
  for (const value of values) if (min === null || value < min) min = value;
  return min;
}

/** Largest of many numbers (see {@link minOf}); null when empty. */
export function maxOf(values: Iterable<number>): number | null {
  let max: number | null = null;
  for (const value of values) if (max === null || value > max) max = value;
  return max;
}

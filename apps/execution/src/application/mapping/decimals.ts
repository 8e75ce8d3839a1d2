import { Decimal } from 'decimal.js';

/**
 * Bridge numbers (MQL5 doubles, written by the EA with the symbol's digits) to the decimal strings
 * the bus carries. With `digits` the value is rounded to them (the EA's own text); without, up to
 * 10 places with trailing zeros dropped. Never an exponent.
 */
export function toDecimalString(value: number, digits?: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`toDecimalString: ${value} is not finite`);
  const rounded = new Decimal(value).toDecimalPlaces(digits ?? 10, Decimal.ROUND_HALF_UP);
  const text = digits === undefined ? rounded.toFixed() : rounded.toFixed(digits);
  return rounded.isZero() ? text.replace(/^-/, '') : text;
}

/** Money in account currency: two decimals, as MT5 reports it. */
export const toMoneyString = (value: number) => toDecimalString(value, 2);

/** A volume in lots, shortest form ("0.1"): volume steps go down to 0.00000001 on crypto symbols. */
export const toVolumeString = (value: number) => new Decimal(toDecimalString(value, 8)).toFixed();

/** Price or absent: MT5 writes 0 for "no stop loss". */
export const toOptionalPrice = (value: number, digits?: number) => (value > 0 ? toDecimalString(value, digits) : null);

export interface VolumePrice {
  readonly volume: string;
  readonly price: string;
}

/** Total volume and volume-weighted average price of fills (exact decimal arithmetic). */
export function aggregateFills(fills: readonly VolumePrice[]): { volume: string; averagePrice: string } {
  let volume = new Decimal(0);
  let notional = new Decimal(0);
  for (const fill of fills) {
    volume = volume.plus(fill.volume);
    notional = notional.plus(new Decimal(fill.volume).times(fill.price));
  }
  const average = volume.isZero() ? new Decimal(0) : notional.dividedBy(volume).toDecimalPlaces(10, Decimal.ROUND_HALF_UP);
  return { volume: volume.toFixed(), averagePrice: average.toFixed() };
}

/** a - b, floored at zero. */
export function remaining(total: string, done: string): string {
  const rest = new Decimal(total).minus(done);
  return rest.isNegative() ? '0' : rest.toFixed();
}

/** a >= b, exactly. */
export function atLeast(a: string, b: string): boolean {
  return new Decimal(a).greaterThanOrEqualTo(b);
}

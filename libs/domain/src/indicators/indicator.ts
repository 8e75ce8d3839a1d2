/**
 * The one interface every indicator implements, modelled on `trading-signals`: incremental
 * updates, a `replace` for the bar that is still forming, and a result that stays `null` until
 * the indicator has seen enough inputs to be meaningful.
 *
 * Semantics shared by every implementation (and asserted for all of them by
 * `indicators.contract.spec.ts`):
 * - `add(x)` appends an input; `replace(x)` swaps the most recent input for `x`, as if `add(x)`
 *   had been called instead. `replace` may be called any number of times in a row; with no
 *   input yet it behaves like `add`.
 * - After `warmUp` calls to `add`, `isStable` is true and `result` is not null; before that,
 *   `result` is null.
 * - `update(x)` is `add(x)` without building a return value: the form for hot loops, which then
 *   read numeric getters (`value`, `upper`, ...; NaN while warming up) so that a bar costs no
 *   allocation.
 * - `reset()` returns the indicator to the state it had when constructed.
 * - Arithmetic is plain IEEE `number`; running sums are re-derived from the window once per
 *   window length so that rounding cannot accumulate over long runs.
 */
export interface Indicator<Input, Result> {
  /** Number of inputs needed before `result` is not null. */
  readonly warmUp: number;
  /** True once `result` is available. */
  readonly isStable: boolean;
  /** The latest value, or null while warming up. */
  readonly result: Result | null;
  /** Appends an input and returns the new result (null while warming up). */
  add(input: Input): Result | null;
  /** Appends an input, returning nothing (no allocation); read `result` or numeric getters after. */
  update(input: Input): void;
  /** Replaces the most recent input (the still-forming bar) and returns the new result. */
  replace(input: Input): Result | null;
  /** Forgets every input. */
  reset(): void;
}

/** The part of a bar that range-based indicators (ATR, ADX, Stochastic, CCI, Donchian) read. */
export interface HighLowClose {
  readonly high: number;
  readonly low: number;
  readonly close: number;
}

/** An indicator with one number as its result, also readable as `value` (NaN while warming up). */
export interface NumericIndicator<Input> extends Indicator<Input, number> {
  readonly value: number;
}

/** An indicator fed with one number per bar (usually the close). */
export type PriceIndicator<Result = number> = Indicator<number, Result>;

/** An indicator fed with a bar's high, low and close. */
export type CandleIndicator<Result = number> = Indicator<HighLowClose, Result>;

/** Throws on a period that is not a positive integer: that is a programming error, not input. */
export function assertPeriod(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
}

import type { InstrumentSpec } from '../instruments/instrument-spec.js';

/**
 * The part of an `InstrumentSpec` that position math needs, so callers (and tests) can pass a
 * spec from the catalogue, from the bridge after mapping, or a literal with just these fields.
 * `marginRate` and a per-symbol `leverage` are optional here: absent means 1 and the account's.
 */
export type InstrumentMath = Pick<
  InstrumentSpec,
  'symbol' | 'digits' | 'point' | 'tickSize' | 'tickValue' | 'contractSize' | 'baseCurrency' | 'profitCurrency' | 'marginCurrency'
> &
  Partial<Pick<InstrumentSpec, 'marginRate' | 'leverage'>>;

/** A two-sided quote. Epoch milliseconds, like every time in the domain. */
export interface Quote {
  readonly bid: number;
  readonly ask: number;
  readonly time: number;
}

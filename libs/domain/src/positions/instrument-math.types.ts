/**
 * The part of an instrument specification that position math needs. It is structural on purpose:
 * the instruments library's `InstrumentSpec` (and the bridge's symbol spec after mapping) satisfy
 * it without this library depending on where the spec came from.
 */
export interface InstrumentMath {
  readonly symbol: string;
  /** Digits after the decimal point in a quote (5 for EURUSD, 3 for USDJPY, 2 for XAUUSD). */
  readonly digits: number;
  /** Smallest price change (`SYMBOL_POINT`). */
  readonly point: number;
  /** Smallest price movement the venue quotes in (usually equal to `point`). */
  readonly tickSize: number;
  /** Value of one tick for one lot, in the account currency, as the venue reported it. */
  readonly tickValue: number;
  /** Units of the base asset in one lot (100 000 for forex, 100 oz for XAUUSD). */
  readonly contractSize: number;
  readonly baseCurrency: string;
  readonly profitCurrency: string;
  readonly marginCurrency: string;
}

/** A two-sided quote. Epoch milliseconds, like every time in the domain. */
export interface Quote {
  readonly bid: number;
  readonly ask: number;
  readonly time: number;
}

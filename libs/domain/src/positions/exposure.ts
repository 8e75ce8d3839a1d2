import type { Side } from '@mt5/contracts';
import type { InstrumentMath, Quote } from './instrument-math.types.js';
import { notionalValue } from './margin.js';
import { sideSign } from './profit.js';

/** What exposure needs to know about a position (or an order being considered). */
export interface ExposureItem {
  readonly symbol: string;
  readonly side: Side;
  readonly volume: number;
  /** Used when there is no quote for the symbol. */
  readonly openPrice?: number;
}

/** Net exposure to one currency. */
export interface CurrencyExposure {
  /** Units of the currency: +100 000 EUR for one lot of EURUSD bought. */
  readonly units: number;
  /** The same exposure valued in the account currency (signed: + long, - short). */
  readonly value: number;
}

export interface ExposureReport {
  readonly byCurrency: Readonly<Record<string, CurrencyExposure>>;
  /** Symbols left out because their instrument or any price was unknown. */
  readonly unpriced: readonly string[];
}

/**
 * Net exposure per currency: buying a pair is long its base and short its quote (profit)
 * currency by the same value. One lot of EURUSD bought at 1.1 on a USD account is
 * `EUR +100 000 units (+110 000 USD)` and `USD -110 000 units (-110 000 USD)`. Prices are quote
 * mids; a position without a quote is valued at its open price.
 */
export function currencyExposure(
  items: readonly ExposureItem[],
  instruments: Readonly<Record<string, InstrumentMath | undefined>>,
  quotes: Readonly<Record<string, Quote | undefined>>,
  accountCurrency: string,
): ExposureReport {
  const byCurrency: Record<string, { units: number; value: number }> = {};
  const unpriced: string[] = [];
  const add = (currency: string, units: number, value: number): void => {
    const entry = (byCurrency[currency] ??= { units: 0, value: 0 });
    entry.units += units;
    entry.value += value;
  };
  for (const item of items) {
    const instrument = instruments[item.symbol];
    const quote = quotes[item.symbol];
    const price = quote ? (quote.bid + quote.ask) / 2 : item.openPrice;
    if (!instrument || price === undefined || !(price > 0)) {
      unpriced.push(item.symbol);
      continue;
    }
    const sign = sideSign(item.side);
    const value = notionalValue(instrument, item.volume, price, accountCurrency) * sign;
    const baseUnits = instrument.contractSize * item.volume * sign;
    add(instrument.baseCurrency, baseUnits, value);
    add(instrument.profitCurrency, -baseUnits * price, -value);
  }
  return { byCurrency, unpriced };
}

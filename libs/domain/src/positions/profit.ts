import type { Side } from '@mt5/contracts';
import { UsdPeggedCurrencies } from '../instruments/instrument-math.js';
import type { InstrumentMath, Quote } from './instrument-math.types.js';

/** +1 for a long, -1 for a short: the sign of profit when price rises. */
export function sideSign(side: Side): 1 | -1 {
  return side === 'BUY' ? 1 : -1;
}

/** The other side: what closes or reduces a position of `side`. */
export function oppositeSide(side: Side): Side {
  return side === 'BUY' ? 'SELL' : 'BUY';
}

/**
 * True when an amount in `currency` is an amount in the account currency: the same code, or a
 * USD-pegged stablecoin on a USD account (the instruments catalogue's documented assumption).
 */
export function isAccountMoney(currency: string, accountCurrency: string): boolean {
  if (currency === accountCurrency) return true;
  const usdLike = (code: string) => code === 'USD' || UsdPeggedCurrencies.includes(code);
  return usdLike(currency) && usdLike(accountCurrency);
}

/**
 * Value of one tick for one lot in the account currency when the price is `price`.
 *
 * - Profit currency is the account currency (EURUSD, XAUUSD on a USD account): the venue's
 *   `tickValue` is exact and constant.
 * - Base currency is the account currency (USDJPY on a USD account): profit is made in JPY and
 *   converted at the pair's own rate, so one tick is worth `tickSize * contractSize / price`
 *   (0.001 * 100 000 / 150 = 0.667 USD). The spec's `tickValue` is that figure at the catalogue's
 *   reference rate; recomputing it at the closing price is what MT5 does when it books the deal.
 *   For a USD account this is the instruments library's `tickValueAt(spec, price)`.
 * - Anything else (EURGBP on a USD account) needs a third rate the spec does not carry.
 *   `tickValueAt` answers `undefined` there; position math needs a number, so the venue's
 *   `tickValue` is used as is. That is an approximation: it drifts with the GBPUSD rate since
 *   the spec was read (a 1% move in GBPUSD is a 1% error in the P&L figure).
 */
export function accountTickValue(instrument: InstrumentMath, price: number, accountCurrency: string): number {
  if (isAccountMoney(instrument.profitCurrency, accountCurrency)) return instrument.tickValue;
  if (isAccountMoney(instrument.baseCurrency, accountCurrency)) {
    if (!(price > 0)) throw new Error(`accountTickValue(${instrument.symbol}): invalid price ${price}`);
    return (instrument.tickSize * instrument.contractSize) / price;
  }
  return instrument.tickValue;
}

/**
 * Profit in account currency of `volume` lots held on `side` from `openPrice` to `closePrice`:
 * `priceDelta / tickSize * tickValue * volume`, with the tick value taken at the closing price
 * (see {@link accountTickValue}). Not rounded: round where the figure is shown or stored.
 */
export function priceProfit(
  instrument: InstrumentMath,
  side: Side,
  volume: number,
  openPrice: number,
  closePrice: number,
  accountCurrency: string,
): number {
  const delta = (closePrice - openPrice) * sideSign(side);
  return (delta / instrument.tickSize) * accountTickValue(instrument, closePrice, accountCurrency) * volume;
}

/** The price a position of `side` would close at: a long sells at the bid, a short buys at the ask. */
export function closingPrice(side: Side, quote: Quote): number {
  return side === 'BUY' ? quote.bid : quote.ask;
}

/** The price an order on `side` fills at: a buy pays the ask, a sell gets the bid. */
export function openingPrice(side: Side, quote: Quote): number {
  return side === 'BUY' ? quote.ask : quote.bid;
}

/** Floating profit of an open position at `quote`, in account currency (before swap and commission). */
export function unrealizedProfit(
  instrument: InstrumentMath,
  position: { readonly side: Side; readonly volume: number; readonly openPrice: number },
  quote: Quote,
  accountCurrency: string,
): number {
  return priceProfit(instrument, position.side, position.volume, position.openPrice, closingPrice(position.side, quote), accountCurrency);
}

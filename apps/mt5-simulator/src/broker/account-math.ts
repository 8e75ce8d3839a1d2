import type { Side } from '@mt5/contracts';
import { requiredMargin, unrealizedProfit } from '@mt5/domain/positions';
import type { SimAccountState, SimQuote } from './broker.types.js';
import type { SimSymbol } from './sim-symbols.js';

/** Money is booked in cents, half away from zero, as MT5 rounds deal profit and commission. */
export function roundMoney(value: number): number {
  return Math.sign(value) * (Math.round(Math.abs(value) * 100 + 1e-9) / 100);
}

/** What margin and profit need to know about a position. */
export interface MarginItem {
  readonly symbol: string;
  readonly side: Side;
  readonly volume: number;
  readonly openPrice: number;
}

/** The quote of a symbol, or the position's own price when there is none yet. */
function quoteOr(quote: SimQuote | undefined, price: number): SimQuote {
  return quote ?? { bid: price, ask: price, time: 0 };
}

/**
 * Margin of `volume` lots on `side`: the domain's leverage margin (`lots × contract × price /
 * leverage`, converted to the account currency) times the symbol's margin rate, at the price the
 * position would be opened now (ask for a buy, bid for a sell). The symbol's own leverage, when it
 * has one, replaces the account's.
 */
export function marginFor(symbol: SimSymbol, side: Side, volume: number, quote: SimQuote, accountLeverage: number, currency: string): number {
  const price = side === 'BUY' ? quote.ask : quote.bid;
  return requiredMargin(symbol, volume, price, symbol.leverage ?? accountLeverage, currency) * symbol.marginRate;
}

/**
 * Margin of a set of positions. Hedging accounts use the "larger leg" rule per symbol (the margin
 * of the bigger side only, as MT5's "calculate hedged margin using larger leg" setting does);
 * netting accounts have one position per symbol, so the rule changes nothing there.
 */
export function totalMargin(
  items: readonly MarginItem[],
  symbols: ReadonlyMap<string, SimSymbol>,
  quotes: ReadonlyMap<string, SimQuote>,
  leverage: number,
  currency: string,
): number {
  const legs = new Map<string, { BUY: number; SELL: number }>();
  for (const item of items) {
    const symbol = symbols.get(item.symbol);
    if (!symbol) throw new Error(`totalMargin: unknown symbol ${item.symbol}`);
    const margin = marginFor(symbol, item.side, item.volume, quoteOr(quotes.get(item.symbol), item.openPrice), leverage, currency);
    const leg = legs.get(item.symbol) ?? { BUY: 0, SELL: 0 };
    leg[item.side] += margin;
    legs.set(item.symbol, leg);
  }
  let sum = 0;
  for (const leg of legs.values()) sum += Math.max(leg.BUY, leg.SELL);
  return sum;
}

/** Floating profit of one position at the current quote (closing side), in account currency. */
export function floatingProfit(symbol: SimSymbol, item: MarginItem, quote: SimQuote | undefined, currency: string): number {
  return unrealizedProfit(symbol, item, quoteOr(quote, item.openPrice), currency);
}

/**
 * Balance, equity (balance + floating profit), margin, free margin (equity − margin) and margin
 * level (equity / margin × 100, null without margin), each rounded to cents. Floating profit is
 * rounded per position, as the terminal shows it.
 */
export function accountState(
  balance: number,
  items: readonly MarginItem[],
  symbols: ReadonlyMap<string, SimSymbol>,
  quotes: ReadonlyMap<string, SimQuote>,
  leverage: number,
  currency: string,
): SimAccountState {
  let profit = 0;
  for (const item of items) profit += roundMoney(floatingProfit(symbols.get(item.symbol)!, item, quotes.get(item.symbol), currency));
  const margin = roundMoney(totalMargin(items, symbols, quotes, leverage, currency));
  const equity = roundMoney(balance + profit);
  return {
    balance: roundMoney(balance),
    equity,
    profit: roundMoney(profit),
    margin,
    freeMargin: roundMoney(equity - margin),
    marginLevel: margin > 0 ? roundMoney((equity / margin) * 100) : null,
  };
}

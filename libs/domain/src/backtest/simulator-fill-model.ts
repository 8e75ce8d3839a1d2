import type { Bar } from '../market/index.js';
import { roundToDigits } from '../market/index.js';
import type { Side } from '../strategies/index.js';

/**
 * The `mt5-simulator` fill model: what the pipeline (signal-engine → risk-guard → execution →
 * mt5-simulator's `driven` feed) does to an order, rule by rule, so a backtest can reproduce its
 * trades. Each rule names the code it mirrors.
 *
 * - Quotes (`SimBroker.pricePath`): each bar becomes four quotes, the open (a jump from the
 *   previous price), then the low and the high (low first when close ≥ open, high first
 *   otherwise), then the close, at 0, 15, 30 and 59 s into the minute. bid = the bar's price,
 *   ask = bid + spread rounded to the instrument's digits. The spread is the bar's own when it
 *   has a non-zero one, else the symbol's default (`toSimBar` drops a zero spread).
 * - Entry: the signal is computed on bar t's close; the order reaches the simulator while its
 *   quote is still bar t's close (the lockstep replay waits for it), so a BUY fills at that ask,
 *   a SELL at that bid, at t + 59 s.
 * - Stops as they travel: the signal carries its stop and target with 10 decimals
 *   (`computedPrice`); risk-guard sizes with those and sends them with the instrument's digits
 *   (`priceText` = `toFixed(digits)`), which is what the simulator places.
 * - Sizing: `sizeByRisk` on the account equity (the balance when flat: one position at a time),
 *   the entry at the quote (ask for a buy, bid for a sell) and the stop as sized by risk-guard.
 * - The simulator refuses stops nearer than its stops level (at least one point) from where the
 *   position would close now (bid for a buy, ask for a sell), in whole points (`checkStops`).
 * - SL/TP (`onPricePoint`): checked at every quote after the entry, the stop before the target at
 *   the same quote. Longs on the bid (SL when bid ≤ sl, TP when bid ≥ tp), shorts on the ask. A
 *   level reached inside the bar's path fills at the level; a level jumped over at a bar's open
 *   fills at the quote (worse for a stop, better for a target).
 * - Money (`BrokerLedger.bookFill`): each deal's profit and commission are rounded to cents and
 *   booked on the balance, which is rounded to cents.
 */
export const SIMULATOR_FILL_MODEL = 'signal-close quote, open→low/high→close path, stop before target per quote, cents' as const;

/** Where the four quotes of a bar's path fall inside its minute (mt5-simulator's `PATH_OFFSETS_MS`). */
export const SIMULATOR_PATH_OFFSETS_MS = [0, 15_000, 30_000, 59_000] as const;

/** Decimals a signal's stop and target travel with (signal-engine's `SIGNAL_PRICE_DECIMALS`). */
export const SIGNAL_WIRE_DECIMALS = 10;

/** One quote of the simulator's path. */
export interface SimulatorQuote {
  readonly bid: number;
  readonly ask: number;
  readonly time: number;
  /** False for the bar's open (a jump: levels crossed fill at the quote), true inside the bar. */
  readonly continuous: boolean;
}

/** The spread the simulator quotes a bar with, in points: the bar's own when non-zero, else the default. */
export function simulatorSpreadPoints(bar: Pick<Bar, 'spreadPoints'>, defaultSpreadPoints: number): number {
  return bar.spreadPoints ? bar.spreadPoints : defaultSpreadPoints;
}

/** A bar as the simulator's four quotes (see {@link SIMULATOR_FILL_MODEL}). */
export function simulatorPricePath(bar: Pick<Bar, 'openTime' | 'open' | 'high' | 'low' | 'close'>, spread: number, digits: number): SimulatorQuote[] {
  const bids = bar.close >= bar.open ? [bar.open, bar.low, bar.high, bar.close] : [bar.open, bar.high, bar.low, bar.close];
  return bids.map((bid, index) => ({ bid, ask: roundToDigits(bid + spread, digits), time: bar.openTime + SIMULATOR_PATH_OFFSETS_MS[index]!, continuous: index > 0 }));
}

/** The quote an order placed after the bar meets: the bar's close. */
export function simulatorCloseQuote(bar: Pick<Bar, 'openTime' | 'close'>, spread: number, digits: number): SimulatorQuote {
  return { bid: bar.close, ask: roundToDigits(bar.close + spread, digits), time: bar.openTime + SIMULATOR_PATH_OFFSETS_MS[3], continuous: true };
}

/** A signal price as it travels (10 decimals). */
export function wirePrice(price: number): number {
  return Number(price.toFixed(SIGNAL_WIRE_DECIMALS));
}

/** A price as risk-guard writes it into the order command: the wire price with the instrument's digits. */
export function orderPrice(price: number, digits: number): number {
  return Number(wirePrice(price).toFixed(digits));
}

/** An open position as the simulator checks its stops. */
export interface SimulatorPosition {
  readonly side: Side;
  readonly stopLoss: number;
  /** null: no target. */
  readonly takeProfit: number | null;
}

/** Whether `quote` closes the position, and at which price (mt5-simulator's `stopHit` and `fillPrice`). */
export function simulatorStopHit(position: SimulatorPosition, quote: SimulatorQuote): { reason: 'SL' | 'TP'; price: number } | null {
  const long = position.side === 'BUY';
  const market = long ? quote.bid : quote.ask;
  const direction = long ? 1 : -1;
  const fill = (level: number) => (quote.continuous ? level : market);
  if (position.stopLoss > 0 && (market - position.stopLoss) * direction <= 0) return { reason: 'SL', price: fill(position.stopLoss) };
  if (position.takeProfit !== null && position.takeProfit > 0 && (market - position.takeProfit) * direction >= 0) return { reason: 'TP', price: fill(position.takeProfit) };
  return null;
}

/**
 * The simulator's stops check for a market order (retcode 10016): each level at least
 * `max(stopsLevel, 1)` whole points from where the position would close now. Null when valid.
 */
export function simulatorStopsProblem(
  side: Side,
  quote: Pick<SimulatorQuote, 'bid' | 'ask'>,
  stopLoss: number,
  takeProfit: number | null,
  instrument: { readonly point: number; readonly stopsLevel: number },
): string | null {
  const minimum = Math.max(instrument.stopsLevel, 1);
  const direction = side === 'BUY' ? 1 : -1;
  const base = side === 'BUY' ? quote.bid : quote.ask;
  const points = (from: number, to: number) => Math.round((to - from) / instrument.point);
  if (stopLoss > 0 && points(stopLoss, base) * direction < minimum) return `10016 invalid stops: sl ${stopLoss} must be ${minimum} points ${side === 'BUY' ? 'below' : 'above'} ${base}`;
  if (takeProfit !== null && takeProfit > 0 && points(base, takeProfit) * direction < minimum) {
    return `10016 invalid stops: tp ${takeProfit} must be ${minimum} points ${side === 'BUY' ? 'above' : 'below'} ${base}`;
  }
  return null;
}

/** Money to cents as the simulator books it (half away from zero, float noise absorbed). */
export function roundCents(value: number): number {
  return Math.sign(value) * (Math.round(Math.abs(value) * 100 + 1e-9) / 100);
}

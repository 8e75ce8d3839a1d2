import type { Side } from '../strategies/index.js';

/**
 * The backtester's fill model, in one place.
 *
 * - Bars are BID prices, as MT5 exports them; ask = bid + spread. The spread of a bar is the
 *   run's override, else the bar's own `spreadPoints`, else the instrument's default, times
 *   `point`.
 * - A signal is computed on bar t's close; its market order fills at bar t+1's open: a BUY pays
 *   the ask (open + spread), a SELL gets the bid (open). That is "mid ± half the spread" with
 *   mid = open + spread / 2.
 * - The signal's stop-loss and take-profit are rounded to the instrument's tick grid (MT5 refuses
 *   other prices) and must be on the right side of the fill (see {@link stopsProblem}).
 * - A long closes at the bid, a short at the ask. Stops are checked inside every bar a position
 *   is open, the entry bar included: a long's on the bid range [low, high], a short's on the ask
 *   range [low + spread, high + spread].
 * - A bar that opens beyond the stop (a gap) fills the stop at that open, the worse price. A
 *   take-profit fills at its own price, never better.
 * - When one bar touches both the stop and the target, the stop fills: OHLC cannot say which
 *   came first, so the backtest takes the pessimistic one.
 */
export const FILL_MODEL = 'next-open, bid bars, ask = bid + spread, stop before target' as const;

/** Entry fill at a bar's bid open: BUY at the ask, SELL at the bid. */
export function entryFill(side: Side, bidOpen: number, spread: number): number {
  return side === 'BUY' ? bidOpen + spread : bidOpen;
}

/** Price a position of `side` closes at when the bid is `bid`: a long sells at the bid, a short buys at the ask. */
export function closeFill(side: Side, bid: number, spread: number): number {
  return side === 'BUY' ? bid : bid + spread;
}

/**
 * MT5's rule for the stops of a new position: a long's stop below the bid and target above it, a
 * short's stop above the ask and target below it, each at least `stopsLevel` points away.
 * Returns null when valid, else what is wrong.
 */
export function stopsProblem(
  side: Side,
  bid: number,
  spread: number,
  stopLoss: number,
  takeProfit: number | null,
  minimumDistance: number,
): string | null {
  const reference = closeFill(side, bid, spread);
  const direction = side === 'BUY' ? 1 : -1;
  if (!(direction * (reference - stopLoss) > minimumDistance)) {
    return `stopLoss=${stopLoss} not ${side === 'BUY' ? 'below bid' : 'above ask'} ${reference} by more than ${minimumDistance}`;
  }
  if (takeProfit !== null && !(direction * (takeProfit - reference) > minimumDistance)) {
    return `takeProfit=${takeProfit} not ${side === 'BUY' ? 'above bid' : 'below ask'} ${reference} by more than ${minimumDistance}`;
  }
  return null;
}

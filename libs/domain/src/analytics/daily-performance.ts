import { maxDrawdown } from '../performance/index.js';
import type { TradeFact } from './analytics.types.js';
import { Exact, ZERO, exact, moneyString, plain } from './money.js';
import { byExit } from './trade-summary.js';
import { utcDay } from './daily-returns.js';

/** Key value of `strategyId` / `symbol` in roll-up rows (all strategies, all symbols). */
export const ROLL_UP = '';

/**
 * One row of daily performance, realised results of the trades closed that day (UTC), for one
 * (strategy, symbol) group. `''` in `strategyId` or `symbol` is the roll-up over that dimension,
 * so each day has the account row ('', ''), a row per strategy (s, ''), per symbol ('', x) and
 * per pair (s, x).
 */
export interface DailyPerformanceRow {
  readonly day: string;
  readonly strategyId: string;
  readonly symbol: string;
  readonly trades: number;
  readonly wins: number;
  readonly losses: number;
  /** Sum of winning nets. */
  readonly grossProfit: string;
  /** Sum of losing nets (≤ 0). */
  readonly grossLoss: string;
  /** Commission and fees of the day's trades. */
  readonly commission: string;
  readonly swap: string;
  readonly netProfit: string;
  readonly volume: string;
  readonly largestWin: string | null;
  readonly largestLoss: string | null;
  /**
   * Largest fall of the running sum of the day's realised nets (starting at 0) from its peak,
   * money. The account row's figure is replaced by the equity drawdown when snapshots exist.
   */
  readonly realisedDrawdown: string;
}

/** The group keys a trade contributes to. */
function groupKeys(trade: TradeFact): [string, string][] {
  return [[ROLL_UP, ROLL_UP], [trade.strategyId, ROLL_UP], [ROLL_UP, trade.symbol], [trade.strategyId, trade.symbol]];
}

/**
 * Daily rows for the trades of ONE day (trades closed on other days are ignored), sorted by
 * strategy, then symbol (the roll-ups '' first).
 */
export function dailyPerformanceRows(day: string, trades: readonly TradeFact[]): DailyPerformanceRow[] {
  const groups = new Map<string, { strategyId: string; symbol: string; trades: TradeFact[] }>();
  for (const trade of byExit(trades)) {
    if (utcDay(trade.exitTime) !== day) continue;
    for (const [strategyId, symbol] of groupKeys(trade)) {
      const key = `${strategyId}\u0000${symbol}`;
      const group = groups.get(key) ?? { strategyId, symbol, trades: [] };
      group.trades.push(trade);
      groups.set(key, group);
    }
  }
  return [...groups.values()]
    .sort((a, b) => (a.strategyId === b.strategyId ? compare(a.symbol, b.symbol) : compare(a.strategyId, b.strategyId)))
    .map((group) => row(day, group.strategyId, group.symbol, group.trades));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function row(day: string, strategyId: string, symbol: string, trades: readonly TradeFact[]): DailyPerformanceRow {
  let grossProfit = ZERO;
  let grossLoss = ZERO;
  let commission = ZERO;
  let swap = ZERO;
  let volume = ZERO;
  let largestWin: Exact | null = null;
  let largestLoss: Exact | null = null;
  let running = ZERO;
  const curve = [0];
  for (const trade of trades) {
    const net = exact(trade.netProfit);
    if (net.greaterThan(0)) {
      grossProfit = grossProfit.plus(net);
      if (largestWin === null || net.greaterThan(largestWin)) largestWin = net;
    } else if (net.lessThan(0)) {
      grossLoss = grossLoss.plus(net);
      if (largestLoss === null || net.lessThan(largestLoss)) largestLoss = net;
    }
    commission = commission.plus(trade.commission).plus(trade.fee);
    swap = swap.plus(trade.swap);
    volume = volume.plus(trade.volume);
    running = running.plus(net);
    curve.push(running.toNumber());
  }
  return {
    day, strategyId, symbol,
    trades: trades.length,
    wins: trades.filter((trade) => exact(trade.netProfit).greaterThan(0)).length,
    losses: trades.filter((trade) => exact(trade.netProfit).lessThan(0)).length,
    grossProfit: plain(grossProfit),
    grossLoss: plain(grossLoss),
    commission: plain(commission),
    swap: plain(swap),
    netProfit: plain(grossProfit.plus(grossLoss)),
    volume: plain(volume),
    largestWin: largestWin ? plain(largestWin) : null,
    largestLoss: largestLoss ? plain(largestLoss) : null,
    realisedDrawdown: moneyString(exact(maxDrawdown(curve).money)),
  };
}

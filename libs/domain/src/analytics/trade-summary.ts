import { tradeStatistics } from '../performance/index.js';
import type { TradeFact } from './analytics.types.js';
import { exact, minOf, plain, sumExact } from './money.js';

/**
 * What a set of closed trades adds up to. Money sums are exact decimal strings (they must match
 * the account balance to the cent); ratios are numbers. Win/loss ratios come from the
 * performance library's `tradeStatistics` on the same nets, so the backtester and reporting
 * define them once. A trade with a net of exactly 0 is neither a win nor a loss.
 */
export interface TradeSummary {
  readonly trades: number;
  readonly wins: number;
  readonly losses: number;
  readonly breakeven: number;
  readonly netProfit: string;
  /** Sum of winning nets. */
  readonly grossProfit: string;
  /** Sum of losing nets (≤ 0). */
  readonly grossLoss: string;
  /** Sum of trade gross (price) profits, before costs. */
  readonly priceProfit: string;
  readonly commission: string;
  readonly swap: string;
  readonly fee: string;
  readonly winRate: number | null;
  readonly profitFactor: number | null;
  /** Average net per trade (money). */
  readonly expectancy: number | null;
  readonly averageWin: number | null;
  readonly averageLoss: number | null;
  /** averageWin / |averageLoss|. */
  readonly payoffRatio: number | null;
  readonly largestWin: number | null;
  readonly largestLoss: number | null;
  /** Mean R multiple over the trades that have one. */
  readonly averageR: number | null;
  readonly tradesWithR: number;
  readonly averageDurationSeconds: number | null;
  readonly longestWinningStreak: number;
  readonly longestLosingStreak: number;
  readonly firstEntryTime: number | null;
  readonly lastExitTime: number | null;
}

/** Trades in the order they were closed (exit time, then closing deal ticket). */
export function byExit(trades: readonly TradeFact[]): TradeFact[] {
  return [...trades].sort((a, b) => a.exitTime - b.exitTime
    || a.closeDealTicket.length - b.closeDealTicket.length || (a.closeDealTicket < b.closeDealTicket ? -1 : a.closeDealTicket > b.closeDealTicket ? 1 : 0));
}

/**
 * Longest runs of consecutive winning and losing trades, in closing order. A breakeven trade
 * (net 0) ends both runs.
 */
export function streaks(nets: readonly number[]): { longestWinning: number; longestLosing: number } {
  let winning = 0;
  let losing = 0;
  let longestWinning = 0;
  let longestLosing = 0;
  for (const net of nets) {
    winning = net > 0 ? winning + 1 : 0;
    losing = net < 0 ? losing + 1 : 0;
    longestWinning = Math.max(longestWinning, winning);
    longestLosing = Math.max(longestLosing, losing);
  }
  return { longestWinning, longestLosing };
}

export function summariseTrades(trades: readonly TradeFact[]): TradeSummary {
  const ordered = byExit(trades);
  const nets = ordered.map((trade) => exact(trade.netProfit));
  const numericNets = nets.map((net) => net.toNumber());
  const stats = tradeStatistics(numericNets);
  const withR = ordered.filter((trade) => trade.rMultiple !== null);
  const { longestWinning, longestLosing } = streaks(numericNets);
  return {
    trades: stats.trades,
    wins: stats.wins,
    losses: stats.losses,
    breakeven: stats.trades - stats.wins - stats.losses,
    netProfit: plain(sumExact(nets)),
    grossProfit: plain(sumExact(nets.filter((net) => net.greaterThan(0)))),
    grossLoss: plain(sumExact(nets.filter((net) => net.lessThan(0)))),
    priceProfit: plain(sumExact(ordered.map((trade) => trade.grossProfit))),
    commission: plain(sumExact(ordered.map((trade) => trade.commission))),
    swap: plain(sumExact(ordered.map((trade) => trade.swap))),
    fee: plain(sumExact(ordered.map((trade) => trade.fee))),
    winRate: stats.winRate,
    profitFactor: stats.profitFactor,
    expectancy: stats.expectancy,
    averageWin: stats.averageWin,
    averageLoss: stats.averageLoss,
    payoffRatio: stats.averageWin !== null && stats.averageLoss !== null ? stats.averageWin / -stats.averageLoss : null,
    largestWin: stats.largestWin,
    largestLoss: stats.largestLoss,
    averageR: withR.length ? withR.reduce((sum, trade) => sum + (trade.rMultiple as number), 0) / withR.length : null,
    tradesWithR: withR.length,
    averageDurationSeconds: ordered.length ? ordered.reduce((sum, trade) => sum + trade.durationSeconds, 0) / ordered.length : null,
    longestWinningStreak: longestWinning,
    longestLosingStreak: longestLosing,
    firstEntryTime: minOf(ordered.map((trade) => trade.entryTime)),
    lastExitTime: ordered.length ? ordered[ordered.length - 1].exitTime : null,
  };
}

/**
 * Time with at least one position open, as the union of the trades' [entry, exit] intervals
 * clipped to [from, to] (overlapping trades count once), and its share of the period.
 */
export function exposureTime(trades: readonly TradeFact[], from: number, to: number): { seconds: number; fraction: number | null } {
  const intervals = trades
    .map((trade) => [Math.max(from, trade.entryTime), Math.min(to, trade.exitTime)] as const)
    .filter(([start, end]) => end > start)
    .sort((a, b) => a[0] - b[0]);
  let total = 0;
  let currentStart = Number.NaN;
  let currentEnd = Number.NaN;
  for (const [start, end] of intervals) {
    if (Number.isNaN(currentEnd) || start > currentEnd) {
      if (!Number.isNaN(currentEnd)) total += currentEnd - currentStart;
      currentStart = start;
      currentEnd = end;
    } else if (end > currentEnd) {
      currentEnd = end;
    }
  }
  if (!Number.isNaN(currentEnd)) total += currentEnd - currentStart;
  return { seconds: total / 1000, fraction: to > from ? total / (to - from) : null };
}

import { tradeStatistics } from '../performance/index.js';
import type { TradeFact } from './analytics.types.js';
import { exact, plain, sumExact } from './money.js';
import { utcDay } from './daily-returns.js';

/** The dimensions trades are broken down by. */
export const BreakdownDimensions = ['strategy', 'symbol', 'day', 'weekday', 'hour'] as const;
export type BreakdownDimension = (typeof BreakdownDimensions)[number];

export const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

/** Results of the trades that share one key of a dimension. */
export interface BreakdownRow {
  /** Sortable key: strategy id, symbol, `YYYY-MM-DD`, `1`..`7` (Monday..Sunday), `00`..`23`. */
  readonly key: string;
  /** What a reader sees: the key, or the weekday name, or `14:00`. */
  readonly label: string;
  readonly trades: number;
  readonly wins: number;
  readonly losses: number;
  readonly netProfit: string;
  readonly grossProfit: string;
  readonly grossLoss: string;
  readonly winRate: number | null;
  readonly profitFactor: number | null;
  readonly expectancy: number | null;
  readonly averageR: number | null;
}

/**
 * Where a trade falls in a dimension. Day is the UTC day the trade closed (the day its result
 * was realised, as in daily performance); weekday and hour are those of the entry (UTC), since
 * they ask when it pays to open trades.
 */
export function breakdownKey(trade: TradeFact, dimension: BreakdownDimension): { key: string; label: string } {
  switch (dimension) {
    case 'strategy':
      return { key: trade.strategyId, label: trade.strategyId };
    case 'symbol':
      return { key: trade.symbol, label: trade.symbol };
    case 'day': {
      const day = utcDay(trade.exitTime);
      return { key: day, label: day };
    }
    case 'weekday': {
      const weekday = new Date(trade.entryTime).getUTCDay();
      // ISO order: Monday first, Sunday last.
      return { key: String(weekday === 0 ? 7 : weekday), label: WEEKDAY_NAMES[weekday] };
    }
    case 'hour': {
      const hour = String(new Date(trade.entryTime).getUTCHours()).padStart(2, '0');
      return { key: hour, label: `${hour}:00` };
    }
  }
}

/** Trades grouped by one dimension, rows sorted by key; only keys that have trades. */
export function breakdown(trades: readonly TradeFact[], dimension: BreakdownDimension): BreakdownRow[] {
  const groups = new Map<string, { label: string; trades: TradeFact[] }>();
  for (const trade of trades) {
    const { key, label } = breakdownKey(trade, dimension);
    const group = groups.get(key) ?? { label, trades: [] };
    group.trades.push(trade);
    groups.set(key, group);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, group]) => breakdownRow(key, group.label, group.trades));
}

function breakdownRow(key: string, label: string, trades: readonly TradeFact[]): BreakdownRow {
  const nets = trades.map((trade) => exact(trade.netProfit));
  const stats = tradeStatistics(nets.map((net) => net.toNumber()));
  const withR = trades.filter((trade) => trade.rMultiple !== null);
  return {
    key,
    label,
    trades: stats.trades,
    wins: stats.wins,
    losses: stats.losses,
    netProfit: plain(sumExact(nets)),
    grossProfit: plain(sumExact(nets.filter((net) => net.greaterThan(0)))),
    grossLoss: plain(sumExact(nets.filter((net) => net.lessThan(0)))),
    winRate: stats.winRate,
    profitFactor: stats.profitFactor,
    expectancy: stats.expectancy,
    averageR: withR.length ? withR.reduce((sum, trade) => sum + (trade.rMultiple as number), 0) / withR.length : null,
  };
}

/** Every breakdown at once. */
export type Breakdowns = Readonly<Record<BreakdownDimension, readonly BreakdownRow[]>>;

export function allBreakdowns(trades: readonly TradeFact[]): Breakdowns {
  return {
    strategy: breakdown(trades, 'strategy'),
    symbol: breakdown(trades, 'symbol'),
    day: breakdown(trades, 'day'),
    weekday: breakdown(trades, 'weekday'),
    hour: breakdown(trades, 'hour'),
  };
}

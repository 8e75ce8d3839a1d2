import type { EquityPoint, TradeFact } from './analytics.types.js';
import { allBreakdowns, type Breakdowns } from './breakdowns.js';
import { dailyRiskRatios, type DailyCloseOptions } from './daily-returns.js';
import { analyseDrawdowns, type DrawdownEpisode } from './drawdown-episodes.js';
import { monthlyReturns, type MonthlyReturn } from './equity-curve.js';
import { maxOf, minOf } from './money.js';
import { exposureTime, summariseTrades, type TradeSummary } from './trade-summary.js';

export interface PerformanceInput {
  readonly trades: readonly TradeFact[];
  /** Equity over the period: account snapshots, or `equityFromTrades` for a strategy. */
  readonly equity: readonly EquityPoint[];
  /** Period the figures cover (epoch ms); defaults to the first and last time seen. */
  readonly from?: number;
  readonly to?: number;
  readonly dailyOptions?: DailyCloseOptions;
}

/** Every figure of a performance report, from one set of trades and one equity series. */
export interface PerformanceAnalysis {
  readonly period: { readonly from: number | null; readonly to: number | null };
  readonly summary: TradeSummary;
  readonly startEquity: number | null;
  readonly endEquity: number | null;
  /** (end − start) / start × 100 of the equity series. */
  readonly returnPercent: number | null;
  readonly maxDrawdownMoney: DrawdownEpisode | null;
  readonly maxDrawdownPercent: DrawdownEpisode | null;
  /** Net profit over the largest drawdown in money; null without a drawdown. */
  readonly recoveryFactor: number | null;
  readonly sharpe: number | null;
  readonly sortino: number | null;
  /** Days in the daily-return series (weekdays from first to last day). */
  readonly returnDays: number;
  readonly exposure: { readonly seconds: number; readonly fraction: number | null };
  readonly breakdowns: Breakdowns;
  /** Trades per exit reason (SL, TP, SO, STRATEGY, MANUAL, …). */
  readonly exitReasons: Readonly<Record<string, number>>;
  readonly monthly: readonly MonthlyReturn[];
}

export function analysePerformance(input: PerformanceInput): PerformanceAnalysis {
  const equity = [...input.equity].sort((a, b) => a.time - b.time);
  const summary = summariseTrades(input.trades);
  const times = [...equity.map((p) => p.time), ...input.trades.flatMap((t) => [t.entryTime, t.exitTime])];
  const from = input.from ?? minOf(times);
  const to = input.to ?? maxOf(times);
  const drawdowns = analyseDrawdowns(equity);
  const ratios = dailyRiskRatios(equity, undefined, input.dailyOptions);
  const startEquity = equity.length ? equity[0].equity : null;
  const endEquity = equity.length ? equity[equity.length - 1].equity : null;
  const net = Number(summary.netProfit);
  return {
    period: { from, to },
    summary,
    startEquity,
    endEquity,
    returnPercent: startEquity !== null && endEquity !== null && startEquity > 0 ? ((endEquity - startEquity) / startEquity) * 100 : null,
    maxDrawdownMoney: drawdowns.deepestMoney,
    maxDrawdownPercent: drawdowns.deepestPercent,
    recoveryFactor: drawdowns.deepestMoney && drawdowns.deepestMoney.money > 0 ? net / drawdowns.deepestMoney.money : null,
    sharpe: ratios.sharpe,
    sortino: ratios.sortino,
    returnDays: ratios.days,
    exposure: from !== null && to !== null ? exposureTime(input.trades, from, to) : { seconds: 0, fraction: null },
    breakdowns: allBreakdowns(input.trades),
    exitReasons: countBy(input.trades.map((trade) => trade.exitReason)),
    monthly: monthlyReturns(equity),
  };
}

function countBy(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of [...values].sort()) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

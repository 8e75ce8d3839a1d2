import type { Bar } from '../market/index.js';
import { maxDrawdown, periodReturns, sharpeRatio, tradeStatistics } from '../performance/index.js';
import type { StrategySignal } from '../strategies/index.js';
import type { BacktestConfig, BacktestResult, BacktestTrade, EquityPoint, SkippedSignal } from './backtest.types.js';

/** What a run collected; the result and its metrics are derived from it the same way in every fill model. */
export interface RunRecord {
  readonly strategyKind: string;
  readonly signals: readonly StrategySignal[];
  readonly trades: readonly BacktestTrade[];
  readonly skipped: readonly SkippedSignal[];
  readonly equityByTrade: readonly EquityPoint[];
  readonly equityByDay: readonly EquityPoint[];
  readonly finalBalance: number;
}

/** The {@link BacktestResult} of a finished run. */
export function assembleResult(bars: readonly Bar[], config: BacktestConfig, params: object, run: RunRecord): BacktestResult {
  const last = bars.length > 0 ? bars[bars.length - 1] : undefined;
  const statistics = tradeStatistics(run.trades.map((trade) => trade.net));
  const drawdown = maxDrawdown([config.initialBalance, ...run.trades.map((trade) => trade.balance)]);
  const dailyReturns = periodReturns(config.initialBalance, run.equityByDay.map((point) => point.equity));
  return {
    strategyId: config.strategyId,
    strategyKind: run.strategyKind,
    params,
    symbol: config.instrument.symbol,
    timeframe: bars[0]?.timeframe ?? null,
    firstBarTime: bars[0]?.openTime ?? null,
    lastBarTime: last?.openTime ?? null,
    signals: run.signals,
    trades: run.trades,
    skipped: run.skipped,
    equityByTrade: [{ time: bars[0]?.openTime ?? 0, equity: config.initialBalance }, ...run.equityByTrade],
    equityByDay: run.equityByDay,
    metrics: {
      ...statistics,
      initialBalance: config.initialBalance,
      finalBalance: run.finalBalance,
      returnPercent: (statistics.netProfit / config.initialBalance) * 100,
      maxDrawdown: drawdown.money,
      maxDrawdownPercent: drawdown.percent,
      sharpeDaily: sharpeRatio(dailyReturns),
      days: run.equityByDay.length,
      bars: bars.length,
      signals: run.signals.length,
      skippedSignals: run.skipped.length,
    },
  };
}

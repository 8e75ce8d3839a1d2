// The done-when of the backtester: a moving-average crossover over all 49,993 real EURUSD M1
// bars, run twice, gives the same result to the last bit; and it trades exactly the signals the
// strategy instance alone produces (the signal engine's view of the same bars).
import { describe, expect, it } from '@jest/globals';
import { eurusdM1 } from '../indicators/testing/shared-market-data.fixture.js';
import { buildStrategy, completeSignal } from '../strategies/index.js';
import { runBacktest, type BacktestConfig, type BacktestInstrument } from './index.js';

const EURUSD: BacktestInstrument = {
  symbol: 'EURUSD', venue: 'shared-data', digits: 5, point: 0.00001, tickSize: 0.00001, tickValue: 1, contractSize: 100_000,
  baseCurrency: 'EUR', profitCurrency: 'USD', marginCurrency: 'EUR', volumeMin: 0.01, volumeMax: 100, volumeStep: 0.01,
  stopsLevel: 0, tradeMode: 'FULL', defaultSpreadPoints: 10,
};

const config: BacktestConfig = {
  strategyId: 'ma-10-30', strategyKind: 'ma-crossover', params: { fast: 10, slow: 30 }, instrument: EURUSD,
  initialBalance: 10_000, riskPercent: 1, commissionPerLotPerSide: 7,
};

describe('backtest of ma-crossover on real EURUSD M1 data', () => {
  const bars = eurusdM1();
  const first = runBacktest(bars, config);

  it('trades: stops, targets and reversals all happen, END only for the last trade, and the balance adds up', () => {
    expect(first.trades.length).toBeGreaterThan(100);
    const reasons = first.trades.map((trade) => trade.exitReason);
    expect(reasons).toEqual(expect.arrayContaining(['SL', 'TP', 'REVERSE']));
    expect(reasons.slice(0, -1)).not.toContain('END');
    const netSum = first.trades.reduce((sum, trade) => sum + trade.net, 0);
    expect(first.metrics.finalBalance).toBeCloseTo(10_000 + netSum, 6);
    expect(first.metrics.bars).toBe(49_993);
  });

  it('is reproduced exactly by a second run', () => {
    expect(runBacktest(bars, config)).toEqual(first);
  });

  it('trades the signals the strategy alone gives on the same bars, signal for signal', () => {
    const built = buildStrategy('ma-crossover', { fast: 10, slow: 30 });
    if (!built.ok) throw new Error(built.problems.join('; '));
    const alone = bars.flatMap((bar) => {
      const draft = built.instance.onBar(bar);
      return draft ? [completeSignal(draft, { strategyId: 'ma-10-30', strategyKind: 'ma-crossover', venue: bar.venue, symbol: bar.symbol, timeframe: bar.timeframe })] : [];
    });
    expect(first.signals).toEqual(alone);
    const traded = new Set(first.trades.map((trade) => trade.signalId));
    const skipped = new Set(first.skipped.map((skip) => skip.signalId));
    expect(alone.every((signal) => traded.has(signal.signalId) !== skipped.has(signal.signalId))).toBe(true);
  });

  it('enters each trade at the open after its signal bar', () => {
    const indexByTime = new Map(bars.map((bar, index) => [bar.openTime, index]));
    const signalTime = new Map(first.signals.map((signal) => [signal.signalId, signal.barOpenTime]));
    for (const trade of first.trades) {
      const entryIndex = indexByTime.get(trade.entryTime)!;
      expect(indexByTime.get(signalTime.get(trade.signalId)!)).toBe(entryIndex - 1);
    }
  });
});

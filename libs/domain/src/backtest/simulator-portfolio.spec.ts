// Several strategies on one account in the mt5-simulator model: a shared balance, snapshot equity
// and position limit; signals of one bar decided in lane order on the same equity. GBPUSD as the
// simulator trades it (see simulator-backtest.spec.ts for the single-strategy rules).
import { describe, expect, it } from '@jest/globals';
import { readSharedBars } from '../indicators/testing/shared-market-data.fixture.js';
import type { Bar } from '../market/index.js';
import type { Side, SignalDraft, StrategyInstance } from '../strategies/index.js';
import { runBacktest, runSimulatorPortfolio, type BacktestConfig, type BacktestInstrument } from './index.js';
import { SimulatorRun } from './simulator-backtest.js';

const T0 = Date.UTC(2021, 0, 26, 10, 0);
const MINUTE = 60_000;

const GBPUSD: BacktestInstrument = {
  symbol: 'GBPUSD', venue: 'test', digits: 5, point: 0.00001, tickSize: 0.00001, tickValue: 1, contractSize: 100_000,
  baseCurrency: 'GBP', profitCurrency: 'USD', marginCurrency: 'GBP', volumeMin: 0.01, volumeMax: 100, volumeStep: 0.01,
  stopsLevel: 10, tradeMode: 'FULL', defaultSpreadPoints: 12,
};

const account: BacktestConfig = {
  strategyId: 'a', strategyKind: 'ma-crossover', instrument: GBPUSD, initialBalance: 10_000, riskPercent: 1,
  commissionPerLotPerSide: 3.5, fillModel: 'mt5-simulator', maxPositionsPerSymbol: 2,
};

const flat = (index: number, price: number): Bar => ({
  venue: 'test', symbol: 'GBPUSD', timeframe: 'M1', openTime: T0 + index * MINUTE, open: price, high: price + 0.0002, low: price - 0.0002, close: price, tickVolume: 1,
});

function scripted(orders: Record<number, { side: Side; stopLoss: number }>): StrategyInstance {
  let index = -1;
  return {
    kind: 'ma-crossover', warmUpBars: 1, reset: () => void (index = -1),
    onBar(current: Bar): SignalDraft | null {
      const order = orders[++index];
      return order ? { ...order, takeProfit: null, strength: 1, reason: 'scripted', barOpenTime: current.openTime, price: current.close, atr: 0.001 } : null;
    },
  };
}

function runLanes(bars: Bar[], lanes: { id: string; riskPercent: number; orders: Record<number, { side: Side; stopLoss: number }> }[], overrides: Partial<BacktestConfig> = {}) {
  const run = new SimulatorRun({ ...account, ...overrides }, lanes.map((lane) => ({ config: { ...account, ...overrides, strategyId: lane.id, riskPercent: lane.riskPercent }, strategy: scripted(lane.orders), params: {} })));
  for (const bar of bars) run.onBar(bar);
  return run.finish(bars);
}

describe('mt5-simulator model, several strategies on one account', () => {
  it('decides the signals of one bar in lane order on the same snapshot equity, each with its own risk', () => {
    // Both on bar 0, equity 10,000: A risks 1 % = 100 / 512 ticks = 0.19 lot; B 0.5 % = 50 / 500 ticks (bid 1.36 to 1.365) = 0.10 lot.
    const [a, b] = runLanes([flat(0, 1.36), flat(1, 1.36)], [
      { id: 'a', riskPercent: 1, orders: { 0: { side: 'BUY', stopLoss: 1.355 } } },
      { id: 'b', riskPercent: 0.5, orders: { 0: { side: 'SELL', stopLoss: 1.365 } } },
    ]);
    expect([a!.trades.map((t) => [t.side, t.volume]), b!.trades.map((t) => [t.side, t.volume])]).toEqual([[['BUY', 0.19]], [['SELL', 0.1]]]);
    expect(a!.strategyId).toBe('a');
    expect(b!.signals[0]!.signalId).toBe(`sig-b-GBPUSD-M1-${T0}`);
  });

  it('shares the symbol’s position limit: the later lane’s signal beyond it is denied RISK.MAX_POSITIONS', () => {
    const [a, b] = runLanes([flat(0, 1.36), flat(1, 1.36)], [
      { id: 'a', riskPercent: 1, orders: { 0: { side: 'BUY', stopLoss: 1.355 } } },
      { id: 'b', riskPercent: 1, orders: { 0: { side: 'SELL', stopLoss: 1.365 } } },
    ], { maxPositionsPerSymbol: 1 });
    expect(a!.trades).toHaveLength(1);
    expect(b!.trades).toEqual([]);
    expect(b!.skipped.map((skip) => skip.reason)).toEqual(['POSITION_OPEN']);
  });

  it('books every strategy’s deals on one balance', () => {
    const [a, b] = runLanes([flat(0, 1.36), flat(1, 1.36)], [
      { id: 'a', riskPercent: 1, orders: { 0: { side: 'BUY', stopLoss: 1.355 } } },
      { id: 'b', riskPercent: 0.5, orders: { 0: { side: 'SELL', stopLoss: 1.365 } } },
    ]);
    expect(a!.metrics.finalBalance).toBe(b!.metrics.finalBalance);
    expect(a!.metrics.finalBalance).toBeCloseTo(10_000 + a!.trades[0]!.net + b!.trades[0]!.net, 8);
  });

  it('runs one strategy exactly as runBacktest does', () => {
    const bars = readSharedBars('GBPUSD_M1.csv', 'GBPUSD').slice(0, 3_000);
    const config: BacktestConfig = { ...account, strategyId: 'ma', params: { fast: 10, slow: 30 }, tradeFrom: bars[1_500]!.openTime, maxPositionsPerSymbol: 3 };
    expect(runSimulatorPortfolio(bars, [config])).toEqual([runBacktest(bars, config)]);
  });

  it('refuses configs that do not share the account, or repeat a strategy id, with every problem', () => {
    expect(() => runSimulatorPortfolio([], [account, { ...account, initialBalance: 5_000 }, { ...account, fillModel: 'next-open' }])).toThrow(
      'BACKTEST.INVALID_CONFIG: configs[1].initialBalance: must equal the first config\'s (10000), got 5000; configs[1].strategyId: a appears twice; '
      + 'configs[2].fillModel: must be mt5-simulator, got next-open; configs[2].fillModel: must equal the first config\'s (mt5-simulator), got next-open; configs[2].strategyId: a appears twice',
    );
  });
});

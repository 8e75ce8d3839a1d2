// The fill model and trade accounting on hand-made bars with a scripted strategy, so each price,
// volume and amount below can be checked on paper. EURUSD-like instrument: point = tick =
// 0.00001, 1 USD per tick per lot, default spread 10 points = 0.0001; 10,000 USD, 1% risk,
// 7 USD commission per lot per side.
import { describe, expect, it } from '@jest/globals';
import type { Bar } from '../market/index.js';
import type { Side, SignalDraft, StrategyInstance } from '../strategies/index.js';
import { BacktestConfigError, runBacktest, runBacktestWith, type BacktestConfig, type BacktestInstrument } from './index.js';

const T0 = Date.UTC(2022, 0, 4, 10, 0);
const MINUTE = 60_000;

const EURUSD: BacktestInstrument = {
  symbol: 'EURUSD', venue: 'test', digits: 5, point: 0.00001, tickSize: 0.00001, tickValue: 1, contractSize: 100_000,
  baseCurrency: 'EUR', profitCurrency: 'USD', marginCurrency: 'EUR', volumeMin: 0.01, volumeMax: 100, volumeStep: 0.01,
  stopsLevel: 0, tradeMode: 'FULL', defaultSpreadPoints: 10,
};

const config: BacktestConfig = {
  strategyId: 'scripted', strategyKind: 'ma-crossover', instrument: EURUSD, initialBalance: 10_000, riskPercent: 1, commissionPerLotPerSide: 7,
};

function bar(index: number, open: number, high: number, low: number, close: number, extra: Partial<Bar> = {}): Bar {
  return { venue: 'test', symbol: 'EURUSD', timeframe: 'M1', openTime: T0 + index * MINUTE, open, high, low, close, tickVolume: 1, ...extra };
}

type Order = { side: Side; stopLoss: number; takeProfit?: number };

/** A strategy that signals what it is told, on the bars it is told (by index). */
function scripted(orders: Record<number, Order>): StrategyInstance {
  let index = -1;
  return {
    kind: 'ma-crossover',
    warmUpBars: 1,
    reset: () => void (index = -1),
    onBar(current: Bar): SignalDraft | null {
      const order = orders[++index];
      if (!order) return null;
      return { ...order, takeProfit: order.takeProfit ?? null, strength: 1, reason: 'scripted', barOpenTime: current.openTime, price: current.close, atr: 0.001 };
    },
  };
}

const flat = (index: number, price: number) => bar(index, price, price + 0.0002, price - 0.0002, price);

describe('backtester fill model', () => {
  it('fills a buy at the next open plus the spread and takes profit at the target', () => {
    const bars = [flat(0, 1.1), bar(1, 1.1002, 1.105, 1.098, 1.104), bar(2, 1.104, 1.112, 1.103, 1.111)];
    const result = runBacktestWith(bars, config, scripted({ 0: { side: 'BUY', stopLoss: 1.095, takeProfit: 1.11 } }));
    // Entry ask 1.1002 + 0.0001 = 1.1003. Risk 100 USD / (530 ticks × 1 USD) = 0.1887 -> 0.18 lot.
    // Gross (1.1100 − 1.1003) = 970 ticks × 0.18 = 174.6; commission 2 × 7 × 0.18 = 2.52.
    expect(result.trades).toHaveLength(1);
    const [trade] = result.trades;
    expect(trade).toMatchObject({ side: 'BUY', volume: 0.18, entryTime: T0 + MINUTE, exitTime: T0 + 2 * MINUTE, exitReason: 'TP', takeProfit: 1.11 });
    expect(trade.entryPrice).toBeCloseTo(1.1003, 10);
    expect(trade.exitPrice).toBe(1.11);
    expect(trade.gross).toBeCloseTo(174.6, 8);
    expect(trade.commission).toBeCloseTo(2.52, 10);
    expect(trade.net).toBeCloseTo(172.08, 8);
    expect(trade.balance).toBeCloseTo(10_172.08, 8);
    expect(result.metrics.finalBalance).toBeCloseTo(10_172.08, 8);
  });

  it('puts the stop and target on the tick grid before placing them', () => {
    const bars = [flat(0, 1.1), flat(1, 1.1), flat(2, 1.1)];
    const [trade] = runBacktestWith(bars, config, scripted({ 0: { side: 'BUY', stopLoss: 1.0950049, takeProfit: 1.1100051 } })).trades;
    expect(trade.stopLoss).toBe(1.095);
    expect(trade.takeProfit).toBe(1.11001);
  });

  it('takes the stop when one bar touches both stop and target', () => {
    const bars = [flat(0, 1.1), bar(1, 1.1002, 1.105, 1.098, 1.104), bar(2, 1.104, 1.112, 1.094, 1.1)];
    const [trade] = runBacktestWith(bars, config, scripted({ 0: { side: 'BUY', stopLoss: 1.095, takeProfit: 1.11 } })).trades;
    // Stop at 1.0950: −530 ticks × 0.18 = −95.4.
    expect(trade).toMatchObject({ exitReason: 'SL', exitPrice: 1.095 });
    expect(trade.gross).toBeCloseTo(-95.4, 8);
    expect(trade.net).toBeCloseTo(-97.92, 8);
  });

  it('fills a stop at the open when the bar gaps through it', () => {
    const bars = [flat(0, 1.1), bar(1, 1.1002, 1.105, 1.098, 1.104), bar(2, 1.094, 1.096, 1.093, 1.095)];
    const [trade] = runBacktestWith(bars, config, scripted({ 0: { side: 'BUY', stopLoss: 1.095 } })).trades;
    // Gap to 1.0940: −630 ticks × 0.18 = −113.4.
    expect(trade).toMatchObject({ exitReason: 'SL', exitPrice: 1.094 });
    expect(trade.gross).toBeCloseTo(-113.4, 8);
  });

  it('fills a sell at the bid open and checks its stop against the ask (high + spread)', () => {
    // Bar 2's bid high 1.1049 is under the stop, its ask high 1.1050 is on it.
    const bars = [flat(0, 1.1), flat(1, 1.1), bar(2, 1.1001, 1.1049, 1.0995, 1.1)];
    const [trade] = runBacktestWith(bars, config, scripted({ 0: { side: 'SELL', stopLoss: 1.105, takeProfit: 1.09 } })).trades;
    // Entry bid 1.1000; 500 ticks of risk -> 100 / 500 = 0.2 lot; loss 500 × 0.2 = 100.
    expect(trade).toMatchObject({ side: 'SELL', volume: 0.2, entryPrice: 1.1, exitReason: 'SL', exitPrice: 1.105 });
    expect(trade.gross).toBeCloseTo(-100, 8);
  });

  it('takes a short profit when the ask low reaches the target', () => {
    // Bid low 1.0899 + spread = ask 1.0900 = target.
    const bars = [flat(0, 1.1), flat(1, 1.1), bar(2, 1.095, 1.096, 1.0899, 1.09)];
    const [trade] = runBacktestWith(bars, config, scripted({ 0: { side: 'SELL', stopLoss: 1.105, takeProfit: 1.09 } })).trades;
    expect(trade).toMatchObject({ exitReason: 'TP', exitPrice: 1.09 });
    expect(trade.gross).toBeCloseTo(200, 8);
  });

  it('reverses on an opposite signal at the next open and closes what is left at the end', () => {
    const bars = [flat(0, 1.1), flat(1, 1.101), flat(2, 1.102), flat(3, 1.103), flat(4, 1.1)];
    const result = runBacktestWith(
      bars,
      config,
      scripted({ 0: { side: 'BUY', stopLoss: 1.09 }, 2: { side: 'SELL', stopLoss: 1.12 } }),
    );
    expect(result.trades.map((t) => [t.side, t.exitReason, t.entryTime, t.exitTime])).toEqual([
      ['BUY', 'REVERSE', T0 + MINUTE, T0 + 3 * MINUTE],
      ['SELL', 'END', T0 + 3 * MINUTE, T0 + 4 * MINUTE],
    ]);
    // Long exits at the bid open 1.103; the short enters there and exits at the last ask 1.1001.
    expect(result.trades[0].exitPrice).toBe(1.103);
    expect(result.trades[1].entryPrice).toBe(1.103);
    expect(result.trades[1].exitPrice).toBeCloseTo(1.1001, 10);
  });

  it('ignores a signal on the side already held and records why', () => {
    const bars = [flat(0, 1.1), flat(1, 1.1), flat(2, 1.1), flat(3, 1.1)];
    const result = runBacktestWith(bars, config, scripted({ 0: { side: 'BUY', stopLoss: 1.09 }, 1: { side: 'BUY', stopLoss: 1.09 } }));
    expect(result.trades).toHaveLength(1);
    expect(result.skipped).toEqual([expect.objectContaining({ reason: 'SAME_SIDE', barOpenTime: T0 + MINUTE, side: 'BUY' })]);
    expect(result.signals).toHaveLength(2);
  });

  it('skips a trade whose risk budget buys less than the minimum volume', () => {
    const bars = [flat(0, 1.1), flat(1, 1.1), flat(2, 1.1)];
    // Entry ask 1.1001, stop 1.0900: 1,010 ticks = 1,010 USD per lot. 0.01% of 10,000 = 1 USD
    // buys 0.00099 lot.
    const result = runBacktestWith(bars, { ...config, riskPercent: 0.01 }, scripted({ 0: { side: 'BUY', stopLoss: 1.09 } }));
    expect(result.trades).toHaveLength(0);
    expect(result.skipped).toEqual([expect.objectContaining({ reason: 'VOLUME_BELOW_MIN' })]);
    expect(result.skipped[0].detail).toBe('risk budget 1.00 < 0.01 lot x 1010.00 per lot at the stop');
  });

  it('trades the minimum volume when the budget pays for exactly that much risk', () => {
    const bars = [flat(0, 1.1), flat(1, 1.1), flat(2, 1.1)];
    // 0.101% of 10,000 = 10.10 USD = 0.01 lot x 1,010 USD (float noise may put it an ulp under).
    const result = runBacktestWith(bars, { ...config, riskPercent: 0.101 }, scripted({ 0: { side: 'BUY', stopLoss: 1.09 } }));
    expect(result.skipped).toEqual([]);
    expect(result.trades[0].volume).toBe(0.01);
  });

  it('leaves volume refusals that are not certain to risk sizing, with its denial code', () => {
    const bars = [flat(0, 1.1), flat(1, 1.1), flat(2, 1.1)];
    // 10.0999999 USD is within 1e-6 of the 10.10 the minimum lot risks: sizing decides, and
    // refuses with RISK.INVALID_VOLUME (0.0099999999 lot rounds down to 0).
    const result = runBacktestWith(bars, { ...config, riskPercent: 0.100999999 }, scripted({ 0: { side: 'BUY', stopLoss: 1.09 } }));
    expect(result.skipped).toEqual([expect.objectContaining({ reason: 'VOLUME_BELOW_MIN' })]);
    expect(result.skipped[0].detail).toMatch(/^RISK\.INVALID_VOLUME: /);
  });

  it('skips a signal whose stop is on the wrong side of the next open', () => {
    const bars = [flat(0, 1.1), flat(1, 1.08), flat(2, 1.08)];
    const result = runBacktestWith(bars, config, scripted({ 0: { side: 'BUY', stopLoss: 1.09 } }));
    expect(result.trades).toHaveLength(0);
    expect(result.skipped).toEqual([expect.objectContaining({ reason: 'INVALID_STOPS' })]);
  });

  it('skips a signal on the last bar: there is no next open to fill at', () => {
    const result = runBacktestWith([flat(0, 1.1), flat(1, 1.1)], config, scripted({ 1: { side: 'SELL', stopLoss: 1.2 } }));
    expect(result.skipped).toEqual([expect.objectContaining({ reason: 'NO_NEXT_BAR' })]);
  });

  it('uses the bar spread when the run does not override it, and the override when it does', () => {
    const bars = [flat(0, 1.1), bar(1, 1.1, 1.1002, 1.0998, 1.1, { spreadPoints: 25 }), flat(2, 1.1)];
    const order = { 0: { side: 'BUY' as const, stopLoss: 1.09 } };
    expect(runBacktestWith(bars, config, scripted(order)).trades[0].entryPrice).toBeCloseTo(1.10025, 10);
    expect(runBacktestWith(bars, { ...config, spreadPoints: 0 }, scripted(order)).trades[0].entryPrice).toBe(1.1);
  });

  it('records equity per closed trade and per day, the open position valued at the day’s last close', () => {
    const nextDay = 24 * 60;
    const bars = [flat(0, 1.1), flat(1, 1.1), flat(2, 1.101), flat(nextDay, 1.102), flat(nextDay + 1, 1.102)];
    const result = runBacktestWith(bars, { ...config, commissionPerLotPerSide: 0 }, scripted({ 0: { side: 'BUY', stopLoss: 1.09 } }));
    // 0.09 lot (100 / 1,001 ticks). Day 1 ends at bid 1.101: (1.101 − 1.1001) = 90 ticks × 0.09 = 8.1.
    // The END exit at 1.102: 190 ticks × 0.09 = 17.1.
    expect(result.trades[0].volume).toBe(0.09);
    // Each day's point sits at its last bar: bar 2 (10:02) and bar nextDay + 1 (next day 10:01).
    expect(result.equityByDay.map((p) => p.time)).toEqual([T0 + 2 * MINUTE, T0 + (nextDay + 1) * MINUTE]);
    expect(result.equityByDay[0].equity).toBeCloseTo(10_008.1, 8);
    expect(result.equityByDay[1].equity).toBeCloseTo(10_017.1, 8);
    expect(result.equityByTrade.map((p) => p.equity)).toEqual([10_000, result.trades[0].balance]);
  });

  it('computes the metrics from the trades and the daily equity', () => {
    const bars = [flat(0, 1.1), bar(1, 1.1002, 1.105, 1.098, 1.104), bar(2, 1.104, 1.112, 1.103, 1.111), flat(3, 1.111), bar(4, 1.111, 1.112, 1.11, 1.11)];
    const result = runBacktestWith(
      bars,
      config,
      scripted({ 0: { side: 'BUY', stopLoss: 1.095, takeProfit: 1.11 }, 3: { side: 'SELL', stopLoss: 1.12 } }),
    );
    expect(result.metrics).toMatchObject({ trades: 2, bars: 5, signals: 2, days: 1, initialBalance: 10_000, sharpeDaily: null });
    expect(result.metrics.netProfit).toBeCloseTo(result.trades[0].net + result.trades[1].net, 8);
    expect(result.metrics.finalBalance).toBeCloseTo(10_000 + result.metrics.netProfit, 8);
  });
});

describe('backtester configuration', () => {
  it('refuses an invalid configuration with every problem listed', () => {
    const attempt = () => runBacktest([], { ...config, initialBalance: 0, riskPercent: 150, strategyKind: 'ma-crossover', params: { fast: 50, slow: 10 } });
    expect(attempt).toThrow(BacktestConfigError);
    try {
      attempt();
    } catch (error) {
      expect((error as BacktestConfigError).problems).toEqual([
        'initialBalance: must be a positive number, got 0',
        'riskPercent: must be in (0, 100], got 150',
        'params.fast: must be below slow, got fast=50, slow=10',
      ]);
      expect((error as BacktestConfigError).code).toBe('BACKTEST.INVALID_CONFIG');
    }
  });

  it('runs on no bars and reports an empty result', () => {
    const result = runBacktest([], config);
    expect(result.trades).toEqual([]);
    expect(result.metrics).toMatchObject({ trades: 0, finalBalance: 10_000, sharpeDaily: null, days: 0 });
    expect(result.params).toEqual({ fast: 10, slow: 30, maType: 'SMA', atrPeriod: 14, stopLossAtr: 2, takeProfitAtr: 3 });
  });
});

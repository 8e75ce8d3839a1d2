// The `mt5-simulator` fill model, rule by rule, on hand-made bars with a scripted strategy, so
// each price, time, volume and amount can be checked on paper. GBPUSD as mt5-simulator trades it:
// point = tick = 0.00001, 1 USD per tick per lot, default spread 12 points, stops level 10
// points; 10,000 USD, 1% risk, 3.5 USD commission per lot per side (the simulator's).
import { describe, expect, it } from '@jest/globals';
import type { Bar } from '../market/index.js';
import type { Side, SignalDraft, StrategyInstance } from '../strategies/index.js';
import { runBacktestWith, type BacktestConfig, type BacktestInstrument } from './index.js';

const T0 = Date.UTC(2021, 0, 26, 10, 0);
const MINUTE = 60_000;

const GBPUSD: BacktestInstrument = {
  symbol: 'GBPUSD', venue: 'test', digits: 5, point: 0.00001, tickSize: 0.00001, tickValue: 1, contractSize: 100_000,
  baseCurrency: 'GBP', profitCurrency: 'USD', marginCurrency: 'GBP', volumeMin: 0.01, volumeMax: 100, volumeStep: 0.01,
  stopsLevel: 10, tradeMode: 'FULL', defaultSpreadPoints: 12,
};

const config: BacktestConfig = {
  strategyId: 'scripted', strategyKind: 'ma-crossover', instrument: GBPUSD, initialBalance: 10_000, riskPercent: 1,
  commissionPerLotPerSide: 3.5, fillModel: 'mt5-simulator',
};

function bar(index: number, open: number, high: number, low: number, close: number, extra: Partial<Bar> = {}): Bar {
  return { venue: 'test', symbol: 'GBPUSD', timeframe: 'M1', openTime: T0 + index * MINUTE, open, high, low, close, tickVolume: 1, ...extra };
}
const flat = (index: number, price: number) => bar(index, price, price + 0.0002, price - 0.0002, price);

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

const run = (bars: Bar[], orders: Record<number, Order>, overrides: Partial<BacktestConfig> = {}) => runBacktestWith(bars, { ...config, ...overrides }, scripted(orders));

describe('backtester, mt5-simulator fill model', () => {
  it('fills a buy at the signal bar’s close ask (close + spread) at 59 s into that bar, sized on the balance', () => {
    const result = run([flat(0, 1.36), flat(1, 1.36)], { 0: { side: 'BUY', stopLoss: 1.355, takeProfit: 1.37 } });
    // Ask 1.36 + 12 points = 1.36012. Risk 100 USD / 512 ticks = 0.1953 -> 0.19 lot.
    expect(result.trades).toHaveLength(1);
    expect(result.trades[0]).toMatchObject({ side: 'BUY', volume: 0.19, entryPrice: 1.36012, entryTime: T0 + 59_000, exitReason: 'END' });
  });

  it('fills a sell at the close bid and closes it at the end at the last close ask', () => {
    const [trade] = run([flat(0, 1.36), flat(1, 1.359)], { 0: { side: 'SELL', stopLoss: 1.365 } }).trades;
    expect(trade).toMatchObject({ side: 'SELL', entryPrice: 1.36, exitPrice: 1.35912, exitTime: T0 + MINUTE + 59_000, exitReason: 'END' });
  });

  it('checks stops only from the next bar’s quotes on, never on the entry bar’s own range', () => {
    // Bar 0's low 1.3598 is under the stop, but the order fills after bar 0 closed.
    const result = run([bar(0, 1.36, 1.3602, 1.3598, 1.36), bar(1, 1.36, 1.3601, 1.35995, 1.36)], { 0: { side: 'BUY', stopLoss: 1.3599 } });
    expect(result.trades[0].exitReason).toBe('END');
  });

  it('walks an up bar open, low, high, close: a long whose stop and target are both touched is stopped at the low, 15 s into the bar', () => {
    const bars = [flat(0, 1.36), bar(1, 1.36, 1.3705, 1.3545, 1.365)];
    const [trade] = run(bars, { 0: { side: 'BUY', stopLoss: 1.355, takeProfit: 1.37 } }).trades;
    expect(trade).toMatchObject({ exitReason: 'SL', exitPrice: 1.355, exitTime: T0 + MINUTE + 15_000 });
  });

  it('walks a down bar open, high, low, close: the same long takes its target first, at 15 s', () => {
    const bars = [flat(0, 1.36), bar(1, 1.36, 1.3705, 1.3545, 1.358)];
    const [trade] = run(bars, { 0: { side: 'BUY', stopLoss: 1.355, takeProfit: 1.37 } }).trades;
    expect(trade).toMatchObject({ exitReason: 'TP', exitPrice: 1.37, exitTime: T0 + MINUTE + 15_000 });
  });

  it('takes a level reached inside the path at the level, and the second extreme at 30 s', () => {
    // Up bar: low first (no stop hit), then the high reaches the target.
    const bars = [flat(0, 1.36), bar(1, 1.361, 1.3712, 1.3605, 1.371)];
    const [trade] = run(bars, { 0: { side: 'BUY', stopLoss: 1.355, takeProfit: 1.37 } }).trades;
    expect(trade).toMatchObject({ exitReason: 'TP', exitPrice: 1.37, exitTime: T0 + MINUTE + 30_000 });
  });

  it('fills a level jumped over at the bar’s open at the open quote: worse for a stop, better for a target', () => {
    const stopped = run([flat(0, 1.36), flat(1, 1.35)], { 0: { side: 'BUY', stopLoss: 1.355 } }).trades[0];
    expect(stopped).toMatchObject({ exitReason: 'SL', exitPrice: 1.35, exitTime: T0 + MINUTE });
    const target = run([flat(0, 1.36), flat(1, 1.38)], { 0: { side: 'BUY', stopLoss: 1.355, takeProfit: 1.37 } }).trades[0];
    expect(target).toMatchObject({ exitReason: 'TP', exitPrice: 1.38, exitTime: T0 + MINUTE });
  });

  it('checks a short’s stop on the ask: bid high + spread rounded to the digits', () => {
    // Bid high 1.36488 + 0.00012 = ask 1.365 = the stop; an up bar, so the high is the second extreme (30 s).
    const bars = [flat(0, 1.36), bar(1, 1.36, 1.36488, 1.3599, 1.3601)];
    const [trade] = run(bars, { 0: { side: 'SELL', stopLoss: 1.365 } }).trades;
    expect(trade).toMatchObject({ exitReason: 'SL', exitPrice: 1.365, exitTime: T0 + MINUTE + 30_000 });
  });

  it('holds one position at a time: a signal on either side while it is open is skipped as POSITION_OPEN, never reversed', () => {
    const bars = [flat(0, 1.36), flat(1, 1.36), flat(2, 1.36), flat(3, 1.36)];
    const result = run(bars, { 0: { side: 'BUY', stopLoss: 1.35 }, 1: { side: 'SELL', stopLoss: 1.37 }, 2: { side: 'BUY', stopLoss: 1.35 } });
    expect(result.trades.map((t) => [t.side, t.exitReason])).toEqual([['BUY', 'END']]);
    expect(result.skipped.map((s) => [s.reason, s.side, s.barOpenTime])).toEqual([
      ['POSITION_OPEN', 'SELL', T0 + MINUTE],
      ['POSITION_OPEN', 'BUY', T0 + 2 * MINUTE],
    ]);
    expect(result.skipped[0].detail).toMatch(/^RISK\.MAX_POSITIONS: symbol=GBPUSD, open=1, max=1/);
  });

  it('with several positions allowed per symbol, opens each signal as its own position (a hedge too) up to the limit', () => {
    const bars = [flat(0, 1.36), flat(1, 1.36), flat(2, 1.36), flat(3, 1.36)];
    const result = run(bars, { 0: { side: 'BUY', stopLoss: 1.35 }, 1: { side: 'SELL', stopLoss: 1.37 }, 2: { side: 'BUY', stopLoss: 1.35 } }, { maxPositionsPerSymbol: 2 });
    expect(result.trades.map((t) => [t.id, t.side, t.entryTime, t.exitReason])).toEqual([
      [1, 'BUY', T0 + 59_000, 'END'],
      [2, 'SELL', T0 + MINUTE + 59_000, 'END'],
    ]);
    expect(result.skipped.map((s) => [s.reason, s.barOpenTime])).toEqual([['POSITION_OPEN', T0 + 2 * MINUTE]]);
    expect(result.skipped[0].detail).toMatch(/^RISK\.MAX_POSITIONS: symbol=GBPUSD, open=2, max=2 /);
  });

  it('sizes on the equity of the last account snapshot: after the last deal, open positions valued at that bar’s close', () => {
    // Bar 0: BUY 0.19 lot at 1.36012; the snapshot after it: 10,000 − 0.67 commission − 12 ticks
    // × 0.19 (valued at the bid 1.36) = 9,997.05. Bar 1 rallies to 1.37 with no deal; the SELL
    // there (stop 1.374999, 499.9 ticks above the bid) is sized on 9,997.05: 99.9705 / 499.9 =
    // 0.19998 -> 0.19 lot. On the balance (9,999.33: 0.20003) or on the equity at that moment
    // (about 10,186) it would be 0.20.
    const bars = [flat(0, 1.36), flat(1, 1.37), flat(2, 1.37)];
    const result = run(bars, { 0: { side: 'BUY', stopLoss: 1.355 }, 1: { side: 'SELL', stopLoss: 1.374999 } }, { maxPositionsPerSymbol: 2 });
    expect(result.trades.map((t) => [t.side, t.volume])).toEqual([['BUY', 0.19], ['SELL', 0.19]]);
  });

  it('opens again on a signal of the bar whose path closed the previous position', () => {
    const bars = [flat(0, 1.36), bar(1, 1.36, 1.3601, 1.354, 1.3545), flat(2, 1.3545)];
    const result = run(bars, { 0: { side: 'BUY', stopLoss: 1.355 }, 1: { side: 'SELL', stopLoss: 1.36 } });
    expect(result.trades.map((t) => [t.side, t.exitReason, t.entryTime])).toEqual([
      ['BUY', 'SL', T0 + 59_000],
      ['SELL', 'END', T0 + MINUTE + 59_000],
    ]);
  });

  it('refuses stops nearer than the simulator’s stops level in whole points from the closing price (10016), and takes 10', () => {
    // A buy closes at the bid 1.36: a stop at 1.35991 is 9 points away, 1.3599 is 10.
    const near = run([flat(0, 1.36), flat(1, 1.36)], { 0: { side: 'BUY', stopLoss: 1.35991 } });
    expect(near.trades).toEqual([]);
    expect(near.skipped).toEqual([expect.objectContaining({ reason: 'INVALID_STOPS', detail: expect.stringMatching(/^10016 invalid stops: sl 1\.35991 must be 10 points below 1\.36/) })]);
    expect(run([flat(0, 1.36), flat(1, 1.36)], { 0: { side: 'BUY', stopLoss: 1.3599 } }).trades).toHaveLength(1);
  });

  it('sizes with the stop as the signal carries it (10 decimals) and places it with the instrument’s digits', () => {
    // Stop 1.3580049: placed at 1.358; sized on 1.3580049, 211.51 ticks under the ask 1.36012:
    // 100 / 211.51 = 0.4728 -> 0.47 lot (on 1.358 it would be 100 / 212 = 0.4717 -> 0.47 too).
    const [trade] = run([flat(0, 1.36), flat(1, 1.36)], { 0: { side: 'BUY', stopLoss: 1.3580049, takeProfit: 1.3650051 } }).trades;
    expect(trade).toMatchObject({ stopLoss: 1.358, takeProfit: 1.36501, volume: 0.47 });
  });

  it('sizes on the travelling stop even where the placed one would buy one step more', () => {
    // Placed stop 1.35812 is exactly 200 ticks under the ask 1.36012: 100 / 200 = 0.50 lot. The
    // signal's 1.358116 is 200.4 ticks under it: 0.499 -> 0.49 lot, which is what risk-guard sends.
    const [trade] = run([flat(0, 1.36), flat(1, 1.36)], { 0: { side: 'BUY', stopLoss: 1.358116 } }).trades;
    expect(trade).toMatchObject({ stopLoss: 1.35812, volume: 0.49 });
  });

  it('books each deal’s profit and commission in cents on the balance, as the simulator’s ledger does', () => {
    // 0.19 lot: commission 3.5 × 0.19 = 0.665 -> 0.67 per side (half away from zero).
    // Target 1.37 from 1.36012: 988 ticks × 0.19 = 187.72.
    const bars = [flat(0, 1.36), bar(1, 1.361, 1.3712, 1.3605, 1.371)];
    const [trade] = run(bars, { 0: { side: 'BUY', stopLoss: 1.355, takeProfit: 1.37 } }).trades;
    expect(trade).toMatchObject({ volume: 0.19, gross: 187.72, commission: 1.34, net: 186.38, balance: 10_186.38 });
  });

  it('quotes a bar with its own spread when it has a non-zero one, else with the default', () => {
    const own = run([flat(0, 1.36), flat(1, 1.36)].map((b, i) => (i === 0 ? { ...b, spreadPoints: 20 } : b)), { 0: { side: 'BUY', stopLoss: 1.35 } });
    expect(own.trades[0].entryPrice).toBe(1.3602);
    const zero = run([{ ...flat(0, 1.36), spreadPoints: 0 }, flat(1, 1.36)], { 0: { side: 'BUY', stopLoss: 1.35 } });
    expect(zero.trades[0].entryPrice).toBe(1.36012);
  });

  it('only warms the strategy on bars before tradeFrom: no signal recorded, no order', () => {
    const result = run([flat(0, 1.36), flat(1, 1.36), flat(2, 1.36)], { 0: { side: 'BUY', stopLoss: 1.35 }, 1: { side: 'SELL', stopLoss: 1.37 } }, { tradeFrom: T0 + MINUTE });
    expect(result.signals.map((s) => s.barOpenTime)).toEqual([T0 + MINUTE]);
    expect(result.trades.map((t) => t.side)).toEqual(['SELL']);
  });
});

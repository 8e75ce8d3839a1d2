import { describe, expect, it } from '@jest/globals';
import type { Bar } from '@mt5/domain/market';
import { forecastSignals, type StrategyOnSeries } from './signal-forecast.js';

const MIN = 60_000;
const start = Date.UTC(2021, 0, 25, 10, 0);

/** Bars with these closes, one a minute from 10:00, high/low one pip around the close. */
function bars(symbol: string, closes: readonly number[]): Bar[] {
  return closes.map((close, i) => ({ venue: 'MT5', symbol, timeframe: 'M1', openTime: start + i * MIN, open: close, high: close + 0.0001, low: close - 0.0001, close, tickVolume: 1 }));
}

const cross: StrategyOnSeries = { id: 'cross', kind: 'ma-crossover', params: { fast: 1, slow: 2, atrPeriod: 1 }, symbols: ['EURUSD'], timeframe: 'M1' };

describe('forecastSignals', () => {
  it('finds the bars a strategy signals on by running the domain strategy over the stored bars', () => {
    // SMA(1) against SMA(2): below from 10:01, crosses above at 10:03, below again at 10:05.
    const closes = [1.1, 1.099, 1.098, 1.105, 1.106, 1.09];
    expect(forecastSignals([cross], 'EURUSD', bars('EURUSD', closes), start)).toEqual([
      { strategyId: 'cross', symbol: 'EURUSD', barTime: start + 3 * MIN },
      { strategyId: 'cross', symbol: 'EURUSD', barTime: start + 5 * MIN },
    ]);
  });

  it('warms up on the bars before the window but counts only signals inside it', () => {
    const closes = [1.1, 1.099, 1.098, 1.105, 1.106, 1.09];
    expect(forecastSignals([cross], 'EURUSD', bars('EURUSD', closes), start + 4 * MIN).map((s) => s.barTime)).toEqual([start + 5 * MIN]);
  });

  it('ignores strategies of other symbols or timeframes and ones whose parameters do not build', () => {
    const others: StrategyOnSeries[] = [
      { ...cross, id: 'gbp', symbols: ['GBPUSD'] }, { ...cross, id: 'h1', timeframe: 'H1' }, { ...cross, id: 'bad', params: { fast: 5, slow: 2 } },
    ];
    expect(forecastSignals(others, 'EURUSD', bars('EURUSD', [1.1, 1.099, 1.098, 1.105]), start)).toEqual([]);
  });
});

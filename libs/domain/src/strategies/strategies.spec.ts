// Each strategy on bars small enough to work out by hand. Figures in the comments are the
// hand computation; ATR uses high/low = close ± 0.001 (see barsFromCloses).
import { describe, expect, it } from '@jest/globals';
import { strategyRegistry } from './registry.js';
import type { SignalDraft } from './signal.js';
import type { StrategyInstance } from './strategy.js';
import { barsFromCloses, T0 } from './testing/bars.fixture.js';

function build(kind: keyof typeof strategyRegistry, params: object): StrategyInstance {
  const result = strategyRegistry[kind].build(params);
  if (!result.ok) throw new Error(result.problems.join('; '));
  return result.instance;
}

/** Signals by bar number (1-based), as the hand computations count bars. */
function signalsByBar(instance: StrategyInstance, closes: readonly number[]): Map<number, SignalDraft> {
  const signals = new Map<number, SignalDraft>();
  barsFromCloses(closes).forEach((bar, index) => {
    const signal = instance.onBar(bar);
    if (signal) signals.set(index + 1, signal);
  });
  return signals;
}

describe('ma-crossover', () => {
  // SMA(2) vs SMA(4): bar 6 fast 1.065 < slow 1.07; bar 7 fast 1.08 > slow 1.0725 (BUY);
  // bar 9 fast 1.09 > slow 1.085; bar 10 fast 1.06 < slow 1.08 (SELL).
  const closes = [1.1, 1.09, 1.08, 1.07, 1.06, 1.07, 1.09, 1.11, 1.07, 1.05];
  const params = { fast: 2, slow: 4, maType: 'SMA', atrPeriod: 2, stopLossAtr: 2, takeProfitAtr: 3 };

  it('buys when the fast SMA crosses above the slow one and sells when it crosses back below', () => {
    const signals = signalsByBar(build('ma-crossover', params), closes);
    expect([...signals.keys()]).toEqual([7, 10]);
    expect(signals.get(7)?.side).toBe('BUY');
    expect(signals.get(10)?.side).toBe('SELL');
  });

  it('puts the figures in the reason and stops at ATR multiples of the close', () => {
    const buy = signalsByBar(build('ma-crossover', params), closes).get(7)!;
    // True ranges 0.002, 0.011, 0.011, 0.011, 0.011, 0.011, 0.021; Wilder ATR(2) seeded 0.0065
    // -> 0.00875 -> 0.009875 -> 0.0104375 -> 0.01071875 -> 0.015859375.
    expect(buy.reason).toBe('fast SMA(2) 1.08 crossed above slow SMA(4) 1.0725');
    expect(buy.atr).toBeCloseTo(0.015859375, 12);
    expect(buy.price).toBe(1.09);
    expect(buy.barOpenTime).toBe(T0 + 6 * 60_000);
    expect(buy.stopLoss).toBeCloseTo(1.09 - 2 * 0.015859375, 12);
    expect(buy.takeProfit).toBeCloseTo(1.09 + 3 * 0.015859375, 12);
    // |close − slow| / ATR = 0.0175 / 0.015859375 > 1, capped.
    expect(buy.strength).toBe(1);
  });

  it('suggests no take-profit when takeProfitAtr is 0', () => {
    const buy = signalsByBar(build('ma-crossover', { ...params, takeProfitAtr: 0 }), closes).get(7)!;
    expect(buy.takeProfit).toBeNull();
  });

  it('needs slow + 1 bars before it can signal', () => {
    expect(build('ma-crossover', params).warmUpBars).toBe(5);
    expect(build('ma-crossover', { fast: 10, slow: 30 }).warmUpBars).toBe(31);
  });
});

describe('rsi-reversion', () => {
  // RSI(2): bar 3 100, bar 4 100, bar 5 50 (SELL: fell back through 70, high 100),
  // bar 6 16.67, bar 7 10, bar 8 35.71 (BUY: rose back through 30, low 10).
  const closes = [1.1, 1.11, 1.12, 1.13, 1.12, 1.1, 1.09, 1.095];
  const params = { period: 2, oversold: 30, overbought: 70, atrPeriod: 2 };

  it('sells when RSI falls back through overbought and buys when it rises back through oversold', () => {
    const signals = signalsByBar(build('rsi-reversion', params), closes);
    expect([...signals.keys()]).toEqual([5, 8]);
    expect(signals.get(5)).toMatchObject({ side: 'SELL', strength: 1, reason: 'RSI(2) fell back through overbought 70: 100 -> 50, high 100, close 1.12' });
    expect(signals.get(8)).toMatchObject({ side: 'BUY', reason: 'RSI(2) rose back through oversold 30: 10 -> 35.7143, low 10, close 1.095' });
    // (30 − 10) / 30
    expect(signals.get(8)!.strength).toBeCloseTo(2 / 3, 9);
  });

  it('puts the stop below the close for a buy and above it for a sell', () => {
    const signals = signalsByBar(build('rsi-reversion', params), closes);
    expect(signals.get(8)!.stopLoss).toBeLessThan(1.095);
    expect(signals.get(5)!.stopLoss).toBeGreaterThan(1.12);
  });
});

describe('bollinger-breakout', () => {
  // Bands(3, 1σ): bars 1-3 flat, σ = 0, close on the band (inside). Bar 4: window 1, 1, 1.01,
  // mean 1.0033333, σ = 0.0047140, upper 1.0080474; the close 1.01 is above: BUY, strength
  // (1.01 − upper) / σ = √2 − 1.
  const params = { period: 3, deviations: 1, atrPeriod: 2 };

  it('buys on the first close above the upper band, with strength in band half-widths', () => {
    const signals = signalsByBar(build('bollinger-breakout', params), [1, 1, 1, 1.01, 1.02]);
    expect([...signals.keys()]).toEqual([4]);
    const buy = signals.get(4)!;
    expect(buy.side).toBe('BUY');
    expect(buy.strength).toBeCloseTo(Math.SQRT2 - 1, 9);
    expect(buy.reason).toBe('close 1.01 broke above the upper Bollinger band(3, 1) 1.00805, middle 1.00333');
  });

  it('sells on the first close below the lower band', () => {
    const signals = signalsByBar(build('bollinger-breakout', params), [1, 1, 1, 0.99]);
    expect(signals.get(4)).toMatchObject({ side: 'SELL' });
    expect(signals.get(4)!.strength).toBeCloseTo(Math.SQRT2 - 1, 9);
  });
});

describe('donchian-breakout', () => {
  // Channel(3) of the bars before: bar 4 sees 0.999..1.001, close 1.002 is above (BUY); bar 5
  // sees ..1.003, close 1.004 is above again (same breakout, no signal); bar 6 sees 0.999..1.005,
  // close 0.99 is below (SELL).
  const params = { period: 3, atrPeriod: 2 };
  const closes = [1, 1, 1, 1.002, 1.004, 0.99];

  it('signals once per breakout of the previous N-bar high or low', () => {
    const signals = signalsByBar(build('donchian-breakout', params), closes);
    expect([...signals.keys()]).toEqual([4, 6]);
    expect(signals.get(4)).toMatchObject({ side: 'BUY', reason: 'close 1.002 broke above the 3-bar high 1.001 (channel 0.999..1.001)' });
    expect(signals.get(6)).toMatchObject({ side: 'SELL', reason: 'close 0.99 broke below the 3-bar low 0.999 (channel 0.999..1.005)' });
  });
});

describe('macd-trend', () => {
  // MACD(2,4,2), EMAs seeded with SMAs. Bar 9: EMA(2) 1.0458436, EMA(4) 1.0514496, MACD
  // −0.0056060, signal −0.0083486, histogram +0.0027426 after −0.0010512 on bar 8: BUY below
  // zero. Bar 13: histogram −0.00148 after +0.00144 with MACD +0.00668: SELL above zero.
  const closes = [1.1, 1.1, 1.1, 1.1, 1.09, 1.07, 1.04, 1.03, 1.05, 1.08, 1.1, 1.11, 1.1, 1.07, 1.04, 1.03];
  const params = { fast: 2, slow: 4, signal: 2, atrPeriod: 2 };

  it('signals when the MACD line crosses its signal line, in the direction of the cross', () => {
    const signals = signalsByBar(build('macd-trend', params), closes);
    expect([...signals.keys()]).toEqual([9, 13]);
    expect(signals.get(9)).toMatchObject({ side: 'BUY', reason: 'MACD(2,4,2) -0.00560598 crossed above signal -0.00834861, histogram 0.00274263, close 1.05' });
    expect(signals.get(13)).toMatchObject({ side: 'SELL' });
  });

  it('with the zero-line filter, drops crosses against the side of zero the MACD line is on', () => {
    expect(signalsByBar(build('macd-trend', { ...params, zeroLineFilter: true }), closes).size).toBe(0);
  });

  it('needs slow + signal bars before it can signal', () => {
    expect(build('macd-trend', params).warmUpBars).toBe(6);
    expect(build('macd-trend', {}).warmUpBars).toBe(35);
  });
});

// Every indicator against an independent implementation on all 49,993 real EURUSD M1 bars of the
// shared data, once warm, to 1e-9 relative. Each block names its reference and why that one:
// where the two packages disagree on a convention, the one matching the documented definition
// (see the indicator's TSDoc) is used, and the other is named with the reason it is not.
import { describe, expect, it } from '@jest/globals';
import * as ti from 'technicalindicators';
import * as ts from 'trading-signals';
import {
  ADX,
  ATR,
  BollingerBands,
  CCI,
  DonchianChannels,
  EMA,
  MACD,
  RSI,
  SMA,
  StandardDeviation,
  Stochastic,
  WMA,
  WilderAverage,
  type HighLowClose,
} from './index.js';
import { eurusdM1 } from './testing/shared-market-data.fixture.js';

const RELATIVE = 1e-9;
const bars = eurusdM1();
const closes = bars.map((bar) => bar.close);
const candles: HighLowClose[] = bars.map(({ high, low, close }) => ({ high, low, close }));
const highs = bars.map((bar) => bar.high);
const lows = bars.map((bar) => bar.low);

/**
 * Compares two series index by index (null = no value yet). Both must start at the same input
 * and every value must be within `RELATIVE` of the reference, or within `absoluteFloor` for
 * values that cross zero (oscillators, differences of prices).
 */
function expectSeriesClose(
  ours: readonly (number | null)[],
  reference: readonly (number | null | undefined)[],
  absoluteFloor = 0,
): void {
  expect(ours).toHaveLength(reference.length);
  const firstOurs = ours.findIndex((value) => value !== null);
  const firstReference = reference.findIndex((value) => value !== null && value !== undefined);
  expect(firstOurs).toBe(firstReference);
  const mismatches: string[] = [];
  let compared = 0;
  for (let i = firstReference; i < reference.length; i++) {
    const expected = reference[i] as number;
    const actual = ours[i] as number;
    compared++;
    const tolerance = Math.max(RELATIVE * Math.max(Math.abs(expected), Math.abs(actual)), absoluteFloor);
    if (!(Math.abs(actual - expected) <= tolerance)) mismatches.push(`#${i}: ours ${actual}, reference ${expected}`);
  }
  expect(mismatches.slice(0, 5)).toEqual([]);
  expect(compared).toBeGreaterThan(49_000);
}

/** Aligns a `technicalindicators` batch output (it starts at the first warm input) with the inputs. */
function alignEnd<T>(values: readonly T[], length = bars.length): (T | null)[] {
  return [...new Array<null>(length - values.length).fill(null), ...values];
}

function run<I, R>(indicator: { add(input: I): R | null }, inputs: readonly I[]): (R | null)[] {
  return inputs.map((input) => indicator.add(input));
}

/** Feeds a `trading-signals` indicator and records its result once it calls itself stable. */
function runTradingSignals<I, R>(indicator: { add(input: I): unknown; isStable: boolean; getResult(): R | null }, inputs: readonly I[]) {
  return inputs.map((input) => {
    indicator.add(input);
    return indicator.isStable ? indicator.getResult() : null;
  });
}

function field<R, K extends keyof R>(series: readonly (R | null | undefined)[], key: K): (R[K] | null)[] {
  return series.map((value) => (value === null || value === undefined ? null : value[key]));
}

describe('indicators agree with independent implementations on real EURUSD M1 data', () => {
  it('SMA(20) equals trading-signals SMA (batch mean of each window)', () => {
    expectSeriesClose(run(new SMA(20), closes), runTradingSignals(new ts.SMA(20), closes));
  });

  it('EMA(50) equals technicalindicators EMA (SMA seed; trading-signals seeds with the first price)', () => {
    expectSeriesClose(run(new EMA(50), closes), alignEnd(ti.EMA.calculate({ period: 50, values: closes })));
  });

  it("Wilder's average (14) equals technicalindicators WEMA", () => {
    expectSeriesClose(run(new WilderAverage(14), closes), alignEnd(ti.WEMA.calculate({ period: 14, values: closes })));
  });

  it('WMA(10) equals trading-signals WMA', () => {
    expectSeriesClose(run(new WMA(10), closes), runTradingSignals(new ts.WMA(10), closes));
  });

  it('RSI(14) equals trading-signals RSI (technicalindicators rounds RSI to 2 decimals)', () => {
    expectSeriesClose(run(new RSI(14), closes), runTradingSignals(new ts.RSI(14), closes));
  });

  it('MACD(12,26,9) equals technicalindicators MACD with EMA oscillator and signal (trading-signals seeds EMAs with the first price)', () => {
    const ours = run(new MACD(12, 26, 9), closes);
    const reference = alignEnd(
      ti.MACD.calculate({ values: closes, fastPeriod: 12, slowPeriod: 26, signalPeriod: 9, SimpleMAOscillator: false, SimpleMASignal: false }),
    ).map((value) => (value?.signal === undefined ? null : value));
    // MACD values are differences of ~1.1 prices: 1e-12 is about 10,000 ulps of the price.
    expectSeriesClose(field(ours, 'macd'), field(reference, 'MACD'), 1e-12);
    expectSeriesClose(field(ours, 'signal'), field(reference, 'signal'), 1e-12);
    expectSeriesClose(field(ours, 'histogram'), field(reference, 'histogram'), 1e-12);
  });

  it('BollingerBands(20,2) equal trading-signals BollingerBands (population standard deviation)', () => {
    const ours = run(new BollingerBands(20, 2), closes);
    const reference = runTradingSignals(new ts.BollingerBands(20, 2), closes);
    expectSeriesClose(field(ours, 'upper'), field(reference, 'upper'));
    expectSeriesClose(field(ours, 'middle'), field(reference, 'middle'));
    expectSeriesClose(field(ours, 'lower'), field(reference, 'lower'));
  });

  it('StandardDeviation(20) equals trading-signals getStandardDeviation of each window (population, two-pass)', () => {
    const reference = closes.map((_, i) => (i < 19 ? null : ts.getStandardDeviation(closes.slice(i - 19, i + 1))));
    // A one-pass variance cannot resolve a flat window to exactly 0: 1e-12 is 1e-12 of the price level.
    expectSeriesClose(run(new StandardDeviation(20), closes), reference, 1e-12);
  });

  it('ATR(14) equals trading-signals ATR (first true range = high − low; technicalindicators skips bar one)', () => {
    expectSeriesClose(run(new ATR(14), candles), runTradingSignals(new ts.ATR(14), candles));
  });

  it('slow Stochastic(14,3,3) equals trading-signals StochasticOscillator', () => {
    const ours = run(new Stochastic(14, 3, 3), candles);
    const reference = runTradingSignals(new ts.StochasticOscillator({ kPeriod: 14, kSlowingPeriod: 3, dPeriod: 3 }), candles);
    expectSeriesClose(field(ours, 'k'), field(reference, 'stochK'), 1e-9);
    expectSeriesClose(field(ours, 'd'), field(reference, 'stochD'), 1e-9);
  });

  it('fast Stochastic(14,1,3) equals technicalindicators Stochastic (no slowing)', () => {
    const ours = run(new Stochastic(14, 1, 3), candles);
    const reference = alignEnd(ti.Stochastic.calculate({ high: highs, low: lows, close: closes, period: 14, signalPeriod: 3 })).map(
      (value) => (value?.d === undefined ? null : value),
    );
    expectSeriesClose(field(ours, 'k'), field(reference, 'k'), 1e-9);
    expectSeriesClose(field(ours, 'd'), field(reference, 'd'), 1e-9);
  });

  it("ADX(14) with ±DI equals technicalindicators ADX (Wilder's definition; trading-signals feeds a zero move for bar one)", () => {
    const ours = run(new ADX(14), candles);
    const reference = alignEnd(ti.ADX.calculate({ high: highs, low: lows, close: closes, period: 14 }));
    expectSeriesClose(field(ours, 'adx'), field(reference, 'adx'));
    expectSeriesClose(field(ours, 'pdi'), field(reference, 'pdi'));
    expectSeriesClose(field(ours, 'mdi'), field(reference, 'mdi'));
  });

  it('CCI(20) equals trading-signals CCI', () => {
    // CCI divides a price difference by a mean deviation; 1e-6 CCI points is far below any threshold.
    expectSeriesClose(run(new CCI(20), candles), runTradingSignals(new ts.CCI(20), candles), 1e-6);
  });

  it('DonchianChannels(20) equal trading-signals DonchianChannels', () => {
    const ours = run(new DonchianChannels(20), candles);
    const reference = runTradingSignals(new ts.DonchianChannels(20), candles);
    expectSeriesClose(field(ours, 'upper'), field(reference, 'upper'));
    expectSeriesClose(field(ours, 'middle'), field(reference, 'middle'));
    expectSeriesClose(field(ours, 'lower'), field(reference, 'lower'));
  });
});

// One contract, every indicator: warm-up length, `replace` semantics for the forming bar, and
// `reset`. Inputs are the first 300 real EURUSD M1 bars of the shared data.
import { describe, expect, it } from '@jest/globals';
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
  type Indicator,
} from './index.js';
import { eurusdM1 } from './testing/shared-market-data.fixture.js';

type AnyIndicator = Indicator<number, unknown> | Indicator<HighLowClose, unknown>;

interface Case {
  readonly name: string;
  readonly create: () => AnyIndicator;
  /** The allocation-free numeric getters and the result field each mirrors. */
  readonly getters: Readonly<Record<string, string | null>>;
  /** Inputs needed before the first result, worked out by hand from the definition. */
  readonly expectedWarmUp: number;
  readonly input: 'close' | 'candle';
}

const cases: readonly Case[] = [
  { name: 'SMA(20)', create: () => new SMA(20), getters: { value: null }, expectedWarmUp: 20, input: 'close' },
  { name: 'SMA(1)', create: () => new SMA(1), getters: { value: null }, expectedWarmUp: 1, input: 'close' },
  { name: 'EMA(50)', create: () => new EMA(50), getters: { value: null }, expectedWarmUp: 50, input: 'close' },
  { name: 'WilderAverage(14)', create: () => new WilderAverage(14), getters: { value: null }, expectedWarmUp: 14, input: 'close' },
  { name: 'WMA(10)', create: () => new WMA(10), getters: { value: null }, expectedWarmUp: 10, input: 'close' },
  { name: 'RSI(14)', create: () => new RSI(14), getters: { value: null }, expectedWarmUp: 15, input: 'close' },
  {
    name: 'MACD(12,26,9)', create: () => new MACD(12, 26, 9), getters: { line: 'macd', signalLine: 'signal', histogram: 'histogram' },
    expectedWarmUp: 34, input: 'close',
  },
  {
    name: 'BollingerBands(20,2)', create: () => new BollingerBands(20, 2), getters: { upper: 'upper', middle: 'middle', lower: 'lower' },
    expectedWarmUp: 20, input: 'close',
  },
  { name: 'StandardDeviation(20)', create: () => new StandardDeviation(20), getters: { value: null }, expectedWarmUp: 20, input: 'close' },
  { name: 'ATR(14)', create: () => new ATR(14), getters: { value: null }, expectedWarmUp: 14, input: 'candle' },
  { name: 'Stochastic(14,3,3)', create: () => new Stochastic(14, 3, 3), getters: { k: 'k', d: 'd' }, expectedWarmUp: 18, input: 'candle' },
  { name: 'Stochastic(5,1,3)', create: () => new Stochastic(5, 1, 3), getters: { k: 'k', d: 'd' }, expectedWarmUp: 7, input: 'candle' },
  { name: 'ADX(14)', create: () => new ADX(14), getters: { adx: 'adx', pdi: 'pdi', mdi: 'mdi' }, expectedWarmUp: 28, input: 'candle' },
  { name: 'CCI(20)', create: () => new CCI(20), getters: { value: null }, expectedWarmUp: 20, input: 'candle' },
  {
    name: 'DonchianChannels(20)', create: () => new DonchianChannels(20), getters: { upper: 'upper', middle: 'middle', lower: 'lower' },
    expectedWarmUp: 20, input: 'candle',
  },
];

const candles: readonly HighLowClose[] = eurusdM1()
  .slice(0, 300)
  .map(({ high, low, close }) => ({ high, low, close }));

/** A different bar for the same slot: what the forming bar looked like a few ticks earlier. */
function perturbed(candle: HighLowClose, step: number): HighLowClose {
  const shift = ((step % 7) - 3) * 0.00007;
  return { high: candle.high + Math.abs(shift) + 0.0001, low: candle.low - 0.0002, close: candle.close + shift };
}

function inputOf(testCase: Case, candle: HighLowClose): never {
  return (testCase.input === 'close' ? candle.close : candle) as never;
}

function addAll(indicator: AnyIndicator, testCase: Case, inputs: readonly HighLowClose[]): unknown[] {
  return inputs.map((candle) => indicator.add(inputOf(testCase, candle)));
}

describe.each(cases)('indicator contract: $name', (testCase) => {
  it('declares the warm-up length of its definition', () => {
    expect(testCase.create().warmUp).toBe(testCase.expectedWarmUp);
  });

  it('has no result and is not stable before warm-up inputs, then has one on the warm-up-th input', () => {
    const indicator = testCase.create();
    expect(indicator.result).toBeNull();
    expect(indicator.isStable).toBe(false);
    for (let i = 0; i < indicator.warmUp - 1; i++) {
      expect(indicator.add(inputOf(testCase, candles[i]))).toBeNull();
      expect(indicator.result).toBeNull();
      expect(indicator.isStable).toBe(false);
    }
    const first = indicator.add(inputOf(testCase, candles[indicator.warmUp - 1]));
    expect(first).not.toBeNull();
    expect(indicator.result).toEqual(first);
    expect(indicator.isStable).toBe(true);
  });

  it('returns from add the value it then reports as result, on every input', () => {
    const indicator = testCase.create();
    for (const candle of candles) {
      const returned = indicator.add(inputOf(testCase, candle));
      expect(indicator.result).toEqual(returned);
    }
  });

  it('after update, reports the same result as add would have returned', () => {
    const reference = addAll(testCase.create(), testCase, candles);
    const indicator = testCase.create();
    const outputs = candles.map((candle) => {
      indicator.update(inputOf(testCase, candle) as never);
      return indicator.result;
    });
    expect(outputs).toEqual(reference);
  });

  it('mirrors its result in numeric getters that are NaN while warming up', () => {
    const indicator = testCase.create() as unknown as Record<string, number> & AnyIndicator;
    for (const candle of candles) {
      indicator.update(inputOf(testCase, candle) as never);
      const result = indicator.result as number | Record<string, number> | null;
      for (const [getter, field] of Object.entries(testCase.getters)) {
        const expected = result === null ? Number.NaN : field === null ? (result as number) : (result as Record<string, number>)[field];
        expect(indicator[getter]).toBe(expected);
      }
    }
  });

  it('treats replace right after add with the same input as a no-op', () => {
    const reference = addAll(testCase.create(), testCase, candles);
    const indicator = testCase.create();
    const outputs = candles.map((candle) => {
      const added = indicator.add(inputOf(testCase, candle));
      const replaced = indicator.replace(inputOf(testCase, candle));
      expect(replaced).toEqual(added);
      return indicator.result;
    });
    expect(outputs).toEqual(reference);
  });

  it('after add of a forming bar and any number of replaces, equals adding the final bar directly', () => {
    const reference = addAll(testCase.create(), testCase, candles);
    const indicator = testCase.create();
    const outputs = candles.map((candle, step) => {
      indicator.add(inputOf(testCase, perturbed(candle, step)));
      indicator.replace(inputOf(testCase, perturbed(candle, step + 3)));
      return indicator.replace(inputOf(testCase, candle));
    });
    expect(outputs).toEqual(reference);
  });

  it('treats replace as add when nothing was added yet', () => {
    const replacedFirst = testCase.create();
    const outputs = candles.map((candle, step) =>
      step === 0 ? replacedFirst.replace(inputOf(testCase, candle)) : replacedFirst.add(inputOf(testCase, candle)),
    );
    expect(outputs).toEqual(addAll(testCase.create(), testCase, candles));
  });

  it('returns to its initial state on reset', () => {
    const fresh = testCase.create();
    const reference = addAll(fresh, testCase, candles);
    const reused = testCase.create();
    addAll(reused, testCase, candles.slice(100, 250));
    reused.reset();
    expect(reused.result).toBeNull();
    expect(reused.isStable).toBe(false);
    expect(addAll(reused, testCase, candles)).toEqual(reference);
  });
});

describe('indicator parameters', () => {
  it.each([
    ['SMA(0)', () => new SMA(0)],
    ['EMA(2.5)', () => new EMA(2.5)],
    ['RSI(-1)', () => new RSI(-1)],
    ['MACD(26,12,9)', () => new MACD(26, 12, 9)],
    ['BollingerBands(20,0)', () => new BollingerBands(20, 0)],
    ['ADX(NaN)', () => new ADX(Number.NaN)],
  ])('refuses %s', (_name, create) => {
    expect(create).toThrow(RangeError);
  });
});

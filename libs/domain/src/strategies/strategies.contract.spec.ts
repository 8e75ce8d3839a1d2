// Properties every strategy keeps, checked on 20,000 real EURUSD M1 bars with default parameters.
import { describe, expect, it } from '@jest/globals';
import type { Bar } from '../market/index.js';
import { eurusdM1 } from '../indicators/testing/shared-market-data.fixture.js';
import { StrategyKinds, type StrategyInstance } from './strategy.js';
import { strategyRegistry } from './registry.js';
import type { SignalDraft } from './signal.js';

const bars = eurusdM1().slice(0, 20_000);

function create(kind: (typeof StrategyKinds)[number]): StrategyInstance {
  const definition = strategyRegistry[kind];
  return definition.create(definition.defaults as never);
}

function run(instance: StrategyInstance, input: readonly Bar[]): { index: number; signal: SignalDraft }[] {
  const out: { index: number; signal: SignalDraft }[] = [];
  input.forEach((bar, index) => {
    const signal = instance.onBar(bar);
    if (signal) out.push({ index, signal });
  });
  return out;
}

describe.each(StrategyKinds.map((kind) => ({ kind })))('strategy contract: $kind', ({ kind }) => {
  const signals = run(create(kind), bars);

  it('produces both buys and sells on real data', () => {
    expect(signals.some(({ signal }) => signal.side === 'BUY')).toBe(true);
    expect(signals.some(({ signal }) => signal.side === 'SELL')).toBe(true);
  });

  it('never signals before warmUpBars bars', () => {
    expect(signals[0].index + 1).toBeGreaterThanOrEqual(create(kind).warmUpBars);
  });

  it('gives each signal a strength in [0, 1], a reason, the bar identity and stops on the right sides', () => {
    for (const { index, signal } of signals) {
      const bar = bars[index];
      expect(signal.barOpenTime).toBe(bar.openTime);
      expect(signal.price).toBe(bar.close);
      expect(signal.strength).toBeGreaterThanOrEqual(0);
      expect(signal.strength).toBeLessThanOrEqual(1);
      expect(signal.reason.length).toBeGreaterThan(10);
      const direction = signal.side === 'BUY' ? 1 : -1;
      expect(direction * (signal.price - signal.stopLoss)).toBeCloseTo(2 * signal.atr, 12);
      expect(direction * (signal.takeProfit! - signal.price)).toBeCloseTo(3 * signal.atr, 12);
    }
  });

  it('is deterministic: a second instance gives the same signals', () => {
    expect(run(create(kind), bars)).toEqual(signals);
  });

  it('returns to its initial state on reset', () => {
    const instance = create(kind);
    run(instance, bars.slice(5_000, 9_000));
    instance.reset();
    expect(run(instance, bars)).toEqual(signals);
  });

  it('ignores a bar delivered twice or out of order', () => {
    const instance = create(kind);
    const noisy: { index: number; signal: SignalDraft }[] = [];
    let fromRepeats = 0;
    bars.forEach((bar, index) => {
      const signal = instance.onBar(bar);
      if (signal) noisy.push({ index, signal });
      if (instance.onBar(bar) !== null) fromRepeats++;
      if (index > 0 && instance.onBar(bars[index - 1]) !== null) fromRepeats++;
    });
    expect(fromRepeats).toBe(0);
    expect(noisy).toEqual(signals);
  });
});

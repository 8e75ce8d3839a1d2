import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { priceProfit } from '../positions/profit.js';
import { isOnStep } from '../positions/volume-math.js';
import type { RiskInstrument } from './risk-instrument.types.js';
import { sizeByRisk, type SizingInput } from './sizing.js';
import { EURUSD_SPEC, USDJPY_SPEC, XAUUSD_SPEC } from './test-support.fixture.js';

const instruments: { spec: RiskInstrument; price: number }[] = [
  { spec: EURUSD_SPEC, price: 1.1 },
  { spec: USDJPY_SPEC, price: 150 },
  { spec: XAUUSD_SPEC, price: 2000 },
  { spec: { ...EURUSD_SPEC, volumeMin: 0.1, volumeStep: 0.1 }, price: 1.1 },
  { spec: { ...XAUUSD_SPEC, volumeMin: 0.05, volumeStep: 0.05, volumeMax: 7.5 }, price: 2000 },
];

const sizingInput: fc.Arbitrary<SizingInput> = fc
  .record({
    instrument: fc.constantFrom(...instruments),
    equity: fc.double({ min: 0, max: 5_000_000, noNaN: true }),
    riskPercent: fc.double({ min: 0.01, max: 10, noNaN: true }),
    side: fc.constantFrom<'BUY' | 'SELL'>('BUY', 'SELL'),
    stopTicks: fc.integer({ min: 1, max: 40_000 }),
    maxLots: fc.integer({ min: 1, max: 1000 }).map((tenths) => tenths / 10),
  })
  .filter(({ instrument, stopTicks }) => stopTicks * instrument.spec.tickSize < instrument.price / 2)
  .map(({ instrument, equity, riskPercent, side, stopTicks, maxLots }) => {
    const distance = stopTicks * instrument.spec.tickSize;
    const stopLoss = side === 'BUY' ? instrument.price - distance : instrument.price + distance;
    return { instrument: instrument.spec, accountCurrency: 'USD', equity, riskPercent, side, entryPrice: instrument.price, stopLoss, maxLots };
  });

/** Largest whole number of steps the budget and the caps allow, counted independently of the code under test. */
function affordableSteps(input: SizingInput): number {
  const riskPerLot = -priceProfit(input.instrument, input.side, 1, input.entryPrice, input.stopLoss, input.accountCurrency);
  const exact = (input.equity * input.riskPercent) / 100 / riskPerLot;
  const cap = Math.min(input.maxLots, input.instrument.volumeMax);
  return Math.floor(Math.min(exact, cap) / input.instrument.volumeStep + 1e-9);
}

describe('sizeByRisk properties', () => {
  it('never risks more than the budget, always lands on the volume step, never exceeds the caps', () => {
    fc.assert(
      fc.property(sizingInput, (input) => {
        const result = sizeByRisk(input);
        if (result.kind === 'deny') return;
        expect(result.riskAmount).toBeLessThanOrEqual(result.riskBudget * (1 + 1e-9));
        expect(isOnStep(result.volume, input.instrument.volumeStep)).toBe(true);
        expect(result.volume).toBeLessThanOrEqual(Math.min(input.maxLots, input.instrument.volumeMax));
      }),
      { numRuns: 2000 },
    );
  });

  it('never goes below the minimum volume: it is a RISK.INVALID_VOLUME denial exactly when the affordable volume is', () => {
    fc.assert(
      fc.property(sizingInput, (input) => {
        const result = sizeByRisk(input);
        const affordable = affordableSteps(input) * input.instrument.volumeStep;
        const belowMinimum = affordable < input.instrument.volumeMin - 1e-9;
        expect(result.kind).toBe(belowMinimum ? 'deny' : 'sized');
        if (result.kind === 'deny') expect(result.code).toBe('RISK.INVALID_VOLUME');
        else expect(result.volume).toBeGreaterThanOrEqual(input.instrument.volumeMin);
      }),
      { numRuns: 2000 },
    );
  });

  it('rounds down by less than one step: the volume is the largest on-step volume within budget and caps', () => {
    fc.assert(
      fc.property(sizingInput, (input) => {
        const result = sizeByRisk(input);
        if (result.kind === 'deny') return;
        expect(Math.round(result.volume / input.instrument.volumeStep)).toBe(affordableSteps(input));
      }),
      { numRuns: 2000 },
    );
  });
});

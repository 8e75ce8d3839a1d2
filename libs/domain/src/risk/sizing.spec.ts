import { describe, expect, it } from '@jest/globals';
import { sizeByRisk, type SizingInput } from './sizing.js';
import { EURUSD_SPEC, USDJPY_SPEC, XAUUSD_SPEC } from './test-support.fixture.js';

const base: SizingInput = {
  instrument: EURUSD_SPEC, accountCurrency: 'USD', equity: 10_000, riskPercent: 1,
  side: 'BUY', entryPrice: 1.1, stopLoss: 1.098, maxLots: 2,
};

describe('sizeByRisk', () => {
  it('sizes 0.5 lot of EURUSD for 1% of 10 000 USD with a 200-point stop (200 USD per lot)', () => {
    const sized = sizeByRisk(base);
    expect(sized).toMatchObject({ kind: 'sized', volume: 0.5, riskBudget: 100, capped: false });
    expect(sized.kind === 'sized' && sized.riskPerLot).toBeCloseTo(200, 9);
  });

  it('rounds down to the volume step: a 210-point stop gives 0.47 lot, not 0.48 (100 / 210 = 0.476)', () => {
    expect(sizeByRisk({ ...base, entryPrice: 1.1001, stopLoss: 1.098 })).toMatchObject({ volume: 0.47 });
  });

  it('values a USDJPY stop at the stop price: 500 points below 150.000 risk 100 000 * 0.5 / 149.5 USD per lot', () => {
    const sized = sizeByRisk({ ...base, instrument: USDJPY_SPEC, entryPrice: 150, stopLoss: 149.5 });
    // 100 USD / 334.448 USD per lot = 0.299 lot.
    expect(sized).toMatchObject({ kind: 'sized', volume: 0.29 });
    expect(sized.kind === 'sized' && sized.riskPerLot).toBeCloseTo((100_000 * 0.5) / 149.5, 6);
  });

  it('sizes a short with its stop above: 0.1 lot XAUUSD sold at 2000 with a 10 USD stop risks 100 USD', () => {
    expect(sizeByRisk({ ...base, instrument: XAUUSD_SPEC, side: 'SELL', entryPrice: 2000, stopLoss: 2010 })).toMatchObject({ volume: 0.1 });
  });

  it('caps the volume at the per-order lot limit and says so', () => {
    expect(sizeByRisk({ ...base, equity: 1_000_000 })).toMatchObject({ kind: 'sized', volume: 2, capped: true });
  });

  it('denies, not rounds up, when the budget buys less than the minimum volume', () => {
    const denied = sizeByRisk({ ...base, equity: 100 });
    expect(denied.kind === 'deny' && denied.message).toBe('RISK.INVALID_VOLUME: volume=0.0, min=0.01, riskBudget=1.00, riskPerLot=200.00');
  });

  it('denies a stop on the wrong side of the entry', () => {
    const denied = sizeByRisk({ ...base, stopLoss: 1.101 });
    expect(denied.kind === 'deny' && denied.message).toBe(
      'RISK.INVALID_STOPS: side=BUY, stopLoss=1.10100, price=1.10000, reason=stop loss not on the losing side of entry',
    );
  });
});

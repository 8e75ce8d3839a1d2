import { describe, expect, it } from '@jest/globals';
import { buildStrategy } from '@mt5/domain/strategies';
import { eurusdBars, maCrossoverConfig, MemoryBarHistory } from '../../testing/engine-fakes.fixture.js';
import { StrategySlot } from './strategy-slot.js';
import { phaseModulus, warmUpBars } from './warm-up.js';

describe('warm-up alignment', () => {
  it('takes the least common multiple of the integer parameters as the phase modulus', () => {
    // ma-crossover defaults: fast 10, slow 30, ATR 14, stops 2 and 3 ATR: lcm(10, 30, 14, 2, 3) = 210.
    expect(phaseModulus({ fast: 10, slow: 30, maType: 'SMA', atrPeriod: 14, stopLossAtr: 2, takeProfitAtr: 3 })).toBe(210);
    expect(phaseModulus({ period: 20, deviations: 2.5, zeroLineFilter: true })).toBe(20);
    // lcm(997, 991, 983) is far past any useful warm-up: no alignment.
    expect(phaseModulus({ a: 997, b: 991, c: 983 })).toBe(1);
  });

  it('starts the warm-up at a series index that is a multiple of the modulus, with at least the warm-up count', async () => {
    const bars = eurusdBars(1_000);
    const history = new MemoryBarHistory();
    history.store(...bars);
    const built = buildStrategy('ma-crossover', { fast: 10, slow: 30 });
    if (!built.ok) throw new Error('invalid');
    const slot = new StrategySlot(maCrossoverConfig(), { venue: 'MT5', symbol: 'EURUSD', timeframe: 'M1' }, built.instance, 100, 210);
    // 900 bars up to index 899: 100 wanted from index 800, aligned down to 630.
    const warm = await warmUpBars(history, slot, { atOrBefore: bars[899]!.openTime });
    expect(warm.length).toBe(270);
    expect(warm[0]!.openTime).toBe(bars[630]!.openTime);
    expect(warm.at(-1)!.openTime).toBe(bars[899]!.openTime);
  });
});

// The parity run's settings: the strategy selection, and that both sides get the same figures.
import { describe, expect, it } from '@jest/globals';
import type { InstrumentSpec } from '@mt5/domain/instruments';
import { parityBacktestConfigs, parityServiceEnv, selectStrategies } from './parity-settings.fixture.js';

describe('parity settings', () => {
  it('selects the whole set by default, in id order, or the strategies named', () => {
    expect(selectStrategies(undefined).map((strategy) => strategy.id)).toEqual(['parity-cross', 'parity-rsi']);
    expect(selectStrategies(' parity-rsi ').map((strategy) => strategy.id)).toEqual(['parity-rsi']);
    expect(() => selectStrategies('parity-cross,nope')).toThrow('PARITY_STRATEGIES: unknown nope (known: parity-cross, parity-rsi)');
  });

  it('gives risk-guard and the backtest the same position limit, risk and lot cap, and the backtest the simulator’s spread, stops level and commission', () => {
    const env = parityServiceEnv(2);
    const spec = { symbol: 'GBPUSD', defaultSpreadPoints: 14, stopsLevel: 0 } as unknown as InstrumentSpec;
    const [config] = parityBacktestConfigs(spec, 0, 2, selectStrategies('parity-cross'));
    expect({ positions: env.MAX_OPEN_POSITIONS_PER_SYMBOL, risk: env.RISK_PERCENT_PER_TRADE, lots: env.MAX_LOTS_PER_ORDER }).toEqual({
      positions: String(config!.maxPositionsPerSymbol), risk: String(config!.riskPercent), lots: String(config!.maxLots),
    });
    expect(config!.instrument).toMatchObject({ defaultSpreadPoints: 12, stopsLevel: 10 });
    expect(config!.commissionPerLotPerSide).toBe(3.5);
    expect(env.REPORTING_STRATEGY_MAGICS).toBe('4721=parity-cross,4722=parity-rsi');
  });
});

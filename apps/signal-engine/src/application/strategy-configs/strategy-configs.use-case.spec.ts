import { beforeEach, describe, expect, it } from '@jest/globals';
import { MemoryConfigStore } from '../../testing/engine-fakes.fixture.js';
import { StrategyConfigsUseCase, validateConfigInput } from './strategy-configs.use-case.js';

let store: MemoryConfigStore;
let changed: string[];
let configs: StrategyConfigsUseCase;

beforeEach(() => {
  store = new MemoryConfigStore();
  changed = [];
  configs = new StrategyConfigsUseCase(store, { strategyChanged: async (id) => void changed.push(id) });
});

describe('seeding the default strategy set', () => {
  it('creates ma-crossover and rsi-reversion on EURUSD, GBPUSD and USDJPY M1, disabled, with full default parameters', async () => {
    const result = await configs.seedDefaults('MT5', false);
    expect(result).toEqual({ created: ['ma-crossover-m1', 'rsi-reversion-m1'], existing: [], enabled: [] });
    const ma = await configs.get('ma-crossover-m1');
    expect(ma).toMatchObject({ kind: 'ma-crossover', venue: 'MT5', symbols: ['EURUSD', 'GBPUSD', 'USDJPY'], timeframe: 'M1', enabled: false, magic: 1001 });
    expect(ma.params).toEqual({ fast: 10, slow: 30, maType: 'SMA', atrPeriod: 14, stopLossAtr: 2, takeProfitAtr: 3 });
    expect((await configs.get('rsi-reversion-m1')).params).toEqual({ period: 14, oversold: 30, overbought: 70, atrPeriod: 14, stopLossAtr: 2, takeProfitAtr: 3 });
  });

  it('leaves existing configs as they are on a second seed, and turns them on when asked', async () => {
    await configs.seedDefaults('MT5', false);
    await configs.setParams('ma-crossover-m1', { fast: 5 });
    changed = [];
    const again = await configs.seedDefaults('MT5', true);
    expect(again).toEqual({ created: [], existing: ['ma-crossover-m1', 'rsi-reversion-m1'], enabled: ['ma-crossover-m1', 'rsi-reversion-m1'] });
    expect((await configs.get('ma-crossover-m1')).params.fast).toBe(5);
    expect((await configs.list()).every((config) => config.enabled)).toBe(true);
    expect(changed).toEqual(['ma-crossover-m1', 'rsi-reversion-m1']);
  });
});

describe('changing a strategy at run time', () => {
  beforeEach(async () => {
    await configs.seedDefaults('MT5', false);
    changed = [];
  });

  it('merges new parameters onto the stored ones, stores the full set, bumps the version and rebuilds the strategy', async () => {
    const updated = await configs.setParams('ma-crossover-m1', { fast: 5, maType: 'EMA' });
    expect(updated.params).toEqual({ fast: 5, slow: 30, maType: 'EMA', atrPeriod: 14, stopLossAtr: 2, takeProfitAtr: 3 });
    expect(updated.version).toBe(2);
    expect(changed).toEqual(['ma-crossover-m1']);
  });

  it('refuses invalid parameters with every problem listed, and changes nothing', async () => {
    const attempt = configs.setParams('ma-crossover-m1', { fast: 0, maType: 'HMA', colour: 'red' });
    await expect(attempt).rejects.toMatchObject({
      code: 'OPS.INVALID_REQUEST',
      message: 'OPS.INVALID_REQUEST: params.colour: unknown parameter (known: fast, slow, maType, atrPeriod, stopLossAtr, takeProfitAtr); '
        + 'params.fast: must be an integer in 1..1000, got 0; params.maType: must be one of SMA, EMA, WMA, got "HMA"',
    });
    await expect(configs.setParams('ma-crossover-m1', { fast: 40 })).rejects.toMatchObject({ message: 'OPS.INVALID_REQUEST: params.fast: must be below slow, got fast=40, slow=30' });
    expect((await configs.get('ma-crossover-m1')).version).toBe(1);
    expect(changed).toEqual([]);
  });

  it('refuses a change based on an old version (OPS.CONFLICT) and an unknown id (OPS.NOT_FOUND)', async () => {
    await configs.enable('ma-crossover-m1');
    await expect(configs.disable('ma-crossover-m1', 1)).rejects.toMatchObject({ code: 'OPS.CONFLICT', message: 'OPS.CONFLICT: strategy=ma-crossover-m1, version=2 (the config changed since it was read)' });
    await expect(configs.enable('nope')).rejects.toMatchObject({ code: 'OPS.NOT_FOUND', message: 'OPS.NOT_FOUND: strategy=nope' });
    expect((await configs.get('ma-crossover-m1')).enabled).toBe(true);
  });

  it('creates a whole config by upsert, and refuses a magic number another strategy holds', async () => {
    const created = await configs.upsert('donchian-h1', { kind: 'donchian-breakout', venue: 'MT5', symbols: ['XAUUSD'], timeframe: 'H1', magic: 2001, enabled: true });
    expect(created).toMatchObject({ name: 'donchian-h1', enabled: true, riskPerTradePct: '0.5', maxOpenPositions: 1, version: 1 });
    await expect(configs.upsert('other', { kind: 'macd-trend', venue: 'MT5', symbols: ['EURUSD'], timeframe: 'M5', magic: 1001 }))
      .rejects.toMatchObject({ code: 'OPS.CONFLICT', message: 'OPS.CONFLICT: magic=1001, usedBy=ma-crossover-m1' });
  });
});

describe('validating a whole config', () => {
  it('reports every problem of every field at once', () => {
    const result = validateConfigInput('bad id', {
      kind: 'martingale', venue: 'MT5', symbols: ['EURUSD', 'EURUSD', ' GBPUSD'], timeframe: 'M2', magic: -1, riskPerTradePct: '150', maxOpenPositions: 0, maxVolume: '-1',
    });
    expect(result).toEqual({
      ok: false,
      problems: [
        'id: must be 1..64 characters of A-Z a-z 0-9 _ -, got "bad id"',
        'symbols: " GBPUSD" is not a symbol',
        'symbols: listed twice',
        'timeframe: must be one of M1, M5, M15, M30, H1, H4, D1, got "M2"',
        'magic: must be an integer in 0..2147483647, got -1',
        'riskPerTradePct: must be a decimal in (0, 100], got "150"',
        'maxOpenPositions: must be an integer of at least 1, got 0',
        'maxVolume: must be a positive decimal, got "-1"',
        'kind: unknown strategy "martingale" (known: ma-crossover, rsi-reversion, bollinger-breakout, macd-trend, donchian-breakout)',
      ],
    });
  });
});

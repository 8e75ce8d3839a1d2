import { describe, expect, it } from '@jest/globals';
import { buildStrategy, strategyRegistry } from './registry.js';
import { StrategyKinds } from './strategy.js';

describe('strategy parameters', () => {
  it.each(StrategyKinds)('%s: its defaults pass its own validation', (kind) => {
    const definition = strategyRegistry[kind];
    expect(definition.validate(definition.defaults)).toEqual({ ok: true, params: definition.defaults });
  });

  it('fills absent parameters with defaults', () => {
    expect(strategyRegistry['ma-crossover'].validate({ fast: 5 })).toEqual({
      ok: true,
      params: { fast: 5, slow: 30, maType: 'SMA', atrPeriod: 14, stopLossAtr: 2, takeProfitAtr: 3 },
    });
  });

  it('reports every problem at once', () => {
    expect(strategyRegistry['ma-crossover'].validate({ fast: 0, slow: 'thirty', maType: 'HMA', stopLossAtr: 0, colour: 'red' })).toEqual({
      ok: false,
      problems: [
        'colour: unknown parameter (known: fast, slow, maType, atrPeriod, stopLossAtr, takeProfitAtr)',
        'fast: must be an integer in 1..1000, got 0',
        'slow: must be an integer in 2..5000, got "thirty"',
        'maType: must be one of SMA, EMA, WMA, got "HMA"',
        'stopLossAtr: must be a number in (0, 100], got 0',
      ],
    });
  });

  it('checks relations between parameters once each is valid', () => {
    expect(strategyRegistry['macd-trend'].validate({ fast: 26, slow: 12 })).toEqual({
      ok: false,
      problems: ['fast: must be below slow, got fast=26, slow=12'],
    });
    expect(strategyRegistry['rsi-reversion'].validate({ oversold: 40, overbought: 100 })).toMatchObject({ ok: false });
  });

  it('refuses parameters that are not an object', () => {
    expect(strategyRegistry['donchian-breakout'].validate([20])).toEqual({ ok: false, problems: ['params: must be an object, got an array'] });
    expect(strategyRegistry['donchian-breakout'].validate('20')).toEqual({ ok: false, problems: ['params: must be an object, got "20"'] });
  });

  it('builds an instance from a kind name and untyped parameters', () => {
    const built = buildStrategy('bollinger-breakout', { period: 30 });
    expect(built.ok && built.instance.kind).toBe('bollinger-breakout');
    expect(built.ok && built.instance.warmUpBars).toBe(31);
  });

  it('reports an unknown kind as a problem', () => {
    expect(buildStrategy('martingale', {})).toEqual({
      ok: false,
      problems: ['kind: unknown strategy "martingale" (known: ma-crossover, rsi-reversion, bollinger-breakout, macd-trend, donchian-breakout)'],
    });
  });
});

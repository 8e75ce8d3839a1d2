import { describe, expect, it } from '@jest/globals';
import { completeSignal, signalId, type SignalDraft } from './signal.js';
import { figure } from './strategy.js';

describe('signal ids', () => {
  it('derives the id from strategy, symbol, timeframe and bar open time', () => {
    expect(signalId('trend-1', 'EURUSD', 'M1', Date.UTC(2022, 0, 4, 18, 0))).toBe('sig-trend-1-EURUSD-M1-1641319200000');
  });

  it('gives a redelivered bar the same id', () => {
    expect(signalId('a', 'EURUSD.m', 'H1', 1_641_319_200_000)).toBe(signalId('a', 'EURUSD.m', 'H1', 1_641_319_200_000));
  });

  it('refuses a bar time that is not whole epoch milliseconds', () => {
    expect(() => signalId('a', 'EURUSD', 'M1', 1.5)).toThrow(RangeError);
  });

  it('completes a draft with its source and id', () => {
    const draft: SignalDraft = {
      side: 'BUY', strength: 0.5, reason: 'test', barOpenTime: 1_641_319_200_000, price: 1.1, stopLoss: 1.09, takeProfit: null, atr: 0.005,
    };
    const signal = completeSignal(draft, { strategyId: 'x', strategyKind: 'ma-crossover', venue: 'v', symbol: 'EURUSD', timeframe: 'M1' });
    expect(signal).toEqual({ ...draft, strategyId: 'x', strategyKind: 'ma-crossover', venue: 'v', symbol: 'EURUSD', timeframe: 'M1', signalId: 'sig-x-EURUSD-M1-1641319200000' });
  });
});

describe('figures in reasons', () => {
  it('writes six significant digits without trailing zeros, as String(Number(x.toPrecision(6))) would', () => {
    const values = [1.08, 100, 0.0158594375, 35.714285, -0.005605982, 1.5e-7, 1e-7, -2.5e22, 0, 123456789, 1.13456789, 0.000001234567];
    for (const value of values) expect(figure(value)).toBe(String(Number(value.toPrecision(6))));
  });
});

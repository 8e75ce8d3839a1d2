// The pieces of the mt5-simulator fill model on their own: the quote path, the stop trigger,
// the stops check, the travelling prices and the cents. Expected values are worked by hand from
// the rules in simulator-fill-model.ts (which name the simulator code they mirror).
import { describe, expect, it } from '@jest/globals';
import {
  orderPrice,
  roundCents,
  simulatorPricePath,
  simulatorSpreadPoints,
  simulatorStopHit,
  simulatorStopsProblem,
  wirePrice,
} from './simulator-fill-model.js';

const T0 = Date.UTC(2021, 0, 26, 10, 0);

describe('mt5-simulator fill model', () => {
  it('walks an up bar open, low, high, close and a down bar open, high, low, close, at 0, 15, 30 and 59 s', () => {
    const up = simulatorPricePath({ openTime: T0, open: 1.36, high: 1.3605, low: 1.3598, close: 1.3603 }, 0.00012, 5);
    expect(up.map((q) => [q.bid, q.ask, q.time - T0, q.continuous])).toEqual([
      [1.36, 1.36012, 0, false], [1.3598, 1.35992, 15_000, true], [1.3605, 1.36062, 30_000, true], [1.3603, 1.36042, 59_000, true],
    ]);
    const down = simulatorPricePath({ openTime: T0, open: 1.36, high: 1.3605, low: 1.3598, close: 1.3599 }, 0.00012, 5);
    expect(down.map((q) => q.bid)).toEqual([1.36, 1.3605, 1.3598, 1.3599]);
  });

  it('rounds the ask to the digits (bid + spread carries float noise)', () => {
    // 1.1 + 0.00012 is 1.1001200000000001 in binary floating point.
    expect(simulatorPricePath({ openTime: T0, open: 1.1, high: 1.1, low: 1.1, close: 1.1 }, 0.00012, 5)[0]!.ask).toBe(1.10012);
  });

  it('triggers the stop before the target at the same quote, longs on the bid and shorts on the ask', () => {
    const quote = { bid: 1.36, ask: 1.36012, time: T0, continuous: true };
    expect(simulatorStopHit({ side: 'BUY', stopLoss: 1.36, takeProfit: 1.36 }, quote)).toEqual({ reason: 'SL', price: 1.36 });
    expect(simulatorStopHit({ side: 'SELL', stopLoss: 1.36012, takeProfit: null }, quote)).toEqual({ reason: 'SL', price: 1.36012 });
    expect(simulatorStopHit({ side: 'SELL', stopLoss: 1.37, takeProfit: 1.36011 }, quote)).toBeNull();
  });

  it('fills a level jumped over at the quote and a level reached inside the path at the level', () => {
    const jump = { bid: 1.35, ask: 1.35012, time: T0, continuous: false };
    expect(simulatorStopHit({ side: 'BUY', stopLoss: 1.355, takeProfit: null }, jump)).toEqual({ reason: 'SL', price: 1.35 });
    expect(simulatorStopHit({ side: 'SELL', stopLoss: 1.37, takeProfit: 1.355 }, jump)).toEqual({ reason: 'TP', price: 1.35012 });
    expect(simulatorStopHit({ side: 'SELL', stopLoss: 1.37, takeProfit: 1.355 }, { ...jump, continuous: true })).toEqual({ reason: 'TP', price: 1.355 });
  });

  it('refuses stops nearer than max(stops level, 1) whole points from the closing side of the quote', () => {
    const quote = { bid: 1.36, ask: 1.36012 };
    const level = { point: 0.00001, stopsLevel: 10 };
    expect(simulatorStopsProblem('BUY', quote, 1.3599, 1.3601, level)).toBeNull();
    expect(simulatorStopsProblem('BUY', quote, 1.35991, null, level)).toBe('10016 invalid stops: sl 1.35991 must be 10 points below 1.36');
    expect(simulatorStopsProblem('SELL', quote, 1.36021, null, level)).toBe('10016 invalid stops: sl 1.36021 must be 10 points above 1.36012');
    expect(simulatorStopsProblem('SELL', quote, 1.37, 1.36003, level)).toBe('10016 invalid stops: tp 1.36003 must be 10 points below 1.36012');
    expect(simulatorStopsProblem('BUY', quote, 1.35999, null, { point: 0.00001, stopsLevel: 0 })).toBeNull();
    expect(simulatorStopsProblem('BUY', quote, 1.36, null, { point: 0.00001, stopsLevel: 0 })).not.toBeNull();
  });

  it('writes a stop as it travels (10 decimals) and as the order carries it (the digits of that)', () => {
    expect(wirePrice(1.358004949999999)).toBe(1.3580049500);
    expect(orderPrice(1.3580044999, 5)).toBe(1.358);
    expect(orderPrice(1.3580051, 5)).toBe(1.35801);
  });

  it('quotes a zero spread as absent: the default applies', () => {
    expect([simulatorSpreadPoints({ spreadPoints: 20 }, 12), simulatorSpreadPoints({ spreadPoints: 0 }, 12), simulatorSpreadPoints({}, 12)]).toEqual([20, 12, 12]);
  });

  it('rounds money half away from zero to cents, absorbing float noise', () => {
    expect([roundCents(0.665), roundCents(-0.665), roundCents(1.005), roundCents(187.72000000000003)]).toEqual([0.67, -0.67, 1.01, 187.72]);
  });
});

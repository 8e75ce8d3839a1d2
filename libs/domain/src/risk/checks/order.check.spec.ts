import { describe, expect, it } from '@jest/globals';
import type { CheckResult } from '../check-result.js';
import { EURUSD_SPEC, USDJPY_SPEC } from '../test-support.fixture.js';
import { closeVolumeCheck, maxLotsCheck, stopLossRequiredCheck, stopsCheck, volumeCheck } from './order.check.js';

const message = (result: CheckResult) => (result.kind === 'deny' ? result.message : 'allow');

describe('maxLotsCheck', () => {
  it('denies 2.5 lots against a 2-lot limit with the exact operator string, and allows exactly 2', () => {
    expect(message(maxLotsCheck(2.5, 2))).toBe('RISK.MAX_LOTS_EXCEEDED: volume=2.5, max=2.0');
    expect(message(maxLotsCheck(2, 2))).toBe('allow');
  });
});

describe('volumeCheck', () => {
  it('denies below the minimum, above the maximum and off the step', () => {
    expect(message(volumeCheck(0.005, EURUSD_SPEC))).toBe('RISK.INVALID_VOLUME: volume=0.005, min=0.01');
    expect(message(volumeCheck(100.01, EURUSD_SPEC))).toBe('RISK.INVALID_VOLUME: volume=100.01, max=100.0');
    expect(message(volumeCheck(0.015, EURUSD_SPEC))).toBe('RISK.INVALID_VOLUME: volume=0.015, step=0.01');
  });

  it('accepts on-step volumes whatever the double noise (0.1 + 0.2)', () => {
    expect(message(volumeCheck(0.1 + 0.2, EURUSD_SPEC))).toBe('allow');
  });
});

describe('closeVolumeCheck', () => {
  it('denies closing more than the position holds, and lets the full remainder close below the minimum', () => {
    expect(message(closeVolumeCheck(1.5, 1, EURUSD_SPEC, 'P1'))).toBe('RISK.INVALID_VOLUME: positionId=P1, volume=1.5, open=1.0');
    expect(message(closeVolumeCheck(0.005, 0.005, EURUSD_SPEC, 'P1'))).toBe('allow');
    expect(message(closeVolumeCheck(0.004, 0.5, EURUSD_SPEC, 'P1'))).toBe('RISK.INVALID_VOLUME: volume=0.004, min=0.01');
  });
});

describe('stopLossRequiredCheck', () => {
  it('denies an order without a stop unless policy allows it, and then only with a volume to trade', () => {
    expect(message(stopLossRequiredCheck({ symbol: 'EURUSD', stopLoss: null, volume: 0.1 }, false))).toBe('RISK.NO_STOP_LOSS: symbol=EURUSD');
    expect(message(stopLossRequiredCheck({ symbol: 'EURUSD', stopLoss: null, volume: 0.1 }, true))).toBe('allow');
    expect(message(stopLossRequiredCheck({ symbol: 'EURUSD', stopLoss: null, volume: null }, true))).toBe('RISK.NO_STOP_LOSS: symbol=EURUSD, volume=none');
  });
});

describe('stopsCheck (stops level 10 points)', () => {
  it('measures a buy from the bid: a stop 10 points below passes, 9 points below is denied', () => {
    expect(message(stopsCheck({ side: 'BUY', stopLoss: 1.0999, takeProfit: null }, 1.1, EURUSD_SPEC))).toBe('allow');
    expect(message(stopsCheck({ side: 'BUY', stopLoss: 1.09991, takeProfit: null }, 1.1, EURUSD_SPEC))).toBe(
      'RISK.INVALID_STOPS: side=BUY, stopLoss=1.09991, price=1.10000, distancePoints=9, minPoints=10',
    );
  });

  it('denies a stop loss on the wrong side of the price', () => {
    expect(message(stopsCheck({ side: 'BUY', stopLoss: 1.1005, takeProfit: null }, 1.1, EURUSD_SPEC))).toBe(
      'RISK.INVALID_STOPS: side=BUY, stopLoss=1.10050, price=1.10000, distancePoints=-50, minPoints=10',
    );
  });

  it('measures a sell from the ask, stop above and take profit below', () => {
    expect(message(stopsCheck({ side: 'SELL', stopLoss: 150.5, takeProfit: 149.995 }, 150, USDJPY_SPEC))).toBe(
      'RISK.INVALID_STOPS: side=SELL, takeProfit=149.995, price=150.000, distancePoints=5, minPoints=10',
    );
    expect(message(stopsCheck({ side: 'SELL', stopLoss: 150.5, takeProfit: 149.5 }, 150, USDJPY_SPEC))).toBe('allow');
  });

  it('still wants one point of distance when the stops level is 0', () => {
    const noLevel = { ...EURUSD_SPEC, stopsLevel: 0 };
    expect(message(stopsCheck({ side: 'BUY', stopLoss: 1.1, takeProfit: null }, 1.1, noLevel))).toBe(
      'RISK.INVALID_STOPS: side=BUY, stopLoss=1.10000, price=1.10000, distancePoints=0, minPoints=1',
    );
  });
});

import { describe, expect, it } from '@jest/globals';
import type { CheckResult } from '../check-result.js';
import { EURUSD_SPEC, T0, signalIntent } from '../test-support.fixture.js';
import { duplicateCheck, instrumentCheck } from './instrument.check.js';

const message = (result: CheckResult) => (result.kind === 'deny' ? result.message : 'allow');

describe('duplicateCheck', () => {
  it('denies a signal that was already decided, naming both ids', () => {
    expect(message(duplicateCheck(signalIntent(), 'dec-7'))).toBe('RISK.DUPLICATE_SIGNAL: signalId=sig-1, decisionId=dec-7');
    expect(message(duplicateCheck(signalIntent({ source: 'MANUAL', intentId: 'int-3' }), 'dec-8'))).toBe(
      'RISK.DUPLICATE_SIGNAL: intentId=int-3, decisionId=dec-8',
    );
  });

  it('allows an intent never decided', () => {
    expect(message(duplicateCheck(signalIntent(), null))).toBe('allow');
  });
});

describe('instrumentCheck', () => {
  const intent = { symbol: 'EURUSD', side: 'BUY' as const };

  it('denies a symbol without a specification', () => {
    expect(message(instrumentCheck({ symbol: 'EURUSD.x', side: 'BUY' }, undefined, 'OPEN', true, T0))).toBe('RISK.UNKNOWN_INSTRUMENT: symbol=EURUSD.x');
  });

  it('denies everything, closes included, on a symbol the venue has disabled', () => {
    const disabled = { ...EURUSD_SPEC, tradeMode: 'DISABLED' as const };
    expect(message(instrumentCheck(intent, disabled, 'REDUCE', true, T0))).toBe('RISK.MARKET_CLOSED: symbol=EURUSD, tradeMode=DISABLED');
  });

  it('lets only reductions through a CLOSE_ONLY symbol', () => {
    const closeOnly = { ...EURUSD_SPEC, tradeMode: 'CLOSE_ONLY' as const };
    expect(message(instrumentCheck(intent, closeOnly, 'OPEN', true, T0))).toBe('RISK.MARKET_CLOSED: symbol=EURUSD, tradeMode=CLOSE_ONLY');
    expect(message(instrumentCheck(intent, closeOnly, 'REDUCE', true, T0))).toBe('allow');
  });

  it('denies opening against a LONG_ONLY or SHORT_ONLY trade mode', () => {
    expect(message(instrumentCheck({ symbol: 'EURUSD', side: 'SELL' }, { ...EURUSD_SPEC, tradeMode: 'LONG_ONLY' }, 'OPEN', true, T0))).toBe(
      'RISK.MARKET_CLOSED: symbol=EURUSD, tradeMode=LONG_ONLY, side=SELL',
    );
    expect(message(instrumentCheck(intent, { ...EURUSD_SPEC, tradeMode: 'LONG_ONLY' }, 'OPEN', true, T0))).toBe('allow');
    expect(message(instrumentCheck(intent, { ...EURUSD_SPEC, tradeMode: 'SHORT_ONLY' }, 'OPEN', true, T0))).toBe(
      'RISK.MARKET_CLOSED: symbol=EURUSD, tradeMode=SHORT_ONLY, side=BUY',
    );
  });

  it('denies opening outside the trade session but lets a close try', () => {
    expect(message(instrumentCheck(intent, EURUSD_SPEC, 'OPEN', false, T0))).toBe(
      'RISK.MARKET_CLOSED: symbol=EURUSD, session=closed, time=2024-03-04T09:00:00.000Z',
    );
    expect(message(instrumentCheck(intent, EURUSD_SPEC, 'REDUCE', false, T0))).toBe('allow');
  });
});

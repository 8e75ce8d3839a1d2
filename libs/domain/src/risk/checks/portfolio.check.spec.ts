import { describe, expect, it } from '@jest/globals';
import type { Position } from '../../positions/position.types.js';
import type { CheckResult } from '../check-result.js';
import { EURUSD_SPEC, USDJPY_SPEC, accountFacts, riskContext, testConfig } from '../test-support.fixture.js';
import { exposureCheck, marginCheck, positionCountCheck } from './portfolio.check.js';

const message = (result: CheckResult) => (result.kind === 'deny' ? result.message : 'allow');

function position(positionId: string, symbol: string, side: Position['side'], volume: number, openPrice: number): Position {
  return { positionId, symbol, side, volume, openPrice, openTime: 0, realizedProfit: 0 };
}

describe('positionCountCheck', () => {
  const config = { maxOpenPositions: 3, maxOpenPositionsPerSymbol: 2 };

  it('denies the position that would exceed the account limit', () => {
    const open = [position('A', 'EURUSD', 'BUY', 1, 1.1), position('B', 'USDJPY', 'BUY', 1, 150), position('C', 'XAUUSD', 'BUY', 1, 2000)];
    expect(message(positionCountCheck(open, { symbol: 'GBPUSD' }, 'HEDGING', config))).toBe('RISK.MAX_POSITIONS: open=3, max=3');
  });

  it('denies the position that would exceed the per-symbol limit', () => {
    const open = [position('A', 'EURUSD', 'BUY', 1, 1.1), position('B', 'EURUSD', 'SELL', 1, 1.1)];
    expect(message(positionCountCheck(open, { symbol: 'EURUSD' }, 'HEDGING', config))).toBe('RISK.MAX_POSITIONS: symbol=EURUSD, open=2, max=2');
  });

  it('allows adding to a netting position: it stays one position', () => {
    const open = [position('A', 'EURUSD', 'BUY', 1, 1.1), position('B', 'USDJPY', 'BUY', 1, 150), position('C', 'XAUUSD', 'BUY', 1, 2000)];
    expect(message(positionCountCheck(open, { symbol: 'EURUSD' }, 'NETTING', config))).toBe('allow');
  });
});

describe('exposureCheck', () => {
  const { instruments, quotes } = riskContext();
  const config = { ...testConfig, maxCurrencyExposure: 150_000 };

  it('denies an order that takes a currency past its limit (1.5 lots EUR long at the 1.10005 mid)', () => {
    const open = [position('A', 'EURUSD', 'BUY', 1, 1.1)];
    const order = { symbol: 'EURUSD', side: 'BUY' as const, volume: 0.5, price: 1.1001 };
    expect(message(exposureCheck(open, order, instruments, quotes, 'USD', config))).toBe('RISK.MAX_EXPOSURE: currency=EUR, exposure=165007.50, max=150000.00');
  });

  it('allows an order that brings an over-limit currency back towards zero', () => {
    const open = [position('A', 'EURUSD', 'BUY', 2, 1.1)];
    const order = { symbol: 'EURUSD', side: 'SELL' as const, volume: 0.5, price: 1.1 };
    expect(message(exposureCheck(open, order, instruments, quotes, 'USD', config))).toBe('allow');
  });

  it('leaves the account currency out unless configured, and applies per-currency overrides', () => {
    const order = { symbol: 'USDJPY', side: 'SELL' as const, volume: 2, price: 150 };
    expect(message(exposureCheck([], order, instruments, quotes, 'USD', config))).toBe('RISK.MAX_EXPOSURE: currency=JPY, exposure=200000.00, max=150000.00');
    const jpyOverride = { ...config, currencyExposureLimits: { JPY: 250_000 } };
    expect(message(exposureCheck([], order, instruments, quotes, 'USD', jpyOverride))).toBe('allow');
    expect(message(exposureCheck([], order, instruments, quotes, 'USD', { ...jpyOverride, limitAccountCurrencyExposure: true }))).toBe(
      'RISK.MAX_EXPOSURE: currency=USD, exposure=-200000.00, max=150000.00',
    );
  });
});

describe('marginCheck', () => {
  it('denies when the order needs more than the free margin (1 lot EURUSD at 1.1 with 1:100 is 1100 USD)', () => {
    const account = accountFacts({ freeMargin: 1000 });
    expect(message(marginCheck(account, EURUSD_SPEC, 1, 1.1, testConfig))).toBe('RISK.INSUFFICIENT_MARGIN: required=1100.00, freeMargin=1000.00');
    expect(message(marginCheck(accountFacts({ freeMargin: 1100 }), EURUSD_SPEC, 1, 1.1, testConfig))).toBe('allow');
  });

  it("applies the symbol's margin rate once (a rate of 2 doubles the 1100 USD)", () => {
    expect(message(marginCheck(accountFacts({ freeMargin: 2000 }), { ...EURUSD_SPEC, marginRate: 2 }, 1, 1.1, testConfig))).toBe(
      'RISK.INSUFFICIENT_MARGIN: required=2200.00, freeMargin=2000.00',
    );
  });

  it('keeps a configured free-margin floor (1 lot USDJPY needs 1000 USD; 500 must remain)', () => {
    const config = { ...testConfig, minFreeMarginAfterOrder: 500 };
    expect(message(marginCheck(accountFacts({ freeMargin: 1499.99 }), USDJPY_SPEC, 1, 150, config))).toBe(
      'RISK.INSUFFICIENT_MARGIN: required=1000.00, freeMargin=1499.99, floor=500.00',
    );
    expect(message(marginCheck(accountFacts({ freeMargin: 1500 }), USDJPY_SPEC, 1, 150, config))).toBe('allow');
  });

  it('keeps a configured margin-level floor (equity 10 000 over 4000 + 1000 used is 200%, over 4000 + 1010 is 199.60%)', () => {
    const account = accountFacts({ margin: 4000, freeMargin: 6000 });
    expect(message(marginCheck(account, USDJPY_SPEC, 1, 150, { ...testConfig, minMarginLevelPercent: 200 }))).toBe('allow');
    expect(message(marginCheck(account, USDJPY_SPEC, 1.01, 150, { ...testConfig, minMarginLevelPercent: 200 }))).toBe(
      'RISK.INSUFFICIENT_MARGIN: marginLevel=199.60, min=200.00',
    );
  });
});

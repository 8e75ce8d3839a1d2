import { describe, expect, it } from '@jest/globals';
import type { Position } from '../positions/position.types.js';
import { evaluateOrder, RiskCheckNames } from './evaluate-order.js';
import type { AccountRiskState } from './risk-state.types.js';
import { MINUTE, T0, accountFacts, riskContext, signalIntent, testConfig } from './test-support.fixture.js';

const openLong: Position = { positionId: 'P1', symbol: 'EURUSD', side: 'BUY', volume: 1, openPrice: 1.099, openTime: T0 - 60 * MINUTE, realizedProfit: 0 };

function withTrading(state: AccountRiskState['trading']['state']): AccountRiskState {
  const base = riskContext().riskState;
  return { ...base, trading: { state, since: T0 - 5 * MINUTE, by: 'breaker:DAILY_LOSS', reason: 'daily loss' } };
}

describe('evaluateOrder', () => {
  it('sizes a clean signal to 0.5 lot (1% of 10 000 over a 200-point stop) after running every opening check in order', () => {
    const decision = evaluateOrder(signalIntent(), riskContext(), testConfig);
    expect(decision).toMatchObject({ kind: 'allow', effect: 'OPEN', volume: 0.5, price: 1.1001 });
    expect(decision.checks).toEqual(RiskCheckNames.filter((name) => name !== 'closeVolume'));
  });

  it('reports the first failing check only, and lists the checks up to it', () => {
    const context = riskContext({ quotes: { EURUSD: { bid: 1.1, ask: 1.1009, time: T0 - 60_000 } } });
    const decision = evaluateOrder(signalIntent(), context, testConfig);
    expect(decision.kind === 'deny' && decision.message).toBe('RISK.STALE_MARKET_DATA: symbol=EURUSD, ageMs=60000, maxAgeMs=10000');
    expect(decision.checks).toEqual(['duplicate', 'tradingState', 'strategyCooldown', 'executionBreaker', 'instrument', 'accountSnapshot', 'marketData']);
  });

  it('reports a duplicate before anything else, even on a halted account', () => {
    const decision = evaluateOrder(signalIntent(), riskContext({ previousDecisionId: 'dec-1', riskState: withTrading('HALTED') }), testConfig);
    expect(decision.kind === 'deny' && decision.message).toBe('RISK.DUPLICATE_SIGNAL: signalId=sig-1, decisionId=dec-1');
  });

  it('denies a manual 2.5 lots against the 2-lot limit', () => {
    const decision = evaluateOrder(signalIntent({ source: 'MANUAL', strategyId: null, volume: 2.5 }), riskContext(), testConfig);
    expect(decision.kind === 'deny' && decision.message).toBe('RISK.MAX_LOTS_EXCEEDED: volume=2.5, max=2.0');
  });

  it('denies an order without a stop loss when the policy requires one', () => {
    const decision = evaluateOrder(signalIntent({ stopLoss: null, volume: 0.1 }), riskContext(), testConfig);
    expect(decision.kind === 'deny' && decision.message).toBe('RISK.NO_STOP_LOSS: symbol=EURUSD');
  });

  it('checks the rate limit last, so a limited order is one that would otherwise have gone out', () => {
    const decision = evaluateOrder(signalIntent(), riskContext({ rateLimit: { allowed: false, retryAfterMs: 1200 } }), testConfig);
    expect(decision.kind === 'deny' && decision.message).toBe('RISK.RATE_LIMITED: retryAfterMs=1200');
    expect(decision.checks.at(-1)).toBe('rateLimit');
  });

  it('denies opening on a HALTED account but lets a close of an open position through without market checks', () => {
    const context = riskContext({ riskState: withTrading('HALTED'), positions: [openLong], quotes: {}, account: null });
    const open = evaluateOrder(signalIntent(), context, testConfig);
    expect(open.kind === 'deny' && open.message).toBe('RISK.TRADING_HALTED: by=breaker:DAILY_LOSS, since=2024-03-04T08:55:00.000Z');
    const close = evaluateOrder(signalIntent({ side: 'SELL', closesPositionId: 'P1', stopLoss: null }), context, testConfig);
    expect(close).toEqual({ kind: 'allow', effect: 'REDUCE', volume: 1, price: null, sizing: null, checks: ['duplicate', 'tradingState', 'instrument', 'closeVolume'] });
  });

  it('denies closing a position that is not open', () => {
    const close = evaluateOrder(signalIntent({ side: 'SELL', closesPositionId: 'P9', volume: 0.5 }), riskContext(), testConfig);
    expect(close.kind === 'deny' && close.message).toBe('RISK.INVALID_VOLUME: positionId=P9, volume=0.5, open=0.0');
  });

  it('on a REDUCING netting account admits an explicit opposite volume up to the position, not more, and no sized signal', () => {
    const context = riskContext({ riskState: withTrading('REDUCING'), positions: [openLong], account: accountFacts({ marginMode: 'NETTING' }) });
    const reduce = evaluateOrder(signalIntent({ source: 'MANUAL', side: 'SELL', volume: 0.4, stopLoss: null }), context, testConfig);
    expect(reduce).toMatchObject({ kind: 'allow', effect: 'REDUCE', volume: 0.4 });
    const reverse = evaluateOrder(signalIntent({ source: 'MANUAL', side: 'SELL', volume: 1.5, stopLoss: null }), context, testConfig);
    expect(reverse.kind === 'deny' && reverse.message).toBe('RISK.REDUCE_ONLY: by=breaker:DAILY_LOSS, since=2024-03-04T08:55:00.000Z');
    const signal = evaluateOrder(signalIntent({ side: 'SELL', stopLoss: 1.102 }), context, testConfig);
    expect(signal.kind === 'deny' && signal.code).toBe('RISK.REDUCE_ONLY');
  });

  it('charges margin only for what a netting reversal adds beyond the position it closes', () => {
    const context = riskContext({ positions: [openLong], account: accountFacts({ marginMode: 'NETTING', freeMargin: 600, margin: 1100 }) });
    // Selling 1.5 lots against 1 lot long adds 0.5 lot short: 550 USD of margin at 1.1.
    const reversal = evaluateOrder(signalIntent({ source: 'MANUAL', side: 'SELL', volume: 1.5, stopLoss: 1.102 }), context, testConfig);
    expect(reversal).toMatchObject({ kind: 'allow', effect: 'OPEN', volume: 1.5 });
    const hedging = evaluateOrder(
      signalIntent({ source: 'MANUAL', side: 'SELL', volume: 1.5, stopLoss: 1.102 }),
      { ...context, account: accountFacts({ marginMode: 'HEDGING', freeMargin: 600, margin: 1100 }) },
      testConfig,
    );
    expect(hedging.kind === 'deny' && hedging.message).toBe('RISK.INSUFFICIENT_MARGIN: required=1650.00, freeMargin=600.00');
  });

  it('prices a pending order at its own price and measures its stops from it', () => {
    // 5 points below the limit price is inside the 10-point stops level (the bid, 1.10000, is 505 points away).
    const limit = signalIntent({ orderType: 'LIMIT', price: 1.095, stopLoss: 1.09495 });
    const decision = evaluateOrder(limit, riskContext(), testConfig);
    expect(decision.kind === 'deny' && decision.message).toBe('RISK.INVALID_STOPS: side=BUY, stopLoss=1.09495, price=1.09500, distancePoints=5, minPoints=10');
    expect(evaluateOrder({ ...limit, stopLoss: 1.093 }, riskContext(), testConfig)).toMatchObject({ kind: 'allow', volume: 0.5, price: 1.095 });
  });
});

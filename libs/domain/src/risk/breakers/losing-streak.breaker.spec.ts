import { describe, expect, it } from '@jest/globals';
import { evaluateOrder } from '../evaluate-order.js';
import { initialRiskState, reduceRiskState } from '../risk-state.js';
import type { RiskInput } from '../risk-state.types.js';
import { ACCOUNT, accountFacts, admin, eventSummary, feed, MINUTE, operator, riskContext, signalIntent, T0, testBreakers, testConfig } from '../test-support.fixture.js';

// Four losses in a row block a strategy for six hours.
const config = testBreakers;
const STRATEGY = 'sma-cross-eurusd';
const HOURS_6 = 6 * 60 * MINUTE;
const closed = (minutes: number, profit: number, strategyId: string | null = STRATEGY): RiskInput => ({ type: 'TRADE_CLOSED', time: T0 + minutes * MINUTE, strategyId, profit });
const fourLosses = [closed(1, -10), closed(2, -20), closed(3, -5), closed(4, -30)];

describe('the losing streak breaker', () => {
  it('does not block after three losses, and a win starts the count again', () => {
    const { state, events } = feed(initialRiskState(ACCOUNT, T0), [closed(1, -10), closed(2, -20), closed(3, -5), closed(4, 15), closed(5, -1), closed(6, -1), closed(7, -1)], config);
    expect(events).toEqual([]);
    expect(state.losingStreaks[STRATEGY]).toEqual({ consecutiveLosses: 3, blockedUntil: null });
  });

  it('blocks the strategy at the fourth loss in a row, until the cool-down ends', () => {
    const { state, events } = feed(initialRiskState(ACCOUNT, T0), fourLosses, config);
    expect(eventSummary(events)).toEqual([`LOSING_STREAK(${STRATEGY}) CLOSED->OPEN`]);
    expect(events[0]).toMatchObject({ figures: { consecutiveLosses: 4, blockedUntil: T0 + 4 * MINUTE + HOURS_6 } });
    expect(state.trading.state).toBe('ACTIVE');
  });

  it("blocks that strategy's new positions, not other strategies, manual orders or closes", () => {
    const { state } = feed(initialRiskState(ACCOUNT, T0), fourLosses, config);
    const context = riskContext({
      riskState: state,
      now: T0 + 5 * MINUTE,
      quotes: { EURUSD: { bid: 1.1, ask: 1.1001, time: T0 + 5 * MINUTE } },
      account: accountFacts({ time: T0 + 5 * MINUTE }),
      positions: [{ positionId: 'P1', symbol: 'EURUSD', side: 'BUY', volume: 0.3, openPrice: 1.1, openTime: T0, realizedProfit: 0 }],
    });
    const denied = evaluateOrder(signalIntent(), context, testConfig);
    expect(denied.kind === 'deny' && denied.message).toBe('RISK.BREAKER_OPEN: breaker=LOSING_STREAK, strategy=sma-cross-eurusd, until=2024-03-04T15:04:00.000Z');
    expect(evaluateOrder(signalIntent({ strategyId: 'donchian-eurusd' }), context, testConfig)).toMatchObject({ kind: 'allow' });
    expect(evaluateOrder(signalIntent({ source: 'MANUAL', strategyId: null }), context, testConfig)).toMatchObject({ kind: 'allow' });
    expect(evaluateOrder(signalIntent({ side: 'SELL', closesPositionId: 'P1' }), context, testConfig)).toMatchObject({ kind: 'allow', effect: 'REDUCE' });
  });

  it('is not lifted by a win during the cool-down, but by its end (not a millisecond before)', () => {
    const blockedUntil = T0 + 4 * MINUTE + HOURS_6;
    const during = feed(initialRiskState(ACCOUNT, T0), [...fourLosses, closed(10, 500), { type: 'CLOCK', time: blockedUntil - 1 }], config);
    expect(during.state.losingStreaks[STRATEGY]?.blockedUntil).toBe(blockedUntil);
    const after = feed(during.state, [{ type: 'CLOCK', time: blockedUntil }], config);
    expect(eventSummary(after.events)).toEqual([`LOSING_STREAK(${STRATEGY}) OPEN->CLOSED`]);
    expect(after.events[0]).toMatchObject({ reason: 'cool-down ended' });
    expect(after.state.losingStreaks[STRATEGY]).toEqual({ consecutiveLosses: 0, blockedUntil: null });
  });

  it('is lifted early only by an admin, for one strategy', () => {
    const { state } = feed(initialRiskState(ACCOUNT, T0), fourLosses, config);
    const reset: RiskInput = { type: 'RESET_BREAKER', time: T0 + 5 * MINUTE, breaker: 'LOSING_STREAK', actor: operator, reason: 'x', strategyId: STRATEGY };
    expect(reduceRiskState(state, reset, config)).toMatchObject({ kind: 'refused', code: 'OPS.FORBIDDEN' });
    const released = feed(state, [{ ...reset, actor: admin, reason: 'spread spike, not the strategy' }], config);
    expect(eventSummary(released.events)).toEqual([`LOSING_STREAK(${STRATEGY}) OPEN->CLOSED`]);
    expect(released.state.losingStreaks[STRATEGY]?.blockedUntil).toBeNull();
  });

  it('ignores trades without a strategy', () => {
    const { state } = feed(initialRiskState(ACCOUNT, T0), [1, 2, 3, 4, 5].map((minute) => closed(minute, -10, null)), config);
    expect(state.losingStreaks).toEqual({});
  });
});

import { describe, expect, it } from '@jest/globals';
import { evaluateOrder } from '../evaluate-order.js';
import { initialRiskState, reduceRiskState } from '../risk-state.js';
import type { AccountRiskState, RiskInput } from '../risk-state.types.js';
import { ACCOUNT, admin, eventSummary, feed, operator, riskContext, signalIntent, T0, testBreakers, testConfig } from '../test-support.fixture.js';
import type { BreakerConfig } from './breaker-config.js';
import { executionBackoffMs, executionHealthScore } from './execution.breaker.js';

// Three consecutive failures open it for 30 s, doubling per consecutive open up to 15 min.
const config: BreakerConfig = testBreakers;
const result = (ms: number, ok: boolean): RiskInput => ({ type: 'EXECUTION_RESULT', time: T0 + ms, ok });
const clock = (ms: number): RiskInput => ({ type: 'CLOCK', time: T0 + ms });

function opened(): AccountRiskState {
  return feed(initialRiskState(ACCOUNT, T0), [result(0, false), result(1, false), result(2, false)], config).state;
}

describe('the execution failures breaker', () => {
  it('stays CLOSED after two consecutive failures and after a success resets the count', () => {
    const { state, events } = feed(initialRiskState(ACCOUNT, T0), [result(0, false), result(1, false), result(2, true), result(3, false), result(4, false)], config);
    expect(events).toEqual([]);
    expect(state.execution).toMatchObject({ status: 'CLOSED', consecutiveFailures: 2 });
  });

  it('opens at the third consecutive failure with a 30 s backoff', () => {
    const { events } = feed(initialRiskState(ACCOUNT, T0), [result(0, false), result(1, false), result(2, false)], config);
    expect(eventSummary(events)).toEqual(['EXECUTION_FAILURES CLOSED->OPEN']);
    expect(events[0]).toMatchObject({ figures: { consecutiveFailures: 3, consecutiveOpens: 1, healthScore: 0, backoffMs: 30_000 } });
    expect(opened().execution.retryAt).toBe(T0 + 2 + 30_000);
  });

  it('blocks opening orders while OPEN, lets closes through, and lets a probe through once the backoff is over', () => {
    const state = opened();
    const position = { positionId: 'P1', symbol: 'EURUSD', side: 'BUY' as const, volume: 1, openPrice: 1.1, openTime: T0, realizedProfit: 0 };
    const context = riskContext({ riskState: state, now: T0 + 10, positions: [position] });
    const denied = evaluateOrder(signalIntent(), context, testConfig);
    expect(denied.kind === 'deny' && denied.message).toBe('RISK.BREAKER_OPEN: breaker=EXECUTION_FAILURES, retryAt=2024-03-04T09:00:30.002Z');
    expect(evaluateOrder(signalIntent({ side: 'SELL', closesPositionId: 'P1' }), context, testConfig)).toMatchObject({ kind: 'allow' });
    const probeTime = T0 + 2 + 30_000;
    const probe = { ...context, now: probeTime, quotes: { EURUSD: { bid: 1.1, ask: 1.1001, time: probeTime } } };
    expect(evaluateOrder(signalIntent(), { ...probe, now: probeTime - 1 }, testConfig)).toMatchObject({ code: 'RISK.BREAKER_OPEN' });
    expect(evaluateOrder(signalIntent(), probe, testConfig)).toMatchObject({ kind: 'allow' });
  });

  it('goes HALF_OPEN when the backoff ends (not a millisecond before); a failed probe reopens it for twice as long', () => {
    const waiting = feed(opened(), [clock(30_001)], config);
    expect(waiting.state.execution.status).toBe('OPEN');
    const half = feed(waiting.state, [clock(30_002)], config);
    expect(eventSummary(half.events)).toEqual(['EXECUTION_FAILURES OPEN->HALF_OPEN']);
    const reopened = feed(half.state, [result(31_000, false)], config);
    expect(eventSummary(reopened.events)).toEqual(['EXECUTION_FAILURES HALF_OPEN->OPEN']);
    expect(reopened.state.execution).toMatchObject({ consecutiveOpens: 2, retryAt: T0 + 31_000 + 60_000 });
  });

  it('closes on a successful probe and forgets the backoff', () => {
    const { state, events } = feed(opened(), [clock(30_002), result(30_500, true)], config);
    expect(eventSummary(events)).toEqual(['EXECUTION_FAILURES OPEN->HALF_OPEN', 'EXECUTION_FAILURES HALF_OPEN->CLOSED']);
    expect(state.execution).toMatchObject({ status: 'CLOSED', consecutiveOpens: 0, consecutiveFailures: 0, retryAt: null });
  });

  it('is reset early only by an admin', () => {
    const reset: RiskInput = { type: 'RESET_BREAKER', time: T0 + 100, breaker: 'EXECUTION_FAILURES', actor: operator, reason: 'bridge restarted' };
    expect(reduceRiskState(opened(), reset, config)).toMatchObject({ kind: 'refused', code: 'OPS.FORBIDDEN' });
    const { state, events } = feed(opened(), [{ ...reset, actor: admin }], config);
    expect(eventSummary(events)).toEqual(['EXECUTION_FAILURES OPEN->CLOSED']);
    expect(state.execution.status).toBe('CLOSED');
  });

  it('doubles the backoff per consecutive open up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 10].map((opens) => executionBackoffMs(opens, config.execution))).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, 900_000, 900_000]);
  });

  it('scores health 0..100 as the success rate over a sliding window of results', () => {
    const small: BreakerConfig = { ...config, execution: { ...config.execution, windowSize: 4, failureThreshold: 10 } };
    expect(executionHealthScore(initialRiskState(ACCOUNT, T0).execution)).toBe(100);
    const { state } = feed(initialRiskState(ACCOUNT, T0), [result(0, false), result(1, false), result(2, true), result(3, false), result(4, true)], small);
    // The first failure has slid out: [false, true, false, true].
    expect(state.execution.recentResults).toEqual([false, true, false, true]);
    expect(executionHealthScore(state.execution)).toBe(50);
  });
});

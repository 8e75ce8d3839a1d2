import { describe, expect, it } from '@jest/globals';
import { evaluateOrder } from '../evaluate-order.js';
import { initialRiskState, reduceRiskState } from '../risk-state.js';
import type { RiskInput } from '../risk-state.types.js';
import { ACCOUNT, admin, eventSummary, feed, operator, riskContext, signalIntent, T0, testBreakers, testConfig } from '../test-support.fixture.js';

const config = testBreakers;
const kill: RiskInput = { type: 'KILL_SWITCH', time: T0 + 1, actor: operator, reason: 'runaway strategy' };

describe('the kill switch', () => {
  it('halts the account and asks execution to flatten every position', () => {
    const { state, events } = feed(initialRiskState(ACCOUNT, T0), [kill], config);
    expect(eventSummary(events)).toEqual(['KILL_SWITCH CLOSED->OPEN', 'flatten all by bob', 'state ACTIVE->HALTED by bob']);
    expect(events[1]).toEqual({ type: 'FLATTEN_ALL_REQUESTED', account: ACCOUNT, by: 'bob', reason: 'runaway strategy', time: T0 + 1 });
    expect(state.killSwitch).toEqual({ engaged: true, at: T0 + 1, by: 'bob', reason: 'runaway strategy' });
  });

  it('asks to flatten again when pressed again, without a second trip', () => {
    const { events } = feed(initialRiskState(ACCOUNT, T0), [kill, { ...kill, time: T0 + 2 }], config);
    expect(eventSummary(events)).toEqual(['KILL_SWITCH CLOSED->OPEN', 'flatten all by bob', 'state ACTIVE->HALTED by bob', 'flatten all by bob']);
  });

  it('blocks opening orders and lets closes through', () => {
    const { state } = feed(initialRiskState(ACCOUNT, T0), [kill], config);
    const position = { positionId: 'P1', symbol: 'EURUSD', side: 'BUY' as const, volume: 1, openPrice: 1.1, openTime: T0, realizedProfit: 0 };
    const context = riskContext({ riskState: state, positions: [position] });
    expect(evaluateOrder(signalIntent(), context, testConfig)).toMatchObject({ message: 'RISK.TRADING_HALTED: by=bob, since=2024-03-04T09:00:00.001Z' });
    expect(evaluateOrder(signalIntent({ side: 'SELL', closesPositionId: 'P1' }), context, testConfig)).toMatchObject({ kind: 'allow' });
  });

  it('holds the account HALTED until an admin releases it and then resumes trading, each with a reason', () => {
    const { state } = feed(initialRiskState(ACCOUNT, T0), [kill], config);
    const resume: RiskInput = { type: 'SET_TRADING_STATE', time: T0 + 5, to: 'ACTIVE', actor: admin, reason: 'fixed' };
    expect(reduceRiskState(state, resume, config)).toMatchObject({ kind: 'refused', code: 'OPS.CONFLICT' });
    const release: RiskInput = { type: 'RESET_BREAKER', time: T0 + 3, breaker: 'KILL_SWITCH', actor: operator, reason: 'fixed' };
    expect(reduceRiskState(state, release, config)).toMatchObject({ kind: 'refused', code: 'OPS.FORBIDDEN' });
    expect(reduceRiskState(state, { ...release, actor: admin, reason: '' }, config)).toMatchObject({ kind: 'refused', code: 'OPS.INVALID_REQUEST' });
    const released = feed(state, [{ ...release, actor: admin }], config);
    expect(eventSummary(released.events)).toEqual(['KILL_SWITCH OPEN->CLOSED']);
    expect(released.state.trading.state).toBe('HALTED');
    expect(eventSummary(feed(released.state, [resume], config).events)).toEqual(['state HALTED->ACTIVE by alice']);
  });
});

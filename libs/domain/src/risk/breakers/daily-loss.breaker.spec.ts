import { describe, expect, it } from '@jest/globals';
import type { Position } from '../../positions/position.types.js';
import { evaluateOrder } from '../evaluate-order.js';
import { initialRiskState, reduceRiskState } from '../risk-state.js';
import type { AccountRiskState } from '../risk-state.types.js';
import { ACCOUNT, admin, eventSummary, feed, MINUTE, operator, riskContext, signalIntent, T0, testBreakers, testConfig } from '../test-support.fixture.js';
import type { BreakerConfig } from './breaker-config.js';
import { brokerDayStart } from './daily-loss.breaker.js';

// Broker day from 22:00 UTC; 5% of the day's starting balance (10 000) is a 500 USD limit.
const config: BreakerConfig = { ...testBreakers, drawdown: { maxPercent: null } };
const snapshot = (time: number, balance: number, equity: number) => ({ type: 'ACCOUNT_SNAPSHOT' as const, time, balance, equity });
const NEXT_DAY = Date.UTC(2024, 2, 4, 22, 0, 0);

function tripped(): AccountRiskState {
  return feed(initialRiskState(ACCOUNT, T0), [snapshot(T0, 10_000, 10_000), snapshot(T0 + MINUTE, 9_800, 9_500)], config).state;
}

describe('the daily loss breaker', () => {
  it('places the broker day boundary at the configured minute of the UTC day', () => {
    expect(new Date(brokerDayStart(T0, 22 * 60)).toISOString()).toBe('2024-03-03T22:00:00.000Z');
    expect(new Date(brokerDayStart(NEXT_DAY - 1, 22 * 60)).toISOString()).toBe('2024-03-03T22:00:00.000Z');
    expect(new Date(brokerDayStart(NEXT_DAY, 22 * 60)).toISOString()).toBe('2024-03-04T22:00:00.000Z');
  });

  it('does not trip one cent before the limit, counting realized and unrealized together', () => {
    const { state, events } = feed(initialRiskState(ACCOUNT, T0), [snapshot(T0, 10_000, 10_000), snapshot(T0 + MINUTE, 9_800, 9_500.01)], config);
    expect(events).toEqual([]);
    expect(state.dailyLoss.status).toBe('CLOSED');
  });

  it('trips at the limit (realized -200 plus unrealized -300) and halts the account', () => {
    const { state, events } = feed(initialRiskState(ACCOUNT, T0), [snapshot(T0, 10_000, 10_000), snapshot(T0 + MINUTE, 9_800, 9_500)], config);
    expect(eventSummary(events)).toEqual(['DAILY_LOSS CLOSED->OPEN', 'state ACTIVE->HALTED by breaker:DAILY_LOSS']);
    expect(events[0]).toMatchObject({
      figures: { dailyPnl: -500, realized: -200, unrealized: -300, limit: 500, dayStartBalance: 10_000 },
      reason: 'daily P&L -500.00 reached the loss limit 500.00 (realized -200.00, unrealized -300.00)',
    });
    expect(state.trading).toMatchObject({ state: 'HALTED', by: 'breaker:DAILY_LOSS' });
  });

  it('moves the account to REDUCING instead when so configured, and the smaller of amount and percent applies', () => {
    const reducing: BreakerConfig = { ...config, dailyLoss: { ...config.dailyLoss, action: 'REDUCING', limitAmount: 300 } };
    const { state } = feed(initialRiskState(ACCOUNT, T0), [snapshot(T0, 10_000, 10_000), snapshot(T0 + MINUTE, 10_000, 9_700)], reducing);
    expect(state.trading.state).toBe('REDUCING');
  });

  it('blocks new positions while letting closes through', () => {
    const position: Position = { positionId: 'P1', symbol: 'EURUSD', side: 'BUY', volume: 0.5, openPrice: 1.1, openTime: T0, realizedProfit: 0 };
    const context = riskContext({ riskState: tripped(), positions: [position], now: T0 + 2 * MINUTE });
    const open = evaluateOrder(signalIntent(), context, testConfig);
    expect(open.kind === 'deny' && open.message).toBe('RISK.TRADING_HALTED: by=breaker:DAILY_LOSS, since=2024-03-04T09:01:00.000Z');
    expect(evaluateOrder(signalIntent({ side: 'SELL', closesPositionId: 'P1' }), context, testConfig)).toMatchObject({ kind: 'allow', volume: 0.5 });
  });

  it('closes at the next broker day (not a millisecond before), leaving the account HALTED for an admin to resume', () => {
    const before = feed(tripped(), [{ type: 'CLOCK', time: NEXT_DAY - 1 }], config);
    expect(before.events).toEqual([]);
    const { state, events } = feed(before.state, [{ type: 'CLOCK', time: NEXT_DAY }], config);
    expect(eventSummary(events)).toEqual(['DAILY_LOSS OPEN->CLOSED']);
    expect(state.dailyLoss).toMatchObject({ status: 'CLOSED', dayStartBalance: 9_800 });
    expect(state.trading.state).toBe('HALTED');
    const resumed = feed(state, [{ type: 'SET_TRADING_STATE', time: NEXT_DAY + 1, to: 'ACTIVE', actor: admin, reason: 'new day' }], config);
    expect(eventSummary(resumed.events)).toEqual(['state HALTED->ACTIVE by alice']);
  });

  it('refuses an admin resume while it is open, and an operator reset at any time', () => {
    const state = tripped();
    expect(reduceRiskState(state, { type: 'SET_TRADING_STATE', time: T0 + 2 * MINUTE, to: 'ACTIVE', actor: admin, reason: 'resume' }, config)).toEqual({
      kind: 'refused', code: 'OPS.CONFLICT', message: 'cannot move to ACTIVE: DAILY_LOSS holds it at HALTED; reset first',
    });
    expect(reduceRiskState(state, { type: 'RESET_BREAKER', time: T0, breaker: 'DAILY_LOSS', actor: operator, reason: 'x' }, config)).toMatchObject({
      kind: 'refused', code: 'OPS.FORBIDDEN',
    });
  });

  it('resets by an admin with a fresh allowance from current equity, so the next snapshot does not trip it again', () => {
    const reset = feed(tripped(), [{ type: 'RESET_BREAKER', time: T0 + 2 * MINUTE, breaker: 'DAILY_LOSS', actor: admin, reason: 'hedge closed' }], config);
    expect(eventSummary(reset.events)).toEqual(['DAILY_LOSS OPEN->CLOSED']);
    expect(reset.events[0]).toMatchObject({ reason: 'hedge closed (by alice)' });
    const after = feed(reset.state, [snapshot(T0 + 3 * MINUTE, 9_800, 9_500), { type: 'SET_TRADING_STATE', time: T0 + 4 * MINUTE, to: 'ACTIVE', actor: admin, reason: 'resume' }], config);
    expect(eventSummary(after.events)).toEqual(['state HALTED->ACTIVE by alice']);
  });
});

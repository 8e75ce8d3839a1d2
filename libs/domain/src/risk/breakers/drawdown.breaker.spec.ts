import { describe, expect, it } from '@jest/globals';
import { evaluateOrder } from '../evaluate-order.js';
import { initialRiskState, reduceRiskState } from '../risk-state.js';
import { ACCOUNT, admin, eventSummary, feed, MINUTE, riskContext, signalIntent, T0, testBreakers, testConfig } from '../test-support.fixture.js';
import type { BreakerConfig } from './breaker-config.js';

// 20% from the peak; the daily loss breaker is off so only drawdown acts.
const config: BreakerConfig = { ...testBreakers, drawdown: { maxPercent: 20 }, dailyLoss: { ...testBreakers.dailyLoss, limitPercent: null } };
const snapshot = (minutes: number, equity: number) => ({ type: 'ACCOUNT_SNAPSHOT' as const, time: T0 + minutes * MINUTE, balance: 10_000, equity });
const rising = [snapshot(0, 10_000), snapshot(1, 12_000), snapshot(2, 11_000)];

describe('the max drawdown breaker', () => {
  it('tracks the equity peak and does not trip one cent short of 20% below it', () => {
    const { state, events } = feed(initialRiskState(ACCOUNT, T0), [...rising, snapshot(3, 9_600.01)], config);
    expect(state.drawdown).toMatchObject({ status: 'CLOSED', peakEquity: 12_000 });
    expect(events).toEqual([]);
  });

  it('trips at 20% below the peak and halts the account', () => {
    const { state, events } = feed(initialRiskState(ACCOUNT, T0), [...rising, snapshot(3, 9_600)], config);
    expect(eventSummary(events)).toEqual(['MAX_DRAWDOWN CLOSED->OPEN', 'state ACTIVE->HALTED by breaker:MAX_DRAWDOWN']);
    expect(events[0]).toMatchObject({ figures: { equity: 9_600, peakEquity: 12_000, drawdownPercent: 20, limitPercent: 20 } });
    const context = riskContext({ riskState: state, now: T0 + 4 * MINUTE });
    expect(evaluateOrder(signalIntent(), context, testConfig)).toMatchObject({ code: 'RISK.TRADING_HALTED' });
    const close = signalIntent({ side: 'SELL', closesPositionId: 'P1' });
    const withPosition = { ...context, positions: [{ positionId: 'P1', symbol: 'EURUSD', side: 'BUY' as const, volume: 1, openPrice: 1.1, openTime: T0, realizedProfit: 0 }] };
    expect(evaluateOrder(close, withPosition, testConfig)).toMatchObject({ kind: 'allow', effect: 'REDUCE' });
  });

  it('stays open through recovery and a new broker day: only an admin resets it', () => {
    const trippedState = feed(initialRiskState(ACCOUNT, T0), [...rising, snapshot(3, 9_600)], config).state;
    const later = feed(trippedState, [snapshot(60, 12_500), { type: 'CLOCK', time: T0 + 48 * 60 * MINUTE }], config);
    expect(later.events).toEqual([]);
    expect(later.state.drawdown.status).toBe('OPEN');
    expect(reduceRiskState(later.state, { type: 'SET_TRADING_STATE', time: T0 + 49 * 60 * MINUTE, to: 'ACTIVE', actor: admin, reason: 'recovered' }, config)).toMatchObject({
      kind: 'refused', code: 'OPS.CONFLICT',
    });
  });

  it('resets by an admin with the peak restarted from current equity', () => {
    const trippedState = feed(initialRiskState(ACCOUNT, T0), [...rising, snapshot(3, 9_600)], config).state;
    const { state, events } = feed(trippedState, [
      { type: 'RESET_BREAKER', time: T0 + 5 * MINUTE, breaker: 'MAX_DRAWDOWN', actor: admin, reason: 'reviewed' },
      { type: 'SET_TRADING_STATE', time: T0 + 6 * MINUTE, to: 'ACTIVE', actor: admin, reason: 'resume' },
      snapshot(7, 9_000),
    ], config);
    expect(eventSummary(events)).toEqual(['MAX_DRAWDOWN OPEN->CLOSED', 'state HALTED->ACTIVE by alice']);
    expect(state.drawdown).toMatchObject({ status: 'CLOSED', peakEquity: 9_600 });
  });
});

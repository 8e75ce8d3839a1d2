import { describe, expect, it } from '@jest/globals';
import type { TradingStateRecord } from './risk-state.types.js';
import { admin, ACCOUNT, operator, T0 } from './test-support.fixture.js';
import { escalateTradingState, requestTradingState, tradingStateCheck } from './trading-state.js';

const active: TradingStateRecord = { state: 'ACTIVE', since: T0, by: 'init', reason: 'initial state' };
const halted: TradingStateRecord = { state: 'HALTED', since: T0, by: 'breaker:MAX_DRAWDOWN', reason: 'drawdown' };

describe('the trading state machine', () => {
  it('lets an operator make the account stricter, with who and why in the event', () => {
    const transition = requestTradingState(ACCOUNT, active, 'REDUCING', operator, 'news at 14:30', T0 + 1, []);
    expect(transition).toEqual({
      kind: 'changed',
      record: { state: 'REDUCING', since: T0 + 1, by: 'bob', reason: 'news at 14:30' },
      event: { type: 'TRADING_STATE_CHANGED', account: ACCOUNT, from: 'ACTIVE', to: 'REDUCING', by: 'bob', reason: 'news at 14:30', time: T0 + 1 },
    });
  });

  it('refuses to let anyone but an admin move it back', () => {
    expect(requestTradingState(ACCOUNT, halted, 'ACTIVE', operator, 'looks fine', T0, [])).toEqual({
      kind: 'refused', code: 'OPS.FORBIDDEN', message: 'only an admin may move the trading state from HALTED to ACTIVE',
    });
    expect(requestTradingState(ACCOUNT, halted, 'ACTIVE', admin, 'reviewed the drawdown', T0, [])).toMatchObject({ kind: 'changed', record: { state: 'ACTIVE', by: 'alice' } });
  });

  it('refuses a change without a reason, even from an admin', () => {
    expect(requestTradingState(ACCOUNT, halted, 'ACTIVE', admin, '  ', T0, [])).toMatchObject({ kind: 'refused', code: 'OPS.INVALID_REQUEST' });
  });

  it('refuses to relax below what an open breaker holds the account at', () => {
    const holds = [{ holder: 'DAILY_LOSS', atLeast: 'REDUCING' as const }];
    expect(requestTradingState(ACCOUNT, halted, 'ACTIVE', admin, 'resume', T0, holds)).toEqual({
      kind: 'refused', code: 'OPS.CONFLICT', message: 'cannot move to ACTIVE: DAILY_LOSS holds it at REDUCING; reset first',
    });
    expect(requestTradingState(ACCOUNT, halted, 'REDUCING', admin, 'let exits out', T0, holds)).toMatchObject({ kind: 'changed' });
  });

  it('treats a request for the current state as a no-op', () => {
    expect(requestTradingState(ACCOUNT, halted, 'HALTED', operator, 'again', T0, [])).toEqual({ kind: 'unchanged', record: halted });
  });

  it('lets breakers only escalate: a REDUCING trip leaves a HALTED account HALTED', () => {
    expect(escalateTradingState(ACCOUNT, halted, 'REDUCING', 'breaker:DAILY_LOSS', 'loss', T0)).toEqual({ kind: 'unchanged', record: halted });
    expect(escalateTradingState(ACCOUNT, active, 'REDUCING', 'breaker:DAILY_LOSS', 'loss', T0)).toMatchObject({ kind: 'changed', record: { state: 'REDUCING' } });
  });
});

describe('tradingStateCheck', () => {
  it('admits everything when ACTIVE, reductions only otherwise', () => {
    expect(tradingStateCheck(active, 'OPEN')).toEqual({ kind: 'allow' });
    expect(tradingStateCheck(halted, 'REDUCE')).toEqual({ kind: 'allow' });
    expect(tradingStateCheck(halted, 'OPEN')).toMatchObject({ message: 'RISK.TRADING_HALTED: by=breaker:MAX_DRAWDOWN, since=2024-03-04T09:00:00.000Z' });
    expect(tradingStateCheck({ ...halted, state: 'REDUCING' }, 'OPEN')).toMatchObject({ code: 'RISK.REDUCE_ONLY' });
  });
});

import { describe, expect, it } from '@jest/globals';
import type { TradeRequestBody } from '@mt5/contracts';
import { FaultPlan } from './fault-plan.js';

const request = (symbol: string, action: TradeRequestBody['action'] = 'DEAL'): TradeRequestBody =>
  ({ action, symbol, volume: 0.1, type: 'BUY', typeFilling: 'IOC', magic: 1, comment: 'x' });

describe('FaultPlan', () => {
  it('gives each request at most one outcome fault and one transaction fault, first match first', () => {
    const plan = new FaultPlan([{ kind: 'requote' }, { kind: 'price_off' }, { kind: 'duplicate_transactions' }]);
    expect(plan.draw(request('EURUSD'))).toEqual({ outcome: { kind: 'requote', times: 1 }, transactions: { kind: 'duplicate_transactions', copies: 2, times: 1 } });
    expect(plan.draw(request('EURUSD'))).toEqual({ outcome: { kind: 'price_off', times: 1 } });
    expect(plan.draw(request('EURUSD'))).toEqual({});
  });

  it('applies a rule only to its symbol and action, and counts down its times', () => {
    const plan = new FaultPlan([{ kind: 'timeout', mode: 'no_reply', symbol: 'XAUUSD', action: 'PENDING', times: 2 }]);
    expect(plan.draw(request('EURUSD', 'PENDING'))).toEqual({});
    expect(plan.draw(request('XAUUSD', 'DEAL'))).toEqual({});
    expect(plan.draw(request('XAUUSD', 'PENDING')).outcome?.kind).toBe('timeout');
    expect(plan.pending()).toEqual([{ kind: 'timeout', mode: 'no_reply', executed: true, symbol: 'XAUUSD', action: 'PENDING', times: 1 }]);
    plan.draw(request('XAUUSD', 'PENDING'));
    expect(plan.pending()).toEqual([]);
  });

  it('refuses an unknown fault kind', () => {
    expect(() => new FaultPlan([{ kind: 'meteor' } as never])).toThrow();
  });
});

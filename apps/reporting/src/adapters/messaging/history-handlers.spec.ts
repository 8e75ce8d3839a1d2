import { describe, expect, it } from '@jest/globals';
import { BridgeHealthMessage, OrderAcceptedMessage, RiskDecisionMessage, createMessage } from '@mt5/contracts';
import { executionEventSchema, riskEventSchema } from './history-handlers.js';

const time = '2024-03-04T09:00:00.000Z';

describe('event schemas of the reporting consumers', () => {
  it('accepts every kind published on exec.evt, including those reporting only acknowledges', () => {
    const accepted = createMessage(OrderAcceptedMessage, { id: 'a', tsEvent: time, tsInit: time, data: {
      account: 'A1', clientOrderId: 'c-1', symbol: 'EURUSD', side: 'BUY', orderType: 'MARKET', time, status: 'ACCEPTED', orderTicket: '1' } });
    const health = createMessage(BridgeHealthMessage, { id: 'h', tsEvent: time, tsInit: time, data: {
      account: 'A1', connected: true, lastHeartbeat: time, latencyMs: 3, reconciling: false, healthScore: 100, time } });
    expect(executionEventSchema.safeParse(accepted).success).toBe(true);
    expect(executionEventSchema.safeParse(health).success).toBe(true);
  });

  it('accepts risk decisions, whose payload refines itself', () => {
    const decision = createMessage(RiskDecisionMessage, { id: 'd', tsEvent: time, tsInit: time, data: {
      decisionId: 'd-1', source: 'SIGNAL', signalId: 's-1', intent: { account: 'A1', symbol: 'EURUSD', side: 'BUY', orderType: 'MARKET' },
      outcome: 'ALLOW', context: {}, message: 'allowed', volume: '0.1', clientOrderId: 'c-1', decidedAt: time } });
    expect(riskEventSchema.safeParse(decision).success).toBe(true);
    expect(riskEventSchema.safeParse({ ...decision, data: { ...decision.data, clientOrderId: undefined } }).success).toBe(false);
  });

  it('refuses a kind it does not know, so the consumer parks it with the reason', () => {
    const unknown = { type: 'exec.something.new', v: 1, id: 'x', correlationId: 'x', causationId: null, tsEvent: time, tsInit: time, data: {} };
    expect(executionEventSchema.safeParse(unknown).success).toBe(false);
  });
});

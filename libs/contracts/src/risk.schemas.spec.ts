import { describe, expect, it } from '@jest/globals';
import { formatDenial } from './error-codes.js';
import { messageExamples } from './message-examples.fixture.js';
import { describeZodError } from './primitives.schemas.js';
import { breakerChangedSchema, orderDeniedSchema, riskDecisionSchema, tradingStateChangedSchema } from './risk.schemas.js';

const allow = messageExamples['risk.decision'];
const denied = messageExamples['risk.order-denied'];

function check(schema: { safeParse(value: unknown): { success: true } | { success: false; error: Parameters<typeof describeZodError>[0] } }, value: object) {
  const result = schema.safeParse(value);
  return result.success ? 'valid' : describeZodError(result.error);
}

describe('risk decision', () => {
  const deny = {
    ...allow, outcome: 'DENY', code: 'RISK.TRADING_HALTED', context: { state: 'HALTED' },
    message: formatDenial('RISK.TRADING_HALTED', { state: 'HALTED' }), volume: undefined, clientOrderId: undefined,
  };

  it('accepts an allow with its sized volume and client order id', () => {
    expect(check(riskDecisionSchema, allow)).toBe('valid');
  });

  it('accepts a deny with its code', () => {
    expect(check(riskDecisionSchema, deny)).toBe('valid');
  });

  it('requires a code on a deny and forbids a volume on it', () => {
    expect(check(riskDecisionSchema, { ...deny, code: undefined, volume: '0.10' })).toBe('code: a DENY needs a RISK.* code; volume: a DENY has no volume');
  });

  it('requires the volume and client order id on an allow', () => {
    expect(check(riskDecisionSchema, { ...allow, volume: undefined, clientOrderId: undefined })).toBe(
      'volume: an ALLOW needs volume; clientOrderId: an ALLOW needs clientOrderId',
    );
  });

  it('requires the signal id for a signal and the intent id for a manual order', () => {
    expect(check(riskDecisionSchema, { ...allow, signalId: undefined })).toBe('signalId: signalId is required when source is SIGNAL');
    expect(check(riskDecisionSchema, { ...allow, source: 'MANUAL' })).toBe('intentId: intentId is required when source is MANUAL');
  });
});

describe('order denied', () => {
  it('carries a RISK code and its rendered message', () => {
    expect(check(orderDeniedSchema, denied)).toBe('valid');
    expect(denied.message).toBe(formatDenial(denied.code, denied.context));
  });

  it('refuses a code from another area, because a venue rejection is not a denial', () => {
    expect(check(orderDeniedSchema, { ...denied, code: 'EXEC.VENUE_REJECTED' })).toBe('code: expected a code in RISK.*, got "EXEC.VENUE_REJECTED"');
    expect(check(orderDeniedSchema, { ...denied, code: 'RISK.TOO_RISKY' })).toBe('code: expected a code in RISK.*, got "RISK.TOO_RISKY"');
  });
});

describe('trading state and breakers', () => {
  it('refuses a state change that changes nothing', () => {
    expect(check(tradingStateChangedSchema, { ...messageExamples['risk.trading-state.changed'], from: 'HALTED' })).toBe('to: from and to must differ');
  });

  it('keeps breaker figures as decimal strings', () => {
    expect(check(breakerChangedSchema, { ...messageExamples['risk.breaker.changed'], figures: { dailyLoss: -523.1 } })).toBe(
      'figures.dailyLoss: Invalid input: expected string, received number',
    );
  });

  it('knows only the five breaker kinds', () => {
    expect(check(breakerChangedSchema, { ...messageExamples['risk.breaker.changed'], breaker: 'VOLATILITY' })).toMatch(/^breaker: /);
  });
});

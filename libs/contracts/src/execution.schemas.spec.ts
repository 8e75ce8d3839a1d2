import { describe, expect, it } from '@jest/globals';
import { accountSnapshotSchema, dealSchema, positionSnapshotSchema } from './execution.schemas.js';
import { messageExamples } from './message-examples.fixture.js';
import { isTerminalOrderStatus, orderEventSchema, OrderStatuses } from './order-events.schemas.js';
import { describeZodError } from './primitives.schemas.js';

function check(schema: { safeParse(value: unknown): { success: true } | { success: false; error: Parameters<typeof describeZodError>[0] } }, value: object) {
  const result = schema.safeParse(value);
  return result.success ? 'valid' : describeZodError(result.error);
}

describe('order events', () => {
  it('discriminates every event by the status it leaves the order in', () => {
    const statuses = Object.entries(messageExamples)
      .filter(([type]) => type.startsWith('exec.order.'))
      .map(([, example]) => orderEventSchema.parse(example).status);
    expect(statuses).toEqual(['SUBMITTED', 'ACCEPTED', 'PARTIALLY_FILLED', 'FILLED', 'CANCELLED', 'REJECTED', 'EXPIRED', 'UNKNOWN']);
  });

  it('treats FILLED, CANCELLED, REJECTED and EXPIRED as final, and UNKNOWN as still to settle', () => {
    expect(OrderStatuses.filter(isTerminalOrderStatus)).toEqual(['FILLED', 'CANCELLED', 'REJECTED', 'EXPIRED']);
  });

  it('requires an EXEC code on a venue rejection', () => {
    expect(check(orderEventSchema, { ...messageExamples['exec.order.rejected'], code: 'RISK.INSUFFICIENT_MARGIN' })).toBe(
      'code: expected a code in EXEC.*, got "RISK.INSUFFICIENT_MARGIN"',
    );
  });
});

describe('deal', () => {
  it('accepts money that is negative (commission, swap, loss)', () => {
    expect(check(dealSchema, { ...messageExamples['exec.deal.executed'], entry: 'OUT', profit: '-12.30', swap: '-0.45' })).toBe('valid');
  });

  it('accepts a deal the platform did not originate', () => {
    expect(check(dealSchema, { ...messageExamples['exec.deal.executed'], clientOrderId: null, magic: 0, reason: 'CLIENT' })).toBe('valid');
  });

  it('rejects a negative volume', () => {
    expect(check(dealSchema, { ...messageExamples['exec.deal.executed'], volume: '-0.10' })).toMatch(/^volume: expected a positive plain decimal string/);
  });
});

describe('position and account snapshots', () => {
  it('reports a missing stop loss as null, never as an absent key', () => {
    const { stopLoss: _stopLoss, ...position } = messageExamples['exec.position.snapshot'];
    expect(check(positionSnapshotSchema, position)).toBe('stopLoss: Invalid input: expected string, received undefined');
    expect(check(positionSnapshotSchema, { ...position, stopLoss: null })).toBe('valid');
  });

  it('allows a null margin level when no margin is used', () => {
    expect(check(accountSnapshotSchema, { ...messageExamples['exec.account.snapshot'], margin: '0', marginLevel: null })).toBe('valid');
  });

  it('knows only hedging and netting margin modes', () => {
    expect(check(accountSnapshotSchema, { ...messageExamples['exec.account.snapshot'], marginMode: 'EXCHANGE' })).toMatch(/^marginMode: /);
  });
});

import { describe, expect, it } from '@jest/globals';
import { messageExamples } from './message-examples.fixture.js';
import { closePositionSchema, orderIntentSchema, submitOrderSchema } from './orders.schemas.js';
import { describeZodError } from './primitives.schemas.js';

const submit = messageExamples['exec.submit-order'];

function check(schema: typeof submitOrderSchema | typeof orderIntentSchema | typeof closePositionSchema, value: object): string {
  const result = schema.safeParse(value);
  return result.success ? 'valid' : describeZodError(result.error);
}

describe('submit-order command', () => {
  it('accepts a market order sized by risk', () => {
    expect(check(submitOrderSchema, submit)).toBe('valid');
  });

  it.each([
    ['a negative volume', { volume: '-0.10' }, 'volume: expected a positive plain decimal string such as "0.10" (no exponent, NaN or Infinity), got "-0.10"'],
    ['a zero volume', { volume: '0' }, 'volume: expected a positive plain decimal string such as "0.10" (no exponent, NaN or Infinity), got "0"'],
    ['a NaN volume', { volume: 'NaN' }, 'volume: expected a positive plain decimal string such as "0.10" (no exponent, NaN or Infinity), got "NaN"'],
    ['an exponent price', { price: '1.1e0' }, 'price: expected a non-negative plain decimal string such as "1.08525" (no exponent, NaN or Infinity), got "1.1e0"'],
    ['a comment MT5 would cut', { comment: 'x'.repeat(32) }, 'comment: comment must be at most 31 characters (MT5 limit)'],
    ['a clientOrderId that cannot ride in the comment', { clientOrderId: '3f2b8c1e-7a4d-4c55-9f1e-2b7c8d9e0a1b' }, /^clientOrderId: clientOrderId must be 1..31 characters/],
    ['a fractional magic', { magic: 1.5 }, /^magic: /],
    ['a deadline in local time', { validUntil: '2022-01-04T12:06:00+02:00' }, /^validUntil: expected an ISO-8601 UTC timestamp/],
    ['an unknown field', { reduceOnly: true }, 'Unrecognized key: "reduceOnly"'],
  ])('rejects %s', (_name, patch, expected) => {
    const message = check(submitOrderSchema, { ...submit, ...patch });
    if (typeof expected === 'string') expect(message).toContain(expected);
    else expect(message).toMatch(expected);
  });

  it('requires a price for LIMIT and STOP orders but not for MARKET', () => {
    const { price: _price, ...withoutPrice } = submit;
    expect(check(submitOrderSchema, withoutPrice)).toBe('valid');
    expect(check(submitOrderSchema, { ...withoutPrice, orderType: 'STOP' })).toBe('price: price is required for a STOP order');
  });
});

describe('manual order intent', () => {
  it('lets risk size the volume and judge a missing stop loss', () => {
    const { volume: _volume, stopLoss: _stopLoss, ...intent } = messageExamples['risk.submit-order-intent'];
    expect(check(orderIntentSchema, intent)).toBe('valid');
  });

  it('requires a price for a LIMIT intent', () => {
    const { price: _price, ...intent } = messageExamples['risk.submit-order-intent'];
    expect(check(orderIntentSchema, intent)).toBe('price: price is required for a LIMIT order');
  });
});

describe('close-position command', () => {
  it('takes the position as an MT5 ticket string, not a number', () => {
    expect(check(closePositionSchema, { ...messageExamples['exec.close-position'], positionId: 5000123 })).toBe(
      'positionId: Invalid input: expected string, received number',
    );
  });
});

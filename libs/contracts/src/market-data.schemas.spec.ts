import { describe, expect, it } from '@jest/globals';
import { describeZodError } from './primitives.schemas.js';
import { barClosedSchema, tickSchema, type BarClosed } from './market-data.schemas.js';
import { messageExamples } from './message-examples.fixture.js';

const bar = messageExamples['md.bar.closed'];

function violations(patch: Partial<Record<keyof BarClosed, unknown>>): string {
  const result = barClosedSchema.safeParse({ ...bar, ...patch });
  return result.success ? 'valid' : describeZodError(result.error);
}

describe('bar closed', () => {
  it('accepts a real EURUSD M1 bar (first bar of EURUSD_M1.mt5-export.csv)', () => {
    expect(violations({})).toBe('valid');
  });

  it('accepts a flat bar, as markets print them', () => {
    expect(violations({ open: '1.12953', high: '1.12953', low: '1.12953', close: '1.12953' })).toBe('valid');
  });

  it('accepts a bar without spread and with real volume', () => {
    const { spread: _spread, ...withoutSpread } = bar;
    expect(barClosedSchema.safeParse({ ...withoutSpread, realVolume: '12.5' }).success).toBe(true);
  });

  it('compares prices as decimals, not as text', () => {
    expect(violations({ open: '9.5', high: '10.0', low: '9.0', close: '9.75' })).toBe('valid');
  });

  it('rejects a high below the close and a low above the open', () => {
    expect(violations({ high: '1.12955', low: '1.12954' })).toBe('high: high 1.12955 is below close 1.12956; low: low 1.12954 is above open 1.12953');
  });

  it('rejects a bar that closes before it opens', () => {
    expect(violations({ closeTime: '2022-01-04T00:00:00.000Z' })).toBe(
      'closeTime: closeTime 2022-01-04T00:00:00.000Z must be after openTime 2022-01-04T00:00:00.000Z',
    );
  });

  it.each([
    ['an exponent price', { close: '1.1e0' }, /close: expected a non-negative plain decimal string .* got "1.1e0"/],
    ['a NaN price', { open: 'NaN' }, /open: .* got "NaN"/],
    ['an Infinity price', { high: 'Infinity' }, /high: .* got "Infinity"/],
    ['a fractional tick volume', { tickVolume: 4.5 }, /tickVolume: /],
    ['an unsupported timeframe', { timeframe: 'M2' }, /timeframe: /],
    ['broker server time', { openTime: '2022-01-04 02:00:00' }, /openTime: expected an ISO-8601 UTC timestamp/],
    ['a venue that would split the subject', { venue: 'mt5.demo' }, /venue: venue must be 1..64 characters/],
  ])('rejects %s', (_name, patch, message) => {
    expect(violations(patch)).toMatch(message);
  });
});

describe('tick', () => {
  it('accepts a quote with optional last and volume', () => {
    expect(tickSchema.safeParse({ ...messageExamples['md.tick'], last: '2345.30', volume: '0' }).success).toBe(true);
  });

  it('rejects a number where a decimal string belongs', () => {
    const result = tickSchema.safeParse({ ...messageExamples['md.tick'], bid: 2345.12 });
    expect(result.success ? 'valid' : describeZodError(result.error)).toBe('bid: Invalid input: expected string, received number');
  });
});

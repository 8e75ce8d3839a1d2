import { describe, expect, it } from '@jest/globals';
import { GatewayError } from '../gateway-error.js';
import { placeOrderBody } from '../../http/schemas/orders.schemas.js';
import { describeIssues } from '../../http/zod-request.pipe.js';
import { InstrumentCatalogue } from './instrument-catalogue.js';

function problem(body: Record<string, unknown>): string | null {
  const parsed = placeOrderBody.safeParse({ symbol: 'EURUSD', side: 'BUY', ...body });
  return parsed.success ? null : describeIssues(parsed.error.issues, 'body');
}

describe('order input', () => {
  it('takes a volume as a decimal string or a finite number and hands on the decimal string', () => {
    expect(placeOrderBody.parse({ symbol: 'EURUSD', side: 'BUY', volume: 0.1 })).toMatchObject({ volume: '0.1', orderType: 'MARKET' });
    expect(placeOrderBody.parse({ symbol: 'EURUSD', side: 'BUY', volume: '0.10' })).toMatchObject({ volume: '0.10' });
  });

  it.each([
    [{ volume: Number.NaN }, 'body.volume: volume must be a number, got NaN'],
    [{ volume: Number.POSITIVE_INFINITY }, 'body.volume: volume must be finite, got Infinity'],
    [{ volume: 'inf' }, 'body.volume: volume must be finite, got "inf"'],
    [{ volume: -0.5 }, 'body.volume: volume must be positive, got -0.5'],
    [{ volume: '0.00' }, 'body.volume: volume must be positive, got "0.00"'],
    [{ volume: '1e-2' }, 'body.volume: volume must be a plain decimal string such as "0.10" (no exponent, sign or spaces), got "1e-2"'],
    [{ volume: true }, 'body.volume: volume must be a decimal string such as "0.10" or a number, got boolean'],
    [{ price: '-1.2', orderType: 'LIMIT' }, 'body.price: price must be positive, got "-1.2"'],
    [{ magic: 5 }, 'body: unknown field "magic"'],
  ])('refuses %j: %s', (body, message) => {
    expect(problem(body)).toBe(message);
  });
});

describe('the instrument catalogue check', () => {
  const catalogue = InstrumentCatalogue.bundled('mt5-demo');
  const refusal = (work: () => void) => {
    try {
      work();
      return null;
    } catch (error) {
      return error instanceof GatewayError ? `${error.status} ${error.message}` : String(error);
    }
  };

  it('knows the bundled symbols and refuses others with the list', () => {
    expect(catalogue.require('EURUSD').volumeStep).toBe(0.01);
    expect(refusal(() => catalogue.require('EURUSDX'))).toMatch(/^400 symbol: unknown symbol "EURUSDX" on venue mt5-demo; known: EURUSD, /);
  });

  it('checks the volume step exactly (no float noise), the minimum and the maximum', () => {
    const spec = catalogue.require('EURUSD');
    expect(refusal(() => catalogue.checkVolume(spec, '0.07'))).toBeNull();
    expect(refusal(() => catalogue.checkVolume(spec, '0.3'))).toBeNull();
    expect(refusal(() => catalogue.checkVolume(spec, '0.015'))).toBe('400 volume: 0.015 is not a multiple of the volume step 0.01 for EURUSD');
    expect(refusal(() => catalogue.checkVolume(spec, '100.01'))).toBe('400 volume: 100.01 is above the maximum 100 for EURUSD');
    expect(refusal(() => catalogue.checkVolume({ ...spec, volumeMin: 0.1 }, '0.05'))).toBe('400 volume: 0.05 is below the minimum 0.1 for EURUSD');
    expect(refusal(() => catalogue.checkVolume({ ...spec, volumeMin: 0.1 }, '0.05', 'volume', { allowBelowMinimum: true }))).toBeNull();
  });
});

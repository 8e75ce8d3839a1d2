import { describe, expect, it } from '@jest/globals';
import { barClosedEnvelopeSchema } from '@mt5/contracts';
import { parseTimeZone } from '@mt5/domain/market';
import { barMessageId, BarMessageMapper } from './bar-message.mapper.js';
import { canonicalDecimal, wireFromBar, type WireBar } from './wire-bar.js';

const bar: WireBar = {
  venue: 'MT5', symbol: 'EURUSD.m', timeframe: 'M1', openTime: Date.UTC(2022, 0, 4, 18, 0),
  open: '1.12841', high: '1.1285', low: '1.12838', close: '1.12847', tickVolume: 33,
};

describe('md.bar.closed messages from stored bars', () => {
  const mapper = new BarMessageMapper(undefined);

  it('builds an envelope that the contract schema accepts, with the bar identity as message id', () => {
    const { subject, envelope } = mapper.envelope(bar, '2026-01-01T00:00:00.000Z');
    expect(barClosedEnvelopeSchema.parse(envelope)).toEqual(envelope);
    expect(envelope).toMatchObject({
      type: 'md.bar.closed', v: 1, id: 'bar:MT5:EURUSD.m:M1:1641319200000', causationId: null, tsEvent: '2022-01-04T18:01:00.000Z',
      data: { openTime: '2022-01-04T18:00:00.000Z', closeTime: '2022-01-04T18:01:00.000Z', open: '1.12841', high: '1.1285', tickVolume: 33 },
    });
    expect(envelope.data).not.toHaveProperty('spread');
    expect(subject).toBe('md.bar.MT5.EURUSD~2Em.M1');
  });

  it('encodes, without an intermediate object, exactly the envelope it would build, optional fields and odd symbols included', () => {
    const tsInit = '2026-01-01T00:00:00.000Z';
    for (const candidate of [bar, { ...bar, symbol: 'US30"cash\\', spread: 12, realVolume: '104.73856', timeframe: 'H4' as const }]) {
      const encoded = mapper.encode(candidate, JSON.stringify(tsInit), 'tag1');
      const { subject, envelope } = mapper.envelope(candidate, tsInit, 'tag1');
      const decoded = JSON.parse(new TextDecoder().decode(encoded.bytes));
      expect(decoded).toEqual(envelope);
      expect(barClosedEnvelopeSchema.parse(decoded)).toEqual(envelope);
      expect(encoded).toMatchObject({ subject, id: envelope.id });
    }
  });

  it('gives the same bar the same id every time, and a tagged replay a different one', () => {
    expect(mapper.envelope(bar, '2026-01-01T00:00:00.000Z').envelope.id).toBe(mapper.envelope(bar, '2027-05-05T00:00:00.000Z').envelope.id);
    expect(barMessageId(bar, 'rerun2')).toBe('bar:MT5:EURUSD.m:M1:1641319200000:rerun2');
  });

  it('closes a D1 bar at the next broker midnight, which moves with New York daylight saving', () => {
    const newYorkClose = new BarMessageMapper({ offsetAt: parseTimeZone('NY+7')!.offsetAt });
    // Winter: the broker day starts 22:00 UTC; the day of the US change (Sun 2021-03-14) is an hour shorter.
    const day = { ...bar, timeframe: 'D1' as const, openTime: Date.UTC(2021, 2, 11, 22) };
    expect(newYorkClose.payload(day).closeTime).toBe('2021-03-12T22:00:00.000Z');
    expect(newYorkClose.payload({ ...day, openTime: Date.UTC(2021, 2, 13, 22) }).closeTime).toBe('2021-03-14T21:00:00.000Z');
  });
});

describe('decimal texts for the wire', () => {
  it.each([['1.36977', '1.36977'], ['+1.5', '1.5'], ['.5', '0.5'], ['007.10', '7.10'], ['12.', '12'], ['0', '0']])('writes %s as %s', (text, wire) => {
    expect(canonicalDecimal(text)).toBe(wire);
  });

  it('refuses what is not a plain decimal', () => {
    expect(() => canonicalDecimal('1e5')).toThrow(RangeError);
  });

  it('writes computed prices with the digits of their sources, exactly', () => {
    const computed = wireFromBar({ venue: 'MT5', symbol: 'USDJPY', timeframe: 'H1', openTime: 0, open: 103.774, high: 103.8, low: 103.77, close: 103.791, tickVolume: 250, realVolume: 0.1 + 0.2 }, 3);
    expect(computed).toMatchObject({ open: '103.774', high: '103.800', low: '103.770', close: '103.791', realVolume: '0.3' });
  });
});

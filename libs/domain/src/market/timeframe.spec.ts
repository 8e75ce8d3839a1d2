import { describe, expect, it } from '@jest/globals';
import { parseTimeZone } from './time-zone.js';
import { alignTime, barEnd, isAligned, isTimeframe, timeframeDuration } from './timeframe.js';

const at = (iso: string) => Date.parse(iso);
const iso = (epochMs: number) => new Date(epochMs).toISOString();
const HOUR = 3_600_000;

describe('timeframes', () => {
  it('has the MT5 durations', () => {
    expect(['M1', 'M5', 'M15', 'M30', 'H1', 'H4', 'D1'].map((tf) => timeframeDuration(tf as never) / 60_000)).toEqual([1, 5, 15, 30, 60, 240, 1440]);
    expect(isTimeframe('H4')).toBe(true);
    expect(isTimeframe('W1')).toBe(false);
  });

  it('aligns to UTC boundaries by default, also before 1970', () => {
    expect(iso(alignTime('M15', at('2022-01-04T18:44:59.999Z')))).toBe('2022-01-04T18:30:00.000Z');
    expect(iso(alignTime('H4', at('2022-01-04T18:44:00Z')))).toBe('2022-01-04T16:00:00.000Z');
    expect(iso(alignTime('D1', at('1969-12-31T23:59:00Z')))).toBe('1969-12-31T00:00:00.000Z');
    expect(isAligned('M5', at('2022-01-04T18:45:00Z'))).toBe(true);
    expect(isAligned('M5', at('2022-01-04T18:46:00Z'))).toBe(false);
    expect(isAligned('M1', Number.NaN)).toBe(false);
  });

  it('moves H4 and D1 with a fixed day-start offset', () => {
    const alignment = { offsetMs: -2 * HOUR };
    expect(iso(alignTime('D1', at('2022-01-04T21:59:00Z'), alignment))).toBe('2022-01-03T22:00:00.000Z');
    expect(iso(alignTime('D1', at('2022-01-04T22:00:00Z'), alignment))).toBe('2022-01-04T22:00:00.000Z');
    expect(iso(alignTime('H4', at('2022-01-04T01:00:00Z'), alignment))).toBe('2022-01-03T22:00:00.000Z');
  });

  it('makes the broker day around a DST change 23 or 25 hours long on an EET clock', () => {
    const alignment = { offsetAt: parseTimeZone('EET')!.offsetAt };
    // Broker midnight is 22:00 UTC in winter and 21:00 UTC in summer.
    const spring = alignTime('D1', at('2022-03-27T12:00:00Z'), alignment);
    expect(iso(spring)).toBe('2022-03-26T22:00:00.000Z');
    expect(iso(barEnd('D1', spring, alignment))).toBe('2022-03-27T21:00:00.000Z');
    const autumn = alignTime('D1', at('2022-10-30T12:00:00Z'), alignment);
    expect(iso(autumn)).toBe('2022-10-29T21:00:00.000Z');
    expect(iso(barEnd('D1', autumn, alignment))).toBe('2022-10-30T22:00:00.000Z');
    expect(isAligned('D1', at('2022-07-04T21:00:00Z'), alignment)).toBe(true);
    expect(isAligned('D1', at('2022-07-04T22:00:00Z'), alignment)).toBe(false);
  });

  it('ends an ordinary bar one duration after it opens', () => {
    expect(barEnd('H1', at('2022-01-04T18:00:00Z')) - at('2022-01-04T18:00:00Z')).toBe(HOUR);
  });
});

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { Timeframe } from '@mt5/contracts';
import type { Bar } from './bar.js';
import { aggregateBars, BarAggregator, BarSequenceError } from './bar-aggregator.js';
import { importBarText } from './bar-import.js';
import { parseTimeZone } from './time-zone.js';
import { TimeframeDurations } from './timeframe.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const at = (iso: string) => Date.parse(iso);

function m1(openTime: number, open: number, high: number, low: number, close: number, tickVolume: number, extra: Partial<Bar> = {}): Bar {
  return { venue: 'mt5-demo', symbol: 'EURUSD', timeframe: 'M1', openTime, open, high, low, close, tickVolume, ...extra };
}

describe('M1 → H1 on the shared EURUSD export', () => {
  const text = readFileSync(path.resolve(process.cwd(), '../shared/data/market/EURUSD_M1.mt5-export.csv'), 'utf8');
  const { bars } = importBarText(text, { venue: 'mt5-demo', symbol: 'EURUSD' });

  it('matches a straightforward group-by-hour recomputation for every bucket', () => {
    // Independent recomputation: group by floor(openTime / 1 h); open of first, max high, min low, close of last, summed volume.
    const expected = new Map<number, { openTime: number; open: number; high: number; low: number; close: number; tickVolume: number }>();
    for (const bar of bars) {
      const hour = Math.floor(bar.openTime / HOUR) * HOUR;
      const group = expected.get(hour);
      if (!group) expected.set(hour, { openTime: hour, open: bar.open, high: bar.high, low: bar.low, close: bar.close, tickVolume: bar.tickVolume });
      else Object.assign(group, { high: Math.max(group.high, bar.high), low: Math.min(group.low, bar.low), close: bar.close, tickVolume: group.tickVolume + bar.tickVolume });
    }
    // The file ends at 15:25, so its last hour is only closed once we say that time has passed.
    const closedOnly = aggregateBars(bars, 'H1');
    const all = aggregateBars(bars, 'H1', { upTo: Number.POSITIVE_INFINITY });
    const pick = ({ openTime, open, high, low, close, tickVolume }: Bar) => ({ openTime, open, high, low, close, tickVolume });
    expect(all.map(pick)).toEqual([...expected.values()]);
    expect(closedOnly.map(pick)).toEqual([...expected.values()].slice(0, -1));
    expect(all.length).toBeGreaterThan(800);
    expect(all.every((bar) => bar.timeframe === 'H1' && bar.symbol === 'EURUSD')).toBe(true);
  });

  it('leaves the weekends empty instead of inventing flat bars', () => {
    const days = new Set(aggregateBars(bars, 'D1', { upTo: Number.POSITIVE_INFINITY }).map((bar) => new Date(bar.openTime).getUTCDay()));
    expect(days.has(6)).toBe(false);
  });
});

describe('BarAggregator', () => {
  const t0 = at('2022-01-04T10:00:00Z');

  it('emits an M5 bar when the next bucket begins, not before', () => {
    const aggregator = new BarAggregator('M5');
    expect(aggregator.add(m1(t0, 1.1, 1.2, 1.0, 1.15, 3))).toEqual([]);
    expect(aggregator.add(m1(t0 + 2 * MINUTE, 1.15, 1.3, 1.1, 1.2, 4))).toEqual([]);
    expect(aggregator.forming()).toMatchObject({ final: false, high: 1.3, tickVolume: 7 });
    const closed = aggregator.add(m1(t0 + 7 * MINUTE, 1.2, 1.25, 1.19, 1.21, 1));
    expect(closed).toEqual([{ venue: 'mt5-demo', symbol: 'EURUSD', timeframe: 'M5', openTime: t0, open: 1.1, high: 1.3, low: 1.0, close: 1.2, tickVolume: 7, spreadPoints: undefined, realVolume: undefined }]);
  });

  it('emits a bucket as soon as its last source bar has closed', () => {
    const aggregator = new BarAggregator('M5');
    aggregator.add(m1(t0, 1, 1, 1, 1, 1));
    expect(aggregator.add(m1(t0 + 4 * MINUTE, 1, 1, 1, 1, 1))).toHaveLength(1);
    expect(aggregator.forming()).toBeUndefined();
  });

  it('closes a quiet bucket on flush only once time has passed its end', () => {
    const aggregator = new BarAggregator('H1');
    aggregator.add(m1(t0 + 5 * MINUTE, 1, 1, 1, 1, 1));
    expect(aggregator.flush(t0 + HOUR - 1)).toBeUndefined();
    expect(aggregator.flush(t0 + HOUR)).toMatchObject({ openTime: t0, timeframe: 'H1' });
    expect(aggregator.flush(t0 + 5 * HOUR)).toBeUndefined();
  });

  it('starts D1 at the New York close of a NY+7 broker clock: 22:00 UTC in winter, 21:00 UTC in summer', () => {
    const alignment = { offsetAt: parseTimeZone('NY+7')!.offsetAt };
    const winter = aggregateBars([m1(at('2022-01-04T21:59:00Z'), 1, 1, 1, 1, 1), m1(at('2022-01-04T22:00:00Z'), 1, 1, 1, 1, 1)], 'D1', { alignment, upTo: Number.POSITIVE_INFINITY });
    expect(winter.map((bar) => new Date(bar.openTime).toISOString())).toEqual(['2022-01-03T22:00:00.000Z', '2022-01-04T22:00:00.000Z']);
    const summer = aggregateBars([m1(at('2022-07-04T20:59:00Z'), 1, 1, 1, 1, 1), m1(at('2022-07-04T21:00:00Z'), 1, 1, 1, 1, 1)], 'D1', { alignment, upTo: Number.POSITIVE_INFINITY });
    expect(summer.map((bar) => new Date(bar.openTime).toISOString())).toEqual(['2022-07-03T21:00:00.000Z', '2022-07-04T21:00:00.000Z']);
    const fixed = aggregateBars([m1(at('2022-07-04T21:30:00Z'), 1, 1, 1, 1, 1)], 'D1', { alignment: { offsetMs: -2 * HOUR }, upTo: Number.POSITIVE_INFINITY });
    expect(new Date(fixed[0]!.openTime).toISOString()).toBe('2022-07-03T22:00:00.000Z');
  });

  it('keeps the lowest spread and sums real volume where the source has them', () => {
    const [bar] = aggregateBars([m1(t0, 1, 1, 1, 1, 1, { spreadPoints: 12, realVolume: 1.5 }), m1(t0 + MINUTE, 1, 1, 1, 1, 1, { spreadPoints: 9, realVolume: 2 })], 'M5', { upTo: Number.POSITIVE_INFINITY });
    expect(bar).toMatchObject({ spreadPoints: 9, realVolume: 3.5 });
  });

  it('refuses bars out of order, of another symbol, or of a timeframe that does not divide the target', () => {
    const aggregator = new BarAggregator('H1');
    aggregator.add(m1(t0 + MINUTE, 1, 1, 1, 1, 1));
    expect(() => aggregator.add(m1(t0, 1, 1, 1, 1, 1))).toThrow(BarSequenceError);
    expect(() => aggregator.add({ ...m1(t0 + 2 * MINUTE, 1, 1, 1, 1, 1), symbol: 'GBPUSD' })).toThrow(/mixed into/);
    expect(() => new BarAggregator('M5').add({ ...m1(t0, 1, 1, 1, 1, 1), timeframe: 'H1' })).toThrow('cannot build M5 bars from H1 bars');
  });
});

describe('aggregation invariants (property-based)', () => {
  const targets: Timeframe[] = ['M5', 'M15', 'M30', 'H1', 'H4', 'D1'];
  // Sorted M1 bars with random gaps (including multi-day ones) and valid OHLC.
  const barsArbitrary = fc.array(
    fc.record({ gap: fc.oneof(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3000 })), a: fc.integer({ min: 1, max: 5000 }), b: fc.integer({ min: 1, max: 5000 }), up: fc.nat(50), down: fc.nat(50), volume: fc.nat(1000) }),
    { minLength: 1, maxLength: 400 },
  ).map((steps) => {
    let time = at('2022-01-03T00:00:00Z');
    return steps.map(({ gap, a, b, up, down, volume }) => {
      time += gap * MINUTE;
      return m1(time, a / 1000, Math.max(a, b) / 1000 + up / 1e5, Math.min(a, b) / 1000 - down / 1e5, b / 1000, volume);
    });
  });

  it('every output bar bounds its source bars, sums their volume, is aligned, and no bucket is empty or invented', () => {
    fc.assert(fc.property(barsArbitrary, fc.constantFrom(...targets), (bars, target) => {
      const duration = TimeframeDurations[target];
      const output = aggregateBars(bars, target, { upTo: Number.POSITIVE_INFINITY });
      const buckets = new Map<number, Bar[]>();
      for (const bar of bars) {
        const key = Math.floor(bar.openTime / duration) * duration;
        buckets.set(key, [...(buckets.get(key) ?? []), bar]);
      }
      expect(output.map((bar) => bar.openTime)).toEqual([...buckets.keys()]);
      for (const bar of output) {
        const sources = buckets.get(bar.openTime)!;
        expect(bar.openTime % duration).toBe(0);
        expect(sources.every((source) => bar.high >= source.high && bar.low <= source.low)).toBe(true);
        expect(bar.high).toBe(Math.max(...sources.map((source) => source.high)));
        expect(bar.low).toBe(Math.min(...sources.map((source) => source.low)));
        expect([bar.open, bar.close]).toEqual([sources[0]!.open, sources.at(-1)!.close]);
        expect(bar.tickVolume).toBe(sources.reduce((sum, source) => sum + source.tickVolume, 0));
        expect(bar.low <= Math.min(bar.open, bar.close) && bar.high >= Math.max(bar.open, bar.close)).toBe(true);
      }
    }), { numRuns: 150 });
  });

  it('gives the same bars incrementally, emitting each bucket exactly once, as in one batch', () => {
    fc.assert(fc.property(barsArbitrary, fc.constantFrom(...targets), (bars, target) => {
      const aggregator = new BarAggregator(target);
      const emitted: Bar[] = [];
      for (const bar of bars) {
        emitted.push(...aggregator.add(bar));
        const flushed = aggregator.flush(bar.openTime + MINUTE);
        if (flushed) emitted.push(flushed);
      }
      const last = aggregator.flush(Number.POSITIVE_INFINITY);
      if (last) emitted.push(last);
      expect(emitted).toEqual(aggregateBars(bars, target, { upTo: Number.POSITIVE_INFINITY }));
    }), { numRuns: 100 });
  });
});

import { describe, expect, it } from '@jest/globals';
import { newBroker } from '../broker/broker.fixture.js';
import { DEFAULT_SIM_SYMBOLS } from '../broker/sim-symbols.js';
import { BarPlayer, densifyPath } from './bar-player.js';
import { randomWalkBars } from './random-walk.js';
import { replayTimeline, weekStart, WEEK_MS, type TimedBar } from './replay-timeline.js';

const bar = (time: number, close = 1.1) => ({ time, open: close, high: close, low: close, close });

describe('replayTimeline', () => {
  it('finds Sunday 00:00 UTC of the week', () => {
    expect(new Date(weekStart(Date.UTC(2022, 0, 4, 18))).toISOString()).toBe('2022-01-02T00:00:00.000Z');
    expect(new Date(weekStart(Date.UTC(2022, 0, 2, 0))).toISOString()).toBe('2022-01-02T00:00:00.000Z');
  });

  it('shifts later series by whole weeks into the first series week, keeping weekday and time of day', () => {
    const eurusd = [bar(Date.UTC(2022, 0, 4, 18, 0)), bar(Date.UTC(2022, 0, 4, 18, 1))];
    // GBPUSD file starts Monday 2021-01-25 02:48; BTCUSDT Tuesday 2020-12-01 00:00.
    const gbpusd = [bar(Date.UTC(2021, 0, 25, 2, 48))];
    const btcusdt = [bar(Date.UTC(2020, 11, 1, 0, 0))];
    const timeline = replayTimeline([{ symbol: 'EURUSD', bars: eurusd }, { symbol: 'GBPUSD', bars: gbpusd }, { symbol: 'BTCUSDT', bars: btcusdt }]);
    expect(timeline.bars.map((b) => [b.symbol, new Date(b.bar.time).toISOString()])).toEqual([
      ['GBPUSD', '2022-01-03T02:48:00.000Z'],
      ['BTCUSDT', '2022-01-04T00:00:00.000Z'],
      ['EURUSD', '2022-01-04T18:00:00.000Z'],
      ['EURUSD', '2022-01-04T18:01:00.000Z'],
    ]);
    expect(timeline.allQuotedAt).toBe(Date.UTC(2022, 0, 4, 18, 0));
    expect((Date.UTC(2022, 0, 3, 2, 48) - Date.UTC(2021, 0, 25, 2, 48)) % WEEK_MS).toBe(0);
  });
});

describe('randomWalkBars', () => {
  const take = (seed: number, count: number) => {
    const out: TimedBar[] = [];
    for (const item of randomWalkBars(DEFAULT_SIM_SYMBOLS, seed, Date.UTC(2024, 0, 8, 10, 0, 30))) {
      out.push(item);
      if (out.length === count) break;
    }
    return out;
  };

  it('is the same for the same seed and different for another', () => {
    expect(take(7, 50)).toEqual(take(7, 50));
    expect(take(8, 50)).not.toEqual(take(7, 50));
  });

  it('makes consistent minute bars on the symbol grid, each opening at the previous close', () => {
    const bars = take(1, 5 * 100).filter((b) => b.symbol === 'EURUSD').map((b) => b.bar);
    expect(bars[0]!.time).toBe(Date.UTC(2024, 0, 8, 10, 0));
    bars.forEach((b, i) => {
      expect(b.high).toBeGreaterThanOrEqual(Math.max(b.open, b.close));
      expect(b.low).toBeLessThanOrEqual(Math.min(b.open, b.close));
      expect(Number(b.close.toFixed(5))).toBe(b.close);
      if (i > 0) expect(b.open).toBe(bars[i - 1]!.close);
      if (i > 0) expect(b.time - bars[i - 1]!.time).toBe(60_000);
    });
  });
});

describe('BarPlayer', () => {
  it('plays every bar of the source into the broker as fast as possible at speed 0 and keeps them as history', async () => {
    const { broker } = newBroker();
    const t0 = Date.UTC(2022, 0, 10, 11, 0);
    const source: TimedBar[] = [0, 1, 2].flatMap((i) => [
      { symbol: 'EURUSD', bar: { time: t0 + i * 60_000, open: 1.1, high: 1.1005, low: 1.0995, close: 1.1001 + i / 10_000 } },
      { symbol: 'USDJPY', bar: { time: t0 + i * 60_000, open: 110, high: 110.1, low: 109.9, close: 110.05 } },
    ]);
    let ended = false;
    const player = new BarPlayer(broker, source[Symbol.iterator](), { speed: 0, maxGapMs: 300_000, onEnd: () => (ended = true) });
    player.start();
    for (let i = 0; i < 100 && !ended; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(ended).toBe(true);
    expect(player.applied).toBe(24);
    expect(broker.quote('EURUSD')).toEqual({ bid: 1.1003, ask: 1.10038, time: t0 + 2 * 60_000 + 59_000 });
    expect(broker.history('USDJPY', 'M1', t0, t0 + 180_000, 10).bars).toHaveLength(3);
  });

  it('paces quotes by simulated time over speed, squeezing long gaps', async () => {
    const { broker } = newBroker();
    const t0 = Date.UTC(2022, 0, 10, 11, 0);
    // Two bars a day apart: the day is squeezed to maxGap = 60 s, so at speed 600 the second bar
    // comes ~100 ms (plus the first bar's 59 s / 600) after the first.
    const source: TimedBar[] = [{ symbol: 'EURUSD', bar: bar(t0) }, { symbol: 'EURUSD', bar: bar(t0 + 86_400_000, 1.2) }];
    const player = new BarPlayer(broker, source[Symbol.iterator](), { speed: 600, maxGapMs: 60_000 });
    const started = performance.now();
    player.start();
    while (broker.quote('EURUSD')!.bid !== 1.2) await new Promise((resolve) => setTimeout(resolve, 5));
    const elapsed = performance.now() - started;
    player.stop();
    expect(elapsed).toBeGreaterThanOrEqual(150);
    expect(elapsed).toBeLessThan(1000);
  });
});

describe('densifyPath (live feeds: a quote at least every second)', () => {
  const path = [
    { bid: 1.1, ask: 1.1001, time: 0, continuous: false },
    { bid: 1.1004, ask: 1.1005, time: 4_000, continuous: true },
    { bid: 1.1004, ask: 1.1005, time: 4_500, continuous: true },
  ];

  it('walks the straight line between two points in even steps no further apart than asked, keeping the spread', () => {
    expect(densifyPath(path, 1_000, 5)).toEqual([
      path[0],
      { bid: 1.1001, ask: 1.1002, time: 1_000, continuous: true },
      { bid: 1.1002, ask: 1.1003, time: 2_000, continuous: true },
      { bid: 1.1003, ask: 1.1004, time: 3_000, continuous: true },
      path[1],
      path[2],
    ]);
  });

  it('leaves a path whose points are close enough as it is', () => {
    expect(densifyPath(path, 5_000, 5)).toEqual(path);
  });

  it('gives the random walk a quote every second from the current minute on, at wall-clock time', () => {
    const { broker } = newBroker();
    const now = Date.UTC(2026, 0, 5, 12, 0, 40);
    const player = new BarPlayer(broker, randomWalkBars(broker.symbols().filter((s) => s.symbol === 'EURUSD'), 1, now), {
      speed: 1, maxGapMs: 300_000, fastForwardUntil: now, quoteEveryMs: 1_000,
    });
    player.start();
    player.stop();
    // The walk from 12:00:00 has a point per second; the 40 before `now` are applied at once.
    expect(player.applied).toBe(40);
    expect(broker.quote('EURUSD')!.time).toBe(now - 1_000);
  });
});

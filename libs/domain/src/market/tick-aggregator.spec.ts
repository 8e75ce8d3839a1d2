import { describe, expect, it } from '@jest/globals';
import { TickAggregator } from './tick-aggregator.js';

const t0 = Date.parse('2026-06-29T08:15:00Z');
const SECOND = 1000;

describe('TickAggregator', () => {
  it('builds an M1 bar from bids with the tick count as volume, closed by the first tick of the next minute', () => {
    const aggregator = new TickAggregator('mt5-demo', 'XAUUSD');
    expect(aggregator.add({ time: t0 + 2 * SECOND, bid: 2345.12 })).toEqual({ accepted: true, closed: undefined });
    aggregator.add({ time: t0 + 20 * SECOND, bid: 2346.5 });
    aggregator.add({ time: t0 + 59 * SECOND + 999, bid: 2344.9 });
    expect(aggregator.forming()).toMatchObject({ final: false, openTime: t0, open: 2345.12, close: 2344.9, tickVolume: 3 });
    const result = aggregator.add({ time: t0 + 60 * SECOND, bid: 2345 });
    expect(result.closed).toEqual({
      venue: 'mt5-demo', symbol: 'XAUUSD', timeframe: 'M1', openTime: t0, open: 2345.12, high: 2346.5, low: 2344.9, close: 2344.9, tickVolume: 3, realVolume: undefined,
    });
    expect(aggregator.forming()).toMatchObject({ openTime: t0 + 60 * SECOND, tickVolume: 1 });
  });

  it('closes a minute on a time mark past its end, and not before', () => {
    const aggregator = new TickAggregator('mt5-demo', 'XAUUSD');
    aggregator.add({ time: t0 + 5 * SECOND, bid: 1 });
    expect(aggregator.flush(t0 + 59 * SECOND)).toBeUndefined();
    expect(aggregator.flush(t0 + 60 * SECOND)).toMatchObject({ openTime: t0, tickVolume: 1 });
    expect(aggregator.forming()).toBeUndefined();
  });

  it('makes no bar for a minute without ticks', () => {
    const aggregator = new TickAggregator('mt5-demo', 'XAUUSD');
    aggregator.add({ time: t0, bid: 1 });
    const result = aggregator.add({ time: t0 + 5 * 60 * SECOND, bid: 2 });
    expect(result.closed?.openTime).toBe(t0);
    expect(aggregator.flush(t0 + 10 * 60 * SECOND)?.openTime).toBe(t0 + 5 * 60 * SECOND);
  });

  it('refuses a tick for a minute that is already closed instead of amending it', () => {
    const aggregator = new TickAggregator('mt5-demo', 'XAUUSD');
    aggregator.add({ time: t0 + 10 * SECOND, bid: 1 });
    aggregator.add({ time: t0 + 70 * SECOND, bid: 1 });
    expect(aggregator.add({ time: t0 + 30 * SECOND, bid: 5 })).toEqual({ accepted: false, reason: 'late', closed: undefined });
    aggregator.flush(t0 + 5 * 60 * SECOND);
    expect(aggregator.add({ time: t0 + 3 * 60 * SECOND, bid: 5 })).toMatchObject({ accepted: false, reason: 'late' });
  });

  it('refuses non-finite or non-positive bids', () => {
    const aggregator = new TickAggregator('mt5-demo', 'XAUUSD');
    expect(aggregator.add({ time: t0, bid: Number.NaN })).toMatchObject({ accepted: false, reason: 'invalid-price' });
    expect(aggregator.add({ time: t0, bid: 0 })).toMatchObject({ accepted: false, reason: 'invalid-price' });
  });

  it('sums traded volume where the venue reports it', () => {
    const aggregator = new TickAggregator('binance', 'BTCUSDT');
    aggregator.add({ time: t0, bid: 19_000, volume: 0.5 });
    aggregator.add({ time: t0 + SECOND, bid: 19_001, volume: 0.25 });
    expect(aggregator.flush(t0 + 60 * SECOND)).toMatchObject({ tickVolume: 2, realVolume: 0.75 });
  });
});

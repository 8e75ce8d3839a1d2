import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openMarketDataTestKit, SHARED_MARKET_DATA, type MarketDataTestKit } from '../../market-data-test-kit.fixture.js';

let kit: MarketDataTestKit;

beforeAll(async () => {
  // The clock stands long after the data: every bucket of the file is closed.
  kit = await openMarketDataTestKit({ clock: { now: () => new Date('2026-01-01T00:00:00Z') } });
  await kit.md.importBars.execute({ file: path.join(SHARED_MARKET_DATA, 'EURUSD_M1.mt5-export.csv'), venue: 'MT5', symbol: 'EURUSD', timeframe: 'M1', format: 'auto', timeZone: 'UTC', publish: false });
});

afterAll(async () => {
  await kit?.close();
});

describe('aggregating stored EURUSD M1 into higher timeframes', () => {
  it('stores H1 bars equal, bucket by bucket, to an independent recomputation in SQL from the stored M1 bars', async () => {
    const result = await kit.md.aggregateBars.execute({ venue: 'MT5', symbol: 'EURUSD', source: 'M1', targets: ['H1'], publish: false });
    // The recomputation: Postgres's own hour buckets, open of the first minute, max high, min low,
    // close of the last minute, summed tick volume. Nothing shared with the TypeScript aggregator.
    const { rows: expected } = await kit.pool.query(`
      SELECT date_trunc('hour', open_time) AS open_time,
        (array_agg(open ORDER BY open_time))[1] AS open, max(high) AS high, min(low) AS low,
        (array_agg(close ORDER BY open_time DESC))[1] AS close, sum(tick_volume)::bigint AS tick_volume
      FROM bars WHERE symbol = 'EURUSD' AND timeframe = 'M1' GROUP BY 1 ORDER BY 1`);
    const { rows: stored } = await kit.pool.query(
      `SELECT open_time, open, high, low, close, tick_volume FROM bars WHERE symbol = 'EURUSD' AND timeframe = 'H1' ORDER BY open_time`);
    expect(result.targets).toEqual([{ timeframe: 'H1', built: expected.length, inserted: expected.length, published: 0 }]);
    expect(stored).toEqual(expected);
  });

  it('builds every timeframe up to D1, with no bar for an hour without minutes (gaps stay gaps)', async () => {
    const result = await kit.md.aggregateBars.execute({ venue: 'MT5', symbol: 'EURUSD', source: 'M1', targets: ['M5', 'M15', 'M30', 'H1', 'H4', 'D1'], publish: false });
    const built = Object.fromEntries(result.targets.map((target) => [target.timeframe, target]));
    // H1 was stored by the test above: built again, inserted nothing.
    expect(built.H1).toMatchObject({ inserted: 0 });
    const { rows } = await kit.pool.query(`
      SELECT timeframe, count(*)::int AS n FROM bars WHERE symbol = 'EURUSD' AND timeframe <> 'M1' GROUP BY timeframe`);
    const counts = Object.fromEntries(rows.map((row) => [row.timeframe, row.n]));
    for (const [timeframe, minutes] of [['M5', 5], ['M15', 15], ['M30', 30], ['H1', 60], ['H4', 240], ['D1', 1440]] as const) {
      const { rows: buckets } = await kit.pool.query(
        `SELECT count(DISTINCT floor(extract(epoch from open_time) / ($1 * 60)))::int AS n FROM bars WHERE symbol = 'EURUSD' AND timeframe = 'M1'`, [minutes]);
      expect([timeframe, counts[timeframe]]).toEqual([timeframe, buckets[0].n]);
      expect(built[timeframe]!.built).toBe(buckets[0].n);
    }
  });
});

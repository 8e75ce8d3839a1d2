import type pg from 'pg';
import type { BarHistory, SeriesKey, StoredBar } from '../../application/ports.js';

type BarRow = [number, string, string, string, string, number, number | null, string | null];

const iso = (epochMs: number) => new Date(epochMs).toISOString();

type Bound = { readonly atOrBefore?: number; readonly before?: number };

function boundCondition(bound: Bound, values: unknown[]): string {
  let condition = '';
  if (bound.atOrBefore !== undefined) condition += ` AND open_time <= $${values.push(iso(bound.atOrBefore))}`;
  if (bound.before !== undefined) condition += ` AND open_time < $${values.push(iso(bound.before))}`;
  return condition;
}

const SELECT_BAR = `SELECT (extract(epoch from open_time) * 1000)::float8, trim_scale(open)::text, trim_scale(high)::text, trim_scale(low)::text,
  trim_scale(close)::text, tick_volume::float8, spread, trim_scale(real_volume)::text FROM bars`;

/**
 * Reads stored closed bars (`bars`, written by market-data) to warm strategies. The one place
 * this service reads another service's table: warming must not wait for market-data to answer,
 * and the rows are immutable once written. Prices come back as their decimal text and parse to
 * the same doubles as the bar messages' strings, so a warmed instance sees the very numbers a
 * live one saw.
 */
export class BarHistoryRepository implements BarHistory {
  constructor(private readonly pool: pg.Pool) {}

  async lastBars(key: SeriesKey, count: number, bound: Bound = {}): Promise<StoredBar[]> {
    if (count <= 0) return [];
    const values: unknown[] = [key.venue, key.symbol, key.timeframe, count];
    const condition = boundCondition(bound, values);
    const { rows } = await this.pool.query<BarRow>({
      // Newest first through the primary key (a backward index scan), reversed below.
      text: `${SELECT_BAR} WHERE venue = $1 AND symbol = $2 AND timeframe = $3${condition} ORDER BY open_time DESC LIMIT $4`,
      values,
      rowMode: 'array',
    } as pg.QueryConfig);
    const bars: StoredBar[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) bars[rows.length - 1 - i] = toBar(key, rows[i] as unknown as BarRow);
    return bars;
  }

  async countBars(key: SeriesKey, bound: Bound = {}): Promise<number> {
    const values: unknown[] = [key.venue, key.symbol, key.timeframe];
    const condition = boundCondition(bound, values);
    const { rows } = await this.pool.query<{ n: number }>(
      `SELECT count(*)::float8 AS n FROM bars WHERE venue = $1 AND symbol = $2 AND timeframe = $3${condition}`, values);
    return rows[0]?.n ?? 0;
  }

  async barsBetween(key: SeriesKey, after: number, before: number, limit: number): Promise<StoredBar[]> {
    const { rows } = await this.pool.query<BarRow>({
      text: `${SELECT_BAR} WHERE venue = $1 AND symbol = $2 AND timeframe = $3 AND open_time > $4 AND open_time < $5 ORDER BY open_time LIMIT $6`,
      values: [key.venue, key.symbol, key.timeframe, iso(after), iso(before), limit],
      rowMode: 'array',
    } as pg.QueryConfig);
    return rows.map((row) => toBar(key, row as unknown as BarRow));
  }

  async previousOpenTime(key: SeriesKey, openTime: number): Promise<number | undefined> {
    const { rows } = await this.pool.query<{ t: number }>(
      `SELECT (extract(epoch from open_time) * 1000)::float8 AS t FROM bars
       WHERE venue = $1 AND symbol = $2 AND timeframe = $3 AND open_time < $4 ORDER BY open_time DESC LIMIT 1`,
      [key.venue, key.symbol, key.timeframe, iso(openTime)],
    );
    return rows[0]?.t;
  }
}

function toBar(key: SeriesKey, row: BarRow): StoredBar {
  const bar: { -readonly [K in keyof StoredBar]: StoredBar[K] } = {
    venue: key.venue, symbol: key.symbol, timeframe: key.timeframe, openTime: row[0],
    open: Number(row[1]), high: Number(row[2]), low: Number(row[3]), close: Number(row[4]), tickVolume: row[5], closeText: row[4],
  };
  if (row[6] !== null) bar.spreadPoints = row[6];
  if (row[7] !== null) bar.realVolume = Number(row[7]);
  return bar;
}

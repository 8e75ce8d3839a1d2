import type { Timeframe } from '@mt5/contracts';
import type pg from 'pg';
import { BarCopyWriter } from './bar-copy-text.js';
import { BarCopySession, UNIQUE_VIOLATION, type BarWriteMode, type BarWriteResult } from './bar-copy.session.js';
import type { WireBar } from './wire-bar.js';

/** One stored series: bars of a symbol and timeframe on a venue. */
export interface SeriesKey {
  readonly venue: string;
  readonly symbol: string;
  readonly timeframe: Timeframe;
}

/** First and last stored bar and the count, per series. */
export interface CoverageRow extends SeriesKey {
  readonly first: number;
  readonly last: number;
  readonly bars: number;
}

export interface CoverageFilter {
  readonly venue?: string;
  readonly symbols?: readonly string[];
  readonly timeframe?: Timeframe;
}

const iso = (epochMs: number) => new Date(epochMs).toISOString();

// Prices come back as their exact decimal text without numeric(24,10)'s padding (`1.3696`, not
// `1.3696000000`); times as epoch ms (no Date parsing per row); arrays, not objects (replay is hot).
const SELECT_BAR = `SELECT (extract(epoch from open_time) * 1000)::float8, trim_scale(open)::text, trim_scale(high)::text,
  trim_scale(low)::text, trim_scale(close)::text, tick_volume::float8, spread, trim_scale(real_volume)::text FROM bars`;

type BarRow = [number, string, string, string, string, number, number | null, string | null];

/** Postgres access for bars: streaming bulk writes and keyset range reads. */
export class BarsRepository {
  constructor(readonly pool: pg.Pool) {}

  /** Open time of the newest stored bar of a series, or undefined when it has none. */
  async latestOpenTime(key: SeriesKey): Promise<number | undefined> {
    const { rows } = await this.pool.query<{ t: number | null }>(
      `SELECT (extract(epoch from max(open_time)) * 1000)::float8 AS t FROM bars WHERE venue = $1 AND symbol = $2 AND timeframe = $3`,
      [key.venue, key.symbol, key.timeframe],
    );
    return rows[0]?.t ?? undefined;
  }

  /** Append when nothing stored is at or after `firstNewTime`; merge otherwise (see {@link BarWriteMode}). */
  async chooseMode(key: SeriesKey, firstNewTime: number): Promise<BarWriteMode> {
    const latest = await this.latestOpenTime(key);
    return latest === undefined || latest < firstNewTime ? 'append' : 'merge';
  }

  openCopy(mode: BarWriteMode): Promise<BarCopySession> {
    return BarCopySession.open(this.pool, mode);
  }

  /**
   * Stores bars of one series, sorted by open time, idempotently. Returns what was inserted
   * (times included when `returnTimes`), so callers publish exactly the new bars.
   */
  async store(key: SeriesKey, bars: readonly WireBar[], returnTimes: boolean): Promise<BarWriteResult> {
    if (bars.length === 0) return { mode: 'merge', inserted: 0, insertedTimes: returnTimes ? [] : undefined };
    const mode = await this.chooseMode(key, bars[0]!.openTime);
    try {
      return await this.storeWith(mode, key, bars, returnTimes);
    } catch (error) {
      // Someone stored a bar of this series after we looked: merge instead.
      if (mode === 'append' && (error as { code?: string }).code === UNIQUE_VIOLATION) return this.storeWith('merge', key, bars, returnTimes);
      throw error;
    }
  }

  private async storeWith(mode: BarWriteMode, key: SeriesKey, bars: readonly WireBar[], returnTimes: boolean): Promise<BarWriteResult> {
    const writer = new BarCopyWriter(key.venue, key.symbol, key.timeframe);
    const session = await this.openCopy(mode);
    try {
      for (const bar of bars) {
        writer.wire(bar);
        const ready = writer.takeReady();
        if (ready.length > 0) await session.write(ready);
      }
      await session.write(writer.takeAll());
    } catch (error) {
      await session.rollback();
      throw error;
    }
    const result = await session.commit(returnTimes && mode === 'merge');
    return mode === 'append' && returnTimes ? { ...result, insertedTimes: bars.map((bar) => bar.openTime) } : result;
  }

  /**
   * Inserts bars of any series with one statement (arrays unnested, `ON CONFLICT DO NOTHING`): one
   * round trip and one implicit transaction however many bars and series, and no look-up first.
   * Returns the bars that were new, in the order given (a key given twice counts once). The live
   * path's writer: a batch of ticks closes a few bars of several symbols at a time, where a COPY
   * session per series cost seven round trips and a temporary table each (measured 20 ms a bar).
   */
  async insertNew(bars: readonly WireBar[]): Promise<WireBar[]> {
    if (bars.length === 0) return [];
    const columns: unknown[][] = BAR_ARRAY_TYPES.map(() => []);
    for (const bar of bars) {
      const values = [bar.venue, bar.symbol, bar.timeframe, iso(bar.openTime), bar.open, bar.high, bar.low, bar.close, bar.tickVolume, bar.spread ?? null, bar.realVolume ?? null];
      for (let i = 0; i < values.length; i++) columns[i]!.push(values[i]);
    }
    const { rows } = await this.pool.query<[string, string, string, number]>({
      text: `INSERT INTO bars (venue, symbol, timeframe, open_time, open, high, low, close, tick_volume, spread, real_volume)
        SELECT * FROM unnest(${BAR_ARRAY_TYPES.map((type, i) => `$${i + 1}::${type}[]`).join(', ')})
        ON CONFLICT DO NOTHING RETURNING venue, symbol, timeframe, (extract(epoch from open_time) * 1000)::float8`,
      values: columns,
      rowMode: 'array',
    } as pg.QueryConfig);
    const inserted = new Set(rows.map((row) => barKey(row[0], row[1], row[2], row[3])));
    return bars.filter((bar) => inserted.delete(barKey(bar.venue, bar.symbol, bar.timeframe, bar.openTime)));
  }

  /** Bars of a series with `after < openTime < before`, oldest first, at most `limit`. */
  async page(key: SeriesKey, after: number, before: number, limit: number): Promise<WireBar[]> {
    const { rows } = await this.pool.query<BarRow>({
      text: `${SELECT_BAR} WHERE venue = $1 AND symbol = $2 AND timeframe = $3 AND open_time > $4 AND open_time < $5 ORDER BY open_time LIMIT $6`,
      values: [key.venue, key.symbol, key.timeframe, iso(after), iso(before), limit],
      rowMode: 'array',
    } as pg.QueryConfig);
    return rows.map((row) => toWireBar(key, row as unknown as BarRow));
  }

  /** Bars of a series at the given open times (to publish what a merge inserted). */
  async atTimes(key: SeriesKey, times: readonly number[]): Promise<WireBar[]> {
    if (times.length === 0) return [];
    const { rows } = await this.pool.query<BarRow>({
      text: `${SELECT_BAR} WHERE venue = $1 AND symbol = $2 AND timeframe = $3 AND open_time = ANY($4::timestamptz[]) ORDER BY open_time`,
      values: [key.venue, key.symbol, key.timeframe, times.map(iso)],
      rowMode: 'array',
    } as pg.QueryConfig);
    return rows.map((row) => toWireBar(key, row as unknown as BarRow));
  }

  /** Open times (epoch ms) of a series with `from <= openTime < to`, oldest first. */
  async openTimes(key: SeriesKey, from: number, to: number): Promise<number[]> {
    const { rows } = await this.pool.query<[number]>({
      text: `SELECT (extract(epoch from open_time) * 1000)::float8 FROM bars
        WHERE venue = $1 AND symbol = $2 AND timeframe = $3 AND open_time >= $4 AND open_time < $5 ORDER BY open_time`,
      values: [key.venue, key.symbol, key.timeframe, iso(from), iso(to)],
      rowMode: 'array',
    } as pg.QueryConfig);
    return rows.map((row) => (row as unknown as [number])[0]);
  }

  /** Number of bars of a series with `from <= openTime < to`. */
  async count(key: SeriesKey, from: number, to: number): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>(
      'SELECT count(*)::float8 AS n FROM bars WHERE venue = $1 AND symbol = $2 AND timeframe = $3 AND open_time >= $4 AND open_time < $5',
      [key.venue, key.symbol, key.timeframe, iso(from), iso(to)],
    );
    return rows[0]?.n ?? 0;
  }

  /** First, last and count per series, optionally filtered. */
  async coverage(filter: CoverageFilter = {}): Promise<CoverageRow[]> {
    const conditions: string[] = [];
    const values: unknown[] = [];
    if (filter.venue) conditions.push(`venue = $${values.push(filter.venue)}`);
    if (filter.symbols?.length) conditions.push(`symbol = ANY($${values.push(filter.symbols)})`);
    if (filter.timeframe) conditions.push(`timeframe = $${values.push(filter.timeframe)}`);
    const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
    const { rows } = await this.pool.query<{ venue: string; symbol: string; timeframe: Timeframe; first: number; last: number; bars: number }>(
      `SELECT venue, symbol, timeframe, (extract(epoch from min(open_time)) * 1000)::float8 AS first,
         (extract(epoch from max(open_time)) * 1000)::float8 AS last, count(*)::float8 AS bars
       FROM bars ${where} GROUP BY venue, symbol, timeframe ORDER BY venue COLLATE "C", symbol COLLATE "C", array_position($${values.push(TIMEFRAME_ORDER)}::text[], timeframe)`,
      values,
    );
    return rows;
  }
}

/** Postgres types of the `bars` columns, in insert order, for `unnest` of one array each. */
const BAR_ARRAY_TYPES = ['text', 'text', 'text', 'timestamptz', 'numeric', 'numeric', 'numeric', 'numeric', 'bigint', 'int', 'numeric'] as const;

const barKey = (venue: string, symbol: string, timeframe: string, openTime: number) => `${venue}\u0000${symbol}\u0000${timeframe}\u0000${openTime}`;

const TIMEFRAME_ORDER = ['M1', 'M5', 'M15', 'M30', 'H1', 'H4', 'D1'];

function toWireBar(key: SeriesKey, row: BarRow): WireBar {
  const bar: { -readonly [K in keyof WireBar]: WireBar[K] } = {
    venue: key.venue, symbol: key.symbol, timeframe: key.timeframe, openTime: row[0],
    open: row[1], high: row[2], low: row[3], close: row[4], tickVolume: row[5],
  };
  if (row[6] !== null) bar.spread = row[6];
  if (row[7] !== null) bar.realVolume = row[7];
  return bar;
}

import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { BAR_COLUMNS } from './bar-copy-text.js';

/**
 * How rows reach `bars`:
 * - `append`: COPY straight into `bars`. Used when nothing stored for the series is at or after
 *   the first new bar, so no row can conflict. As fast as a raw COPY.
 * - `merge`: COPY into a temporary table, then `INSERT … ON CONFLICT DO NOTHING`: idempotent
 *   whatever is stored (a re-import inserts 0), at about half the speed.
 */
export const BarWriteModes = ['append', 'merge'] as const;
export type BarWriteMode = (typeof BarWriteModes)[number];

export interface BarWriteResult {
  readonly mode: BarWriteMode;
  readonly inserted: number;
  /** Open times (epoch ms) of the rows inserted, when asked for (to publish exactly those). */
  readonly insertedTimes: readonly number[] | undefined;
}

/** Postgres `unique_violation`: an append met a row written meanwhile by someone else. */
export const UNIQUE_VIOLATION = '23505';

/**
 * COPY data allowed to wait in memory before the writer waits for the server. Large enough that
 * the file is parsed while Postgres ingests earlier chunks (a 16 KiB default serialises the two),
 * small enough to bound memory.
 */
const BUFFERED_BYTES = 8 * 1024 * 1024;
const COLUMN_LIST = BAR_COLUMNS.map((column) => `"${column}"`).join(', ');

/**
 * A transaction opened before the first row is known: connecting, `BEGIN` and the look-up of the
 * series' newest stored bar run while the file's first chunk is read and parsed, instead of adding
 * three round trips in front of the COPY (on a busy server they cost as much as a file's COPY).
 */
export class PendingBarCopy {
  private client: pg.PoolClient | undefined;
  private latest: number | undefined;
  /** Resolves once the transaction is open and the newest stored open time (if asked) is known. */
  readonly ready: Promise<void>;

  private constructor(pool: pg.Pool, key: { venue: string; symbol: string; timeframe: string } | undefined) {
    this.ready = this.open(pool, key);
    // A begin that is abandoned before anyone awaits it must not become an unhandled rejection.
    this.ready.catch(() => undefined);
  }

  static begin(pool: pg.Pool, key: { venue: string; symbol: string; timeframe: string } | undefined): PendingBarCopy {
    return new PendingBarCopy(pool, key);
  }

  private async open(pool: pg.Pool, key: { venue: string; symbol: string; timeframe: string } | undefined): Promise<void> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      if (key) {
        const { rows } = await client.query<{ t: number | null }>(
          'SELECT (extract(epoch from max(open_time)) * 1000)::float8 AS t FROM bars WHERE venue = $1 AND symbol = $2 AND timeframe = $3',
          [key.venue, key.symbol, key.timeframe],
        );
        this.latest = rows[0]?.t ?? undefined;
      }
      this.client = client;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release();
      throw error;
    }
  }

  /** Newest stored open time of the series (after {@link ready}). */
  get latestOpenTime(): number | undefined {
    return this.latest;
  }

  /** Starts the COPY in the open transaction. */
  async start(mode: BarWriteMode): Promise<BarCopySession> {
    await this.ready;
    const client = this.client!;
    this.client = undefined;
    return BarCopySession.start(client, mode);
  }

  /** Ends the transaction unused (a file without an accepted bar, or a failure before the first). */
  async abandon(): Promise<void> {
    await this.ready.catch(() => undefined);
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
  }
}

/**
 * One transaction streaming COPY lines into `bars`: lines are buffered and written with
 * back-pressure, and nothing is visible until {@link commit}. One COPY stream per session, however
 * many rows.
 */
export class BarCopySession {
  private failure: Error | undefined;
  private closed = false;

  private constructor(
    private readonly client: pg.PoolClient,
    private readonly stream: NodeJS.WritableStream & { rowCount?: number },
    readonly mode: BarWriteMode,
    private readonly staging: string | undefined,
  ) {
    stream.on('error', (error: Error) => {
      this.failure ??= error;
    });
  }

  static async open(pool: pg.Pool, mode: BarWriteMode): Promise<BarCopySession> {
    return PendingBarCopy.begin(pool, undefined).start(mode);
  }

  /** Starts the COPY on a client inside an open transaction; rolls back and releases on failure. */
  static async start(client: pg.PoolClient, mode: BarWriteMode): Promise<BarCopySession> {
    try {
      let staging: string | undefined;
      if (mode === 'merge') {
        staging = '_md_bar_staging';
        // Same column types as `bars`, no constraints: the COPY never fails on a stored row.
        await client.query(`CREATE TEMP TABLE ${staging} ON COMMIT DROP AS SELECT ${COLUMN_LIST} FROM bars WITH NO DATA`);
      }
      const stream = client.query(copyFrom(`COPY ${staging ?? 'bars'} (${COLUMN_LIST}) FROM STDIN`, { highWaterMark: BUFFERED_BYTES }));
      return new BarCopySession(client, stream, mode, staging);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release();
      throw error;
    }
  }

  /** Sends chunks of COPY lines (see BarCopyWriter). Resolves at once unless the server is behind. */
  async write(chunks: readonly Buffer[]): Promise<void> {
    if (this.failure) throw this.failure;
    let full = false;
    for (const chunk of chunks) full = !this.stream.write(chunk) || full;
    if (full) await Promise.race([once(this.stream, 'drain'), once(this.stream, 'error')]);
    if (this.failure) throw this.failure;
  }

  /** Ends the COPY, merges when needed, commits. `returnTimes` lists the inserted open times. */
  async commit(returnTimes: boolean): Promise<BarWriteResult> {
    try {
      if (this.failure) throw this.failure;
      this.stream.end();
      await finished(this.stream);
      let inserted = this.stream.rowCount ?? 0;
      let insertedTimes: number[] | undefined;
      if (this.staging) {
        const returning = returnTimes ? ' RETURNING (extract(epoch from open_time) * 1000)::float8 AS t' : '';
        const result = await this.client.query<{ t: number }>(
          `INSERT INTO bars (${COLUMN_LIST}) SELECT ${COLUMN_LIST} FROM ${this.staging} ON CONFLICT DO NOTHING${returning}`,
        );
        inserted = result.rowCount ?? 0;
        if (returnTimes) insertedTimes = result.rows.map((row) => row.t);
      }
      await this.client.query('COMMIT');
      return { mode: this.mode, inserted, insertedTimes };
    } catch (error) {
      await this.rollback();
      throw error;
    } finally {
      this.release();
    }
  }

  async rollback(): Promise<void> {
    if (this.closed) return;
    if (!this.failure) this.failure = new Error('bar copy rolled back');
    (this.stream as unknown as { destroy?: (error?: Error) => void }).destroy?.();
    await this.client.query('ROLLBACK').catch(() => undefined);
    this.release();
  }

  private release(): void {
    if (this.closed) return;
    this.closed = true;
    this.client.release();
  }
}

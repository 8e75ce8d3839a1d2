import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { quoteIdent } from './connection.js';
import { copyLine, sqlParameter } from './copy-format.js';

/**
 * Bulk writes through `pg`, for the volumes Prisma's `createMany` is too slow for (measured on
 * this data: COPY ~220k rows/s, multi-row INSERT ~92k, createMany ~6k).
 *
 * Rows are arrays in the order of `columns`. Table and column names are the database's
 * snake_case names. Values: see copy-format.ts (Date, bigint, Decimal, plain object → JSON,
 * array → Postgres array; pass JSON arrays already stringified).
 */

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Postgres accepts at most 65535 bind parameters per statement. */
const MAX_PARAMETERS = 65_535;
const COPY_CHUNK_BYTES = 64 * 1024;

export type Row = readonly unknown[];
export type Rows = Iterable<Row> | AsyncIterable<Row>;

export interface BulkOptions {
  /** Run on this client (inside the caller's transaction) instead of a pooled one with its own transaction. */
  readonly client?: pg.PoolClient;
}

export interface CopyInsertOptions extends BulkOptions {
  /** Conflict target; default: any unique constraint (`ON CONFLICT DO NOTHING`). */
  readonly conflictColumns?: readonly string[];
}

export interface UpsertOptions extends BulkOptions {
  /** Rows per statement (default: as many as fit in 1000 rows and the parameter limit). */
  readonly chunkSize?: number;
  /**
   * Extra condition for the update, in SQL over the table and `EXCLUDED`, e.g.
   * `positions.snapshot_time <= EXCLUDED.snapshot_time` so an older snapshot never overwrites a
   * newer one. Trusted code only: it is pasted into the statement.
   */
  readonly updateWhere?: string;
}

export interface UpsertResult {
  readonly inserted: number;
  /** Rows that existed and were updated (0 with an empty update list: those are skipped). */
  readonly updated: number;
}

function identifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`invalid SQL identifier ${JSON.stringify(name)}`);
  return quoteIdent(name);
}

/** `table` or `schema.table`, validated and quoted. */
function tableName(name: string): string {
  return name.split('.').map(identifier).join('.');
}

function columnList(columns: readonly string[]): string {
  if (columns.length === 0) throw new Error('at least one column is required');
  return columns.map(identifier).join(', ');
}

async function* copyChunks(rows: Rows, width: number): AsyncGenerator<string> {
  let chunk = '';
  for await (const row of rows) {
    if (row.length !== width) throw new Error(`row has ${row.length} values for ${width} columns`);
    chunk += copyLine(row);
    if (chunk.length >= COPY_CHUNK_BYTES) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

let tempTableCounter = 0;

export class BulkWriter {
  constructor(private readonly pool: pg.Pool) {}

  /**
   * Loads `rows` with COPY into a temporary table, then `INSERT … SELECT … ON CONFLICT DO
   * NOTHING` into `table`. Idempotent: loading the same rows again inserts 0. Returns the number
   * of rows inserted (rows already present, or repeated within `rows`, are not counted).
   */
  async copyInsert(table: string, columns: readonly string[], rows: Rows, options: CopyInsertOptions = {}): Promise<number> {
    const target = tableName(table);
    const list = columnList(columns);
    // Unique per session; the prefix keeps it from shadowing a real table on the search_path.
    const staging = identifier(`_bulk_${table.replace(/\W/g, '_')}_${++tempTableCounter}`);
    const conflict = options.conflictColumns ? `(${columnList(options.conflictColumns)})` : '';
    return this.inTransaction(options.client, async (client, owned) => {
      // Only the listed columns, with the target's types and no constraints or defaults.
      await client.query(`CREATE TEMP TABLE ${staging} ${owned ? 'ON COMMIT DROP ' : ''}AS SELECT ${list} FROM ${target} WITH NO DATA`);
      try {
        const copy = client.query(copyFrom(`COPY ${staging} (${list}) FROM STDIN`));
        await pipeline(Readable.from(copyChunks(rows, columns.length)), copy);
        const result = await client.query(`INSERT INTO ${target} (${list}) SELECT ${list} FROM ${staging} ON CONFLICT ${conflict} DO NOTHING`);
        return result.rowCount ?? 0;
      } finally {
        if (!owned) await client.query(`DROP TABLE IF EXISTS ${staging}`);
      }
    });
  }

  /**
   * Multi-row `INSERT … ON CONFLICT (conflictColumns) DO UPDATE`, chunked under the parameter
   * limit, all chunks in one transaction. `updateColumns` defaults to every column outside the
   * conflict key; an empty list means "insert or skip". Within one call the last row for a key
   * wins (Postgres refuses to update the same row twice in one statement).
   */
  async upsertMany(
    table: string,
    columns: readonly string[],
    rows: Iterable<Row>,
    conflictColumns: readonly string[],
    updateColumns?: readonly string[],
    options: UpsertOptions = {},
  ): Promise<UpsertResult> {
    const target = tableName(table);
    const list = columnList(columns);
    const keyIndexes = conflictColumns.map((column) => {
      const index = columns.indexOf(column);
      if (index < 0) throw new Error(`conflict column ${column} is not among the inserted columns`);
      return index;
    });
    const updates = updateColumns ?? columns.filter((column) => !conflictColumns.includes(column));
    const action = updates.length === 0
      ? 'DO NOTHING'
      : `DO UPDATE SET ${updates.map((column) => `${identifier(column)} = EXCLUDED.${identifier(column)}`).join(', ')}` +
        (options.updateWhere ? ` WHERE ${options.updateWhere}` : '');
    const prefix = `INSERT INTO ${target} (${list}) VALUES `;
    // xmax = 0 only on a freshly inserted tuple: tells inserts from updates without a second query.
    const suffix = ` ON CONFLICT (${columnList(conflictColumns)}) ${action} RETURNING (xmax = 0) AS inserted`;
    const chunkSize = Math.max(1, Math.min(options.chunkSize ?? 1000, Math.floor(MAX_PARAMETERS / columns.length)));
    const unique = lastRowPerKey(rows, keyIndexes, columns.length);
    if (unique.length === 0) return { inserted: 0, updated: 0 };

    return this.inTransaction(options.client, async (client) => {
      let inserted = 0;
      let updated = 0;
      for (let start = 0; start < unique.length; start += chunkSize) {
        const chunk = unique.slice(start, start + chunkSize);
        const values: unknown[] = [];
        const tuples = chunk.map((row) => {
          const placeholders = row.map((value) => {
            values.push(sqlParameter(value));
            return `$${values.length}`;
          });
          return `(${placeholders.join(', ')})`;
        });
        const result = await client.query<{ inserted: boolean }>(prefix + tuples.join(', ') + suffix, values);
        for (const row of result.rows) {
          if (row.inserted) inserted++;
          else updated++;
        }
      }
      return { inserted, updated };
    });
  }

  private async inTransaction<T>(external: pg.PoolClient | undefined, work: (client: pg.PoolClient, owned: boolean) => Promise<T>): Promise<T> {
    if (external) return work(external, false);
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await work(client, true);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => {
        broken = rollbackError;
      });
      throw error;
    } finally {
      // A client whose rollback failed is not returned to the pool in an unknown state.
      client.release(broken);
    }
  }
}

function lastRowPerKey(rows: Iterable<Row>, keyIndexes: readonly number[], width: number): Row[] {
  const byKey = new Map<string, Row>();
  for (const row of rows) {
    if (row.length !== width) throw new Error(`row has ${row.length} values for ${width} columns`);
    const key = JSON.stringify(keyIndexes.map((index) => String(sqlParameter(row[index]))));
    byKey.delete(key); // re-insert so the Map keeps the last occurrence's position
    byKey.set(key, row);
  }
  return [...byKey.values()];
}

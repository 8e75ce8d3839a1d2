import type pg from 'pg';

/** A connection inside a transaction. */
export type Tx = pg.PoolClient;

/**
 * Runs `fn` in one transaction (READ COMMITTED) and commits; any error rolls back and is rethrown
 * as is, so the caller can tell a transient database failure (`isTransientDbError`) from a bug.
 * A connection whose rollback fails is discarded rather than returned to the pool.
 */
export async function inTransaction<T>(pool: pg.Pool, fn: (tx: Tx, opened: readonly Record<string, unknown>[]) => Promise<T>, opening?: string): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    // `opening` (one statement, values inlined as escaped literals) goes in the round trip of BEGIN:
    // a multi-statement simple query runs them in order, the second in the transaction.
    const begun = await client.query(opening ? `BEGIN; ${opening}` : 'BEGIN') as unknown as pg.QueryResult | pg.QueryResult[];
    const opened = Array.isArray(begun) ? (begun[1]?.rows ?? []) : [];
    const result = await fn(client, opened);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {
      broken = true;
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

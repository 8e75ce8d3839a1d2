import type pg from 'pg';

/** A connection inside a transaction. */
export type Tx = pg.PoolClient;

/**
 * Runs `fn` in one transaction (READ COMMITTED) and commits; any error rolls back and is rethrown
 * as is, so the caller can tell a transient database failure (`isTransientDbError`) from a bug.
 * A connection whose rollback fails is discarded rather than returned to the pool.
 */
export async function inTransaction<T>(pool: pg.Pool, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    const result = await fn(client);
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

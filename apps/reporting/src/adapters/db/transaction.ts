import { isTransientDbError } from '@mt5/infra/prisma';
import type pg from 'pg';

/** A connection or a pool: both answer `query`. */
export type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

/** A history write that failed; `retryable` tells the consumer to nak (true) or park it (false). */
export class HistoryWriteError extends Error {
  override readonly name = 'HistoryWriteError';
  constructor(readonly code: string, message: string, readonly retryable: boolean, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * Runs `work` in one transaction holding the account's advisory lock, so the event consumer and
 * the snapshot timer never interleave their writes for one account (daily rows are recomputed
 * from what is committed, and two writers would overwrite each other's figures). Database
 * failures are classified: transient ones (connection, deadlock, serialization) are retryable,
 * anything else is not and the message goes to the DLQ.
 */
export async function inAccountTransaction<T>(pool: pg.Pool, account: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    throw new HistoryWriteError('RPT.DB_UNAVAILABLE', `cannot reach Postgres: ${(error as Error).message}`, true, { cause: error });
  }
  let broken: Error | undefined;
  // pg-pool removes its error listener from a client it hands out: a connection dropped between
  // two queries (Postgres stopping, a network cut) would emit an unhandled 'error' and kill the
  // process. Noted here; the next query on it fails, transiently, and the message is retried.
  const onError = (error: Error) => {
    broken = error;
  };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    await client.query("SELECT pg_advisory_xact_lock(hashtext('reporting:account:' || $1))", [account]);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    if (error instanceof HistoryWriteError) throw error;
    const transient = isTransientDbError(error);
    // A connection that failed mid-transaction is not handed back to the pool.
    if (transient) broken = error as Error;
    throw new HistoryWriteError(transient ? 'RPT.DB_TRANSIENT' : 'RPT.WRITE_FAILED', (error as Error).message, transient, { cause: error });
  } finally {
    client.removeListener('error', onError);
    client.release(broken);
  }
}

import { createRequire } from 'node:module';
import pg from 'pg';

/** A connection inside a transaction. */
export type Tx = pg.PoolClient;

/** pg's own conversion of a JS value to the text it sends as a parameter (dates with their offset, arrays as literals, objects as JSON). */
const { prepareValue } = createRequire(import.meta.url)('pg/lib/utils.js') as { prepareValue(value: unknown): string | Buffer | null };

/**
 * A value as an SQL literal: exactly the text pg would send as a parameter, quoted by pg's
 * `escapeLiteral`, so it takes its type from the context as an untyped parameter does. Lets
 * statements share one simple-protocol round trip (which carries no parameters) with BEGIN or COMMIT.
 */
export function sqlLiteral(value: unknown): string {
  const text = prepareValue(value);
  if (text === null) return 'NULL';
  if (typeof text !== 'string') throw new Error('sqlLiteral: binary values cannot be inlined');
  return escapeLiteral(text);
}

/**
 * pg's `escapeLiteral`, same output (quotes and backslashes doubled, ` E'…'` when there is a
 * backslash), with native replaces instead of its character loop: the account context is tens of
 * kilobytes of JSON written by every unit.
 */
export function escapeLiteral(text: string): string {
  const quoted = `'${text.replace(/'/g, "''")}'`;
  return text.includes('\\') ? ` E${quoted.replace(/\\/g, '\\\\')}` : quoted;
}

/** `sql` with each `$n` replaced by the literal of `params[n - 1]`. */
export function inlineParams(sql: string, params: readonly unknown[]): string {
  return sql.replace(/\$(\d+)/g, (_match, n: string) => {
    const index = Number(n) - 1;
    if (index < 0 || index >= params.length) throw new Error(`inlineParams: $${n} has no value (${params.length} given)`);
    return sqlLiteral(params[index]);
  });
}

/**
 * Runs `fn` in one transaction (READ COMMITTED) and commits; any error rolls back and is rethrown
 * as is, so the caller can tell a transient database failure (`isTransientDbError`) from a bug.
 * A connection whose rollback fails is discarded rather than returned to the pool.
 */
export async function inTransaction<T>(pool: pg.Pool, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const { value } = await inRoundTrips(pool, [], async (tx) => ({ value: await fn(tx), closing: null }));
  return value;
}

/**
 * A transaction whose first and last round trips carry statements besides BEGIN and COMMIT
 * (values inlined with {@link inlineParams}): `opening` statements run right after BEGIN, in order
 * (each a statement of its own, so one after a `FOR UPDATE` sees what that lock waited for), and
 * their rows are handed to `fn`; the `closing` statement `fn` returns runs just before COMMIT.
 * A statement that fails skips the rest of its round trip, and the transaction rolls back.
 */
export async function inRoundTrips<T>(
  pool: pg.Pool, opening: readonly string[], fn: (tx: Tx, opened: readonly (readonly Record<string, unknown>[])[]) => Promise<{ value: T; closing: string | null }>,
): Promise<{ value: T }> {
  const client = await pool.connect();
  let broken = false;
  // pg-pool removes its error listener from a client it hands out: a connection dropped between
  // two queries (Postgres stopping) would emit an unhandled 'error' and kill the process.
  const onError = () => {
    broken = true;
  };
  client.on('error', onError);
  try {
    const begun = (await client.query(['BEGIN', ...opening].join('; '))) as unknown as pg.QueryResult | pg.QueryResult[];
    const opened = Array.isArray(begun) ? begun.slice(1).map((result) => result.rows as Record<string, unknown>[]) : [];
    const { value, closing } = await fn(client, opened);
    await client.query(closing ? `${closing}; COMMIT` : 'COMMIT');
    return { value };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {
      broken = true;
    });
    throw error;
  } finally {
    client.removeListener('error', onError);
    client.release(broken);
  }
}

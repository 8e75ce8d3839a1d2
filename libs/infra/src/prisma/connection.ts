import pg from 'pg';

/** A Postgres schema name we are willing to put into `search_path` and DDL unquoted-safe. */
const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export interface DatabaseTarget {
  /** Connection settings for `pg` (and `@prisma/adapter-pg`), with `search_path` set when a schema is named. */
  readonly poolConfig: pg.PoolConfig;
  /** The schema every unqualified name resolves to; `public` unless the URL or caller names one. */
  readonly schema: string;
}

/** Throws unless `name` is a plain schema identifier (letters, digits, `_`; not starting with a digit). */
export function assertSchemaName(name: string): string {
  if (!SCHEMA_NAME.test(name)) throw new Error(`invalid Postgres schema name ${JSON.stringify(name)}: use letters, digits and _`);
  return name;
}

/**
 * Turns a `postgresql://` URL into `pg` settings. Prisma's `?schema=<name>` parameter is honoured
 * (as Prisma's own CLI does) by setting the session `search_path`, so raw SQL, the migrator and
 * the Prisma client all see the same tables; an explicit `schema` argument wins over the URL.
 */
export function resolveDatabaseTarget(connectionString: string, schema?: string): DatabaseTarget {
  const url = new URL(connectionString);
  if (url.protocol !== 'postgresql:' && url.protocol !== 'postgres:') {
    throw new Error(`expected a postgresql:// URL, got ${url.protocol}//…`);
  }
  const fromUrl = url.searchParams.get('schema') ?? undefined;
  url.searchParams.delete('schema');
  const target = assertSchemaName(schema ?? fromUrl ?? 'public');
  const poolConfig: pg.PoolConfig = {
    connectionString: url.toString(),
    // Startup parameter: applies to every connection of the pool, before the first query.
    options: `-c search_path=${target}`,
  };
  return { poolConfig, schema: target };
}

/**
 * Same as {@link resolveDatabaseTarget} but with discrete fields instead of a connection string,
 * for code that must change one field (the database of a shadow copy): `pg` lets a
 * `connectionString` override discrete fields, never the other way round.
 */
export function discreteConnectionConfig(connectionString: string, schema?: string): DatabaseTarget {
  const { poolConfig, schema: target } = resolveDatabaseTarget(connectionString, schema);
  const url = new URL(poolConfig.connectionString as string);
  const sslmode = url.searchParams.get('sslmode');
  const config: pg.PoolConfig = {
    host: decodeURIComponent(url.hostname.replace(/^\[(.*)\]$/, '$1')) || undefined,
    port: url.port ? Number(url.port) : 5432,
    user: decodeURIComponent(url.username) || undefined,
    password: decodeURIComponent(url.password) || undefined,
    database: decodeURIComponent(url.pathname.replace(/^\//, '')) || undefined,
    ssl: sslmode && sslmode !== 'disable' ? { rejectUnauthorized: sslmode === 'verify-full' || sslmode === 'verify-ca' } : undefined,
    options: poolConfig.options,
  };
  return { poolConfig: config, schema: target };
}

/** Double-quotes an identifier for SQL text (table, column, schema names). */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

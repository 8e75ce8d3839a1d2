import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { quoteIdent, resolveDatabaseTarget } from './connection.js';
import { defaultMigrationsDir, readMigrationLock, readMigrations, scriptMatchesChecksum, type MigrationScript } from './migrations-directory.js';

/**
 * Applies `prisma/migrations` without the Prisma CLI (which downloads a native engine), with the
 * same bookkeeping as `prisma migrate deploy`: Prisma's `_prisma_migrations` table, its advisory
 * lock key and its sha256 checksums, so either tool can take over from the other.
 *
 * Differences, on purpose: each migration runs in one transaction (a failure leaves nothing
 * half-applied, and its row is recorded as rolled back so a fixed script can be rerun), and an
 * applied migration whose file changed stops the run instead of being ignored.
 */

/** The key `prisma migrate` passes to `pg_advisory_lock`; sharing it keeps the two tools from racing. */
export const PRISMA_MIGRATE_LOCK_KEY = 72707369;

export const MigrationErrorCodes = {
  CHECKSUM_MISMATCH: 'MIGRATE.CHECKSUM_MISMATCH',
  FAILED_MIGRATION: 'MIGRATE.FAILED_MIGRATION',
  SCRIPT_FAILED: 'MIGRATE.SCRIPT_FAILED',
  LOCK_TIMEOUT: 'MIGRATE.LOCK_TIMEOUT',
} as const;
export type MigrationErrorCode = (typeof MigrationErrorCodes)[keyof typeof MigrationErrorCodes];

/** A migration run that cannot proceed. Only a lock timeout is worth retrying as is. */
export class MigrationError extends Error {
  override readonly name = 'MigrationError';
  readonly retryable: boolean;
  constructor(readonly code: MigrationErrorCode, message: string, readonly migrations: readonly string[], options?: { cause?: unknown }) {
    super(`${code}: ${message}`, options);
    this.retryable = code === MigrationErrorCodes.LOCK_TIMEOUT;
  }
}

export interface ApplyMigrationsOptions {
  readonly connectionString: string;
  /** Target schema; default: the URL's `?schema=` or `public`. Created when missing. */
  readonly schema?: string;
  /** Default: the repository's `prisma/migrations`. */
  readonly migrationsDir?: string;
  /** How long to wait for another runner holding the lock (default 60 s). */
  readonly lockTimeoutMs?: number;
  /** Progress lines (default: silent). */
  readonly log?: (line: string) => void;
}

export interface ApplyMigrationsResult {
  readonly schema: string;
  /** Applied by this run, in order. */
  readonly applied: readonly string[];
  /** Already applied before this run. */
  readonly alreadyApplied: readonly string[];
  /** Recorded as applied in the database but absent from the folder (the database is ahead of this code). */
  readonly unknownInDatabase: readonly string[];
}

interface MigrationRow {
  readonly id: string;
  readonly checksum: string;
  readonly migration_name: string;
  readonly finished_at: Date | null;
  readonly rolled_back_at: Date | null;
}

/** Applies every pending migration; a no-op when the database is up to date. */
export async function applyMigrations(options: ApplyMigrationsOptions): Promise<ApplyMigrationsResult> {
  const log = options.log ?? (() => undefined);
  const migrationsDir = options.migrationsDir ?? defaultMigrationsDir();
  await readMigrationLock(migrationsDir);
  const migrations = await readMigrations(migrationsDir);
  const target = resolveDatabaseTarget(options.connectionString, options.schema);
  const table = `${quoteIdent(target.schema)}."_prisma_migrations"`;

  const client = new pg.Client({ ...target.poolConfig, application_name: 'mt5-migrate' });
  await client.connect();
  try {
    await acquireLock(client, options.lockTimeoutMs ?? 60_000);
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(target.schema)}`);
      await ensureMigrationsTable(client, table);
      const rows = (await client.query<MigrationRow>(
        `SELECT id, checksum, migration_name, finished_at, rolled_back_at FROM ${table} ORDER BY started_at, migration_name`,
      )).rows;
      const plan = planMigrations(migrations, rows);
      for (const name of plan.unknownInDatabase) log(`warning: ${name} is applied in the database but not in ${migrationsDir}`);
      for (const migration of plan.pending) {
        log(`applying ${migration.name}`);
        await applyOne(client, table, migration);
      }
      if (plan.pending.length === 0) log(`no pending migrations (${plan.alreadyApplied.length} applied) in schema ${target.schema}`);
      return {
        schema: target.schema,
        applied: plan.pending.map((migration) => migration.name),
        alreadyApplied: plan.alreadyApplied,
        unknownInDatabase: plan.unknownInDatabase,
      };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATE_LOCK_KEY]).catch(() => undefined);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}

interface MigrationPlan {
  readonly pending: readonly MigrationScript[];
  readonly alreadyApplied: readonly string[];
  readonly unknownInDatabase: readonly string[];
}

/** Decides what to run; refuses on a failed migration or an edited applied one before anything runs. */
export function planMigrations(migrations: readonly MigrationScript[], rows: readonly MigrationRow[]): MigrationPlan {
  const live = rows.filter((row) => row.rolled_back_at === null);
  const failed = live.filter((row) => row.finished_at === null).map((row) => row.migration_name);
  if (failed.length > 0) {
    throw new MigrationError(MigrationErrorCodes.FAILED_MIGRATION,
      `migration(s) ${failed.join(', ')} failed earlier and were left unfinished; fix the database, then mark them rolled back ` +
      `(prisma migrate resolve --rolled-back <name>, or set rolled_back_at in _prisma_migrations)`, failed);
  }
  const appliedByName = new Map(live.map((row) => [row.migration_name, row]));
  const edited = migrations.filter((migration) => {
    const row = appliedByName.get(migration.name);
    return row !== undefined && !scriptMatchesChecksum(migration.script, row.checksum);
  }).map((migration) => migration.name);
  if (edited.length > 0) {
    throw new MigrationError(MigrationErrorCodes.CHECKSUM_MISMATCH,
      `applied migration(s) ${edited.join(', ')} were modified after they were applied; restore the original migration.sql ` +
      `and put the change into a new migration`, edited);
  }
  const local = new Set(migrations.map((migration) => migration.name));
  return {
    pending: migrations.filter((migration) => !appliedByName.has(migration.name)),
    alreadyApplied: migrations.filter((migration) => appliedByName.has(migration.name)).map((migration) => migration.name),
    unknownInDatabase: [...appliedByName.keys()].filter((name) => !local.has(name)),
  };
}

async function acquireLock(client: pg.Client, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  // Polling pg_try_advisory_lock (rather than a blocking pg_advisory_lock) gives a clear timeout.
  for (;;) {
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [PRISMA_MIGRATE_LOCK_KEY]);
    if (rows[0]?.locked) return;
    if (Date.now() >= deadline) {
      throw new MigrationError(MigrationErrorCodes.LOCK_TIMEOUT, `another migration run held the lock for more than ${timeoutMs} ms`, []);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Prisma's own DDL for the table, so `prisma migrate` reads what we write. */
async function ensureMigrationsTable(client: pg.Client, table: string): Promise<void> {
  await client.query(`CREATE TABLE IF NOT EXISTS ${table} (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
  )`);
}

async function applyOne(client: pg.Client, table: string, migration: MigrationScript): Promise<void> {
  const id = randomUUID();
  try {
    await client.query('BEGIN');
    await client.query(`INSERT INTO ${table} (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, clock_timestamp(), 0)`,
      [id, migration.checksum, migration.name]);
    // No parameters: the simple query protocol runs the whole multi-statement script.
    await client.query(migration.script);
    await client.query(`UPDATE ${table} SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1`, [id]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    const logs = describePgError(error);
    // Recorded as rolled back (which it was): an audit trail that does not block the next run.
    await client.query(`INSERT INTO ${table} (id, checksum, migration_name, logs, started_at, rolled_back_at, applied_steps_count)
      VALUES ($1, $2, $3, $4, clock_timestamp(), clock_timestamp(), 0)`, [id, migration.checksum, migration.name, logs]).catch(() => undefined);
    throw new MigrationError(MigrationErrorCodes.SCRIPT_FAILED, `${migration.name} failed and was rolled back: ${logs}`, [migration.name], { cause: error });
  }
}

function describePgError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const pgError = error as Error & { code?: string; position?: string; detail?: string };
  const parts = [pgError.message];
  if (pgError.code) parts.push(`sqlstate=${pgError.code}`);
  if (pgError.position) parts.push(`position=${pgError.position}`);
  if (pgError.detail) parts.push(`detail=${pgError.detail}`);
  return parts.join(' ');
}

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { applyMigrations, MigrationError, MigrationErrorCodes } from './migrator.js';
import { defaultMigrationsDir, migrationChecksum, readMigrations } from './migrations-directory.js';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('DATABASE_URL is not set: run with jest.integration.config.js (its global setup provides Postgres)');

/** Every schema this file creates, dropped at the end. */
const schemas: string[] = [];
function freshSchema(): string {
  const name = `test_${randomBytes(5).toString('hex')}`;
  schemas.push(name);
  return name;
}

const admin = new pg.Client({ connectionString: databaseUrl });
let scratchDir: string;

/** A copy of the real migrations that a test may edit. */
async function copyOfMigrations(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(scratchDir, 'migrations-'));
  await fs.cp(defaultMigrationsDir(), dir, { recursive: true });
  return dir;
}

async function tablesIn(schema: string): Promise<string[]> {
  const { rows } = await admin.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`, [schema]);
  return rows.map((row) => row.table_name);
}

beforeAll(async () => {
  await admin.connect();
  scratchDir = await fs.mkdtemp(path.join(os.tmpdir(), 'mt5-migrator-'));
});

afterAll(async () => {
  for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await admin.end();
  await fs.rm(scratchDir, { recursive: true, force: true });
});

describe('applyMigrations', () => {
  it('builds every table from an empty schema and records each migration as Prisma does', async () => {
    const schema = freshSchema();
    const migrations = await readMigrations(defaultMigrationsDir());

    const result = await applyMigrations({ connectionString: databaseUrl, schema });

    expect(result.applied).toEqual(migrations.map((migration) => migration.name));
    expect(result.alreadyApplied).toEqual([]);
    expect(await tablesIn(schema)).toEqual(expect.arrayContaining([
      '_prisma_migrations', 'instruments', 'bars', 'import_runs', 'strategy_configs', 'signals', 'risk_decisions', 'orders',
      'order_events', 'deals', 'positions', 'trades', 'account_snapshots', 'daily_performance', 'trading_states',
      'trading_state_events', 'breaker_states', 'breaker_events', 'risk_states', 'audit_log', 'api_keys',
      'processed_messages', 'outbox',
    ]));
    const { rows } = await admin.query(
      `SELECT migration_name, checksum, finished_at IS NOT NULL AS finished, rolled_back_at, applied_steps_count, logs
         FROM "${schema}"._prisma_migrations ORDER BY migration_name`);
    expect(rows).toEqual(migrations.map((migration) => ({
      migration_name: migration.name,
      checksum: migrationChecksum(migration.script),
      finished: true,
      rolled_back_at: null,
      applied_steps_count: 1,
      logs: null,
    })));
  });

  it('takes the target schema from ?schema= in the URL', async () => {
    const schema = freshSchema();
    const url = new URL(databaseUrl);
    url.searchParams.set('schema', schema);

    const result = await applyMigrations({ connectionString: url.toString() });

    expect(result.schema).toBe(schema);
    expect(await tablesIn(schema)).toContain('bars');
  });

  it('is a no-op when run again', async () => {
    const schema = freshSchema();
    const first = await applyMigrations({ connectionString: databaseUrl, schema });

    const second = await applyMigrations({ connectionString: databaseUrl, schema });

    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toEqual(first.applied);
    const { rows } = await admin.query(`SELECT count(*)::int AS n FROM "${schema}"._prisma_migrations`);
    expect(rows[0].n).toBe(first.applied.length);
  });

  it('lets only one of two concurrent runs apply the migrations', async () => {
    const schema = freshSchema();

    const results = await Promise.all([
      applyMigrations({ connectionString: databaseUrl, schema }),
      applyMigrations({ connectionString: databaseUrl, schema }),
    ]);

    const appliedCounts = results.map((result) => result.applied.length).sort();
    expect(appliedCounts[0]).toBe(0);
    expect(appliedCounts[1]).toBeGreaterThan(0);
  });

  it('refuses to run when an applied migration was edited, and applies nothing new', async () => {
    const schema = freshSchema();
    const dir = await copyOfMigrations();
    const [first] = await readMigrations(dir);
    await applyMigrations({ connectionString: databaseUrl, schema, migrationsDir: dir });
    await fs.appendFile(path.join(dir, first.name, 'migration.sql'), '\n-- edited after it was applied\n');
    await fs.mkdir(path.join(dir, '99990101000000_later'));
    await fs.writeFile(path.join(dir, '99990101000000_later', 'migration.sql'), 'CREATE TABLE later_table (id int);');

    const attempt = applyMigrations({ connectionString: databaseUrl, schema, migrationsDir: dir });

    await expect(attempt).rejects.toBeInstanceOf(MigrationError);
    await expect(attempt).rejects.toMatchObject({ code: MigrationErrorCodes.CHECKSUM_MISMATCH, migrations: [first.name], retryable: false });
    expect(await tablesIn(schema)).not.toContain('later_table');
  });

  it('accepts an applied migration whose file only changed line endings (git checkout on Windows)', async () => {
    const schema = freshSchema();
    const dir = await copyOfMigrations();
    const [first] = await readMigrations(dir);
    await applyMigrations({ connectionString: databaseUrl, schema, migrationsDir: dir });
    await fs.writeFile(path.join(dir, first.name, 'migration.sql'), first.script.replaceAll('\n', '\r\n'));

    const result = await applyMigrations({ connectionString: databaseUrl, schema, migrationsDir: dir });

    expect(result.applied).toEqual([]);
  });

  it('rolls a failing migration back completely, records it as rolled back, and applies the fixed file next time', async () => {
    const schema = freshSchema();
    const dir = await copyOfMigrations();
    await applyMigrations({ connectionString: databaseUrl, schema, migrationsDir: dir });
    const broken = path.join(dir, '99990101000000_broken');
    await fs.mkdir(broken);
    await fs.writeFile(path.join(broken, 'migration.sql'), 'CREATE TABLE half_done (id int);\nSELECT no_such_function();\n');

    await expect(applyMigrations({ connectionString: databaseUrl, schema, migrationsDir: dir }))
      .rejects.toMatchObject({ code: MigrationErrorCodes.SCRIPT_FAILED, migrations: ['99990101000000_broken'] });
    expect(await tablesIn(schema)).not.toContain('half_done');
    const { rows } = await admin.query(
      `SELECT finished_at, rolled_back_at IS NOT NULL AS rolled_back, logs FROM "${schema}"._prisma_migrations WHERE migration_name = $1`,
      ['99990101000000_broken']);
    expect(rows).toEqual([{ finished_at: null, rolled_back: true, logs: expect.stringContaining('no_such_function') }]);

    await fs.writeFile(path.join(broken, 'migration.sql'), 'CREATE TABLE half_done (id int);\n');
    const retry = await applyMigrations({ connectionString: databaseUrl, schema, migrationsDir: dir });

    expect(retry.applied).toEqual(['99990101000000_broken']);
    expect(await tablesIn(schema)).toContain('half_done');
  });

  it('refuses to run past a migration another tool left unfinished', async () => {
    const schema = freshSchema();
    const dir = await copyOfMigrations();
    const [first] = await readMigrations(dir);
    await applyMigrations({ connectionString: databaseUrl, schema, migrationsDir: dir });
    // What `prisma migrate deploy` leaves behind when a non-transactional script fails midway.
    await admin.query(`UPDATE "${schema}"._prisma_migrations SET finished_at = NULL WHERE migration_name = $1`, [first.name]);

    await expect(applyMigrations({ connectionString: databaseUrl, schema, migrationsDir: dir }))
      .rejects.toMatchObject({ code: MigrationErrorCodes.FAILED_MIGRATION, migrations: [first.name] });
  });
});

import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { DiffParams, MigrationList, SchemaEngine } from '@prisma/schema-engine-wasm';
import { discreteConnectionConfig, quoteIdent } from './connection.js';
import { MIGRATION_LOCK_FILE, MIGRATION_SCRIPT_FILE, POSTGRES_MIGRATION_LOCK, readMigrationLock, readMigrations } from './migrations-directory.js';

/**
 * Development tooling, not loaded by services: Prisma's schema engine compiled to WebAssembly
 * (`@prisma/schema-engine-wasm`), driven through `@prisma/adapter-pg`, so migrations can be
 * generated on a machine where the Prisma CLI cannot download its native engine.
 *
 * Two workarounds, both for Prisma 7.10 with this engine build:
 * - The engine's catalogue queries return columns of the internal type `"char"` (OID 18), which
 *   adapter-pg does not map; {@link CatalogCharAsTextClient} reports them as `text` (pg already
 *   returns their value as a one-character string).
 * - adapter-pg drops its shadow database before closing the pool connected to it, which Postgres
 *   refuses; {@link connectToShadowDatabase} closes first and drops `WITH (FORCE)`.
 */

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

type QueryResultLike = { fields?: { dataTypeID: number }[] };

function reportCharAsText<T>(result: T): T {
  for (const part of Array.isArray(result) ? result : [result]) {
    for (const field of (part as QueryResultLike | undefined)?.fields ?? []) {
      if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
    }
  }
  return result;
}

/** A pg client whose results describe `"char"` columns as `text` (see the module comment). */
class CatalogCharAsTextClient extends pg.Client {
  // pg's overloads (callback or promise, config object or text) are forwarded untouched.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(config: any, values?: any, callback?: any): any {
    const done = typeof values === 'function' ? values : callback;
    if (typeof done === 'function') {
      const wrapped = (error: Error | null, result: unknown) => done(error, error ? result : reportCharAsText(result));
      return typeof values === 'function' ? super.query(config, wrapped) : super.query(config, values, wrapped);
    }
    const pending = super.query(config, values);
    return pending && typeof (pending as Promise<unknown>).then === 'function' ? (pending as Promise<unknown>).then(reportCharAsText) : pending;
  }
}

/**
 * A migration-aware adapter factory over `connectionString`, with a throwaway shadow database.
 * The engine never disposes the main connection itself, so `close` does (or the pool keeps the
 * process alive).
 */
function adapterFactory(connectionString: string): { factory: SqlMigrationAwareDriverAdapterFactory; close(): Promise<void> } {
  const { poolConfig } = discreteConnectionConfig(connectionString);
  const config: pg.PoolConfig = { ...poolConfig, Client: CatalogCharAsTextClient, max: 2 };
  const main = new PrismaPg(config);
  const opened: SqlDriverAdapter[] = [];
  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: main.provider,
    adapterName: main.adapterName,
    connect: async () => {
      const adapter = await main.connect();
      opened.push(adapter);
      return adapter;
    },
    connectToShadowDb: () => connectToShadowDatabase(config),
  };
  const close = async () => {
    await Promise.all(opened.splice(0).map((adapter) => adapter.dispose().catch(() => undefined)));
  };
  return { factory, close };
}

async function connectToShadowDatabase(config: pg.PoolConfig): Promise<SqlDriverAdapter> {
  const database = `prisma_migrate_shadow_db_${randomUUID().replaceAll('-', '')}`;
  const admin = new pg.Client(config);
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${quoteIdent(database)}`);
  } finally {
    await admin.end();
  }
  const adapter = await new PrismaPg({ ...config, database }).connect();
  const dispose = adapter.dispose.bind(adapter);
  adapter.dispose = async () => {
    await dispose();
    const dropper = new pg.Client(config);
    await dropper.connect();
    try {
      await dropper.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`);
    } finally {
      await dropper.end();
    }
  };
  return adapter;
}

type SchemaEngineModule = typeof import('@prisma/schema-engine-wasm');

/** The slice of the WebAssembly global used here (tsconfig has no DOM lib, which declares it). */
interface WasmGlobal {
  instantiate(bytes: Uint8Array, imports: Record<string, unknown>): Promise<{ instance: { exports: Record<string, unknown> } }>;
}

let engineModule: Promise<SchemaEngineModule> | undefined;

/**
 * Loads the wasm-bindgen glue and instantiates the module by hand: the package's entry imports
 * the `.wasm` file as an ES module, which Node 20 only allows behind `--experimental-wasm-modules`.
 */
function loadEngineModule(): Promise<SchemaEngineModule> {
  engineModule ??= (async () => {
    const require = createRequire(import.meta.url);
    const gluePath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const glue = (await import(gluePath)) as SchemaEngineModule & { __wbg_set_wasm(exports: unknown): void };
    const bytes = await fs.readFile(gluePath.replace(/schema_engine_bg\.js$/, 'schema_engine_bg.wasm'));
    const { WebAssembly } = globalThis as unknown as { WebAssembly: WasmGlobal };
    const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': glue });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start?: () => void }).__wbindgen_start?.();
    return glue;
  })();
  return engineModule;
}

export interface SchemaDiffOptions {
  /** Any database the role can connect to; the engine creates and drops a shadow database beside it (needs CREATEDB). */
  readonly connectionString: string;
  readonly migrationsDir: string;
  readonly schemaPath: string;
  /** Engine log lines (JSON), for debugging. */
  readonly onLog?: (line: string) => void;
}

/**
 * The SQL that takes a database built from `migrationsDir` to what `schemaPath` describes, or
 * null when they already agree. The engine replays the migrations into a shadow database to
 * learn the "from" side, exactly as `prisma migrate diff --from-migrations` does.
 */
export async function diffMigrationsToSchema(options: SchemaDiffOptions): Promise<string | null> {
  const wasm = await loadEngineModule();
  const schema = await fs.readFile(options.schemaPath, 'utf8');
  const migrationsList = await loadMigrationList(options.migrationsDir);
  const adapters = adapterFactory(options.connectionString);
  let engine: SchemaEngine | undefined;
  try {
    engine = await wasm.SchemaEngine.new(
      { datamodels: [[options.schemaPath, schema]] },
      (line: string) => options.onLog?.(line),
      await bindFactory(adapters.factory),
    );
    const params: DiffParams = {
      from: { tag: 'migrations', ...migrationsList },
      to: { tag: 'schemaDatamodel', files: [{ path: options.schemaPath, content: schema }] },
      script: true,
      // Exit code 2 means "there is a difference"; 0 means the script would be empty.
      exitCode: true,
      filters: { externalTables: [], externalEnums: [] },
    };
    const result = await engine.diff(params);
    return result.exitCode === 2 ? (result.stdout ?? '') : null;
  } finally {
    engine?.free();
    await adapters.close();
  }
}

async function bindFactory(factory: SqlMigrationAwareDriverAdapterFactory): Promise<object> {
  // The engine expects the error-capturing wrapper Prisma's CLI puts around every adapter.
  const { bindMigrationAwareSqlAdapterFactory } = await import('@prisma/driver-adapter-utils');
  return bindMigrationAwareSqlAdapterFactory(factory);
}

async function loadMigrationList(migrationsDir: string): Promise<MigrationList> {
  const migrations = await readMigrations(migrationsDir).catch((error: Error) => {
    if (/does not exist/.test(error.message)) return [];
    throw error;
  });
  return {
    baseDir: migrationsDir,
    // The engine insists on a lock file; an empty history gets the one Prisma would write.
    lockfile: { path: MIGRATION_LOCK_FILE, content: (await readMigrationLock(migrationsDir)) ?? POSTGRES_MIGRATION_LOCK },
    shadowDbInitScript: '',
    migrationDirectories: migrations.map((migration) => ({
      path: migration.name,
      migrationFile: { path: MIGRATION_SCRIPT_FILE, content: { tag: 'ok', value: migration.script } },
    })),
  };
}

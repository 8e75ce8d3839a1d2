#!/usr/bin/env node
// Container entry point (deploy/Dockerfile). One image runs any service, the migrations, or its
// own health check:
//
//   serve         node dist/apps/$SERVICE/src/main.js (default)
//   migrate       node dist/tools/migrate.js [args]: applies prisma/migrations to DATABASE_URL
//   wait-migrations
//                 waits until every migration of this image is recorded as applied in
//                 DATABASE_URL (the Kubernetes init container: the migration Job applies them)
//   healthcheck   exits 0 when http://127.0.0.1:$HTTP_PORT/health/live answers 2xx
//
// The service runs in this process (a dynamic import, not a child), so SIGTERM from Docker or
// Kubernetes reaches the service's own graceful shutdown directly.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Default HTTP ports, as in each app's config.ts; HTTP_PORT overrides. */
const defaultPorts = {
  'ops-gateway': 3000,
  'market-data': 3101,
  'signal-engine': 3102,
  'risk-guard': 3103,
  execution: 3104,
  'mt5-simulator': 3105,
  reporting: 3106,
};

const [command = 'serve', ...rest] = process.argv.slice(2);
const service = process.env.SERVICE ?? '';

switch (command) {
  case 'serve': {
    if (!(service in defaultPorts)) fail(`SERVICE must be one of ${Object.keys(defaultPorts).join(', ')} (got "${service}")`);
    const main = path.join(root, 'dist', 'apps', service, 'src', 'main.js');
    if (!existsSync(main)) fail(`${main} is missing: the image was built without ${service}`);
    process.env.OTEL_SERVICE_NAME ??= service;
    await import(pathToFileURL(main).href);
    break;
  }
  case 'migrate': {
    process.argv = [process.argv[0], path.join(root, 'dist', 'tools', 'migrate.js'), ...rest];
    await import(pathToFileURL(process.argv[1]).href);
    break;
  }
  case 'wait-migrations': {
    await waitForMigrations(Number(process.env.WAIT_MIGRATIONS_TIMEOUT_SECONDS ?? 600));
    break;
  }
  case 'healthcheck': {
    const port = process.env.HTTP_PORT ?? defaultPorts[service] ?? 3000;
    try {
      const response = await fetch(`http://127.0.0.1:${port}/health/live`, { signal: AbortSignal.timeout(2_500) });
      process.exit(response.ok ? 0 : 1);
    } catch {
      process.exit(1);
    }
    break;
  }
  default:
    fail(`unknown command "${command}" (serve | migrate | wait-migrations | healthcheck)`);
}

/**
 * Polls `_prisma_migrations` until each migration folder shipped in this image is there, finished,
 * not rolled back and with the same checksum: a pod never starts against an older schema. Any
 * error (Postgres not up yet, table missing) counts as "not yet".
 */
async function waitForMigrations(timeoutSeconds) {
  const url = process.env.DATABASE_URL;
  if (!url) fail('DATABASE_URL is not set');
  const prisma = (file) => import(pathToFileURL(path.join(root, 'dist', 'libs', 'infra', 'src', 'prisma', file)).href);
  const [{ default: pg }, { resolveDatabaseTarget, quoteIdent }, { defaultMigrationsDir, readMigrations }] =
    await Promise.all([import('pg'), prisma('connection.js'), prisma('migrations-directory.js')]);
  const wanted = await readMigrations(defaultMigrationsDir());
  const { poolConfig, schema } = resolveDatabaseTarget(url);
  const deadline = Date.now() + timeoutSeconds * 1000;
  let missing = wanted.map((m) => m.name);
  let lastError = '';
  while (Date.now() < deadline) {
    const client = new pg.Client({ ...poolConfig, connectionTimeoutMillis: 5_000 });
    try {
      await client.connect();
      const { rows } = await client.query(
        `SELECT migration_name, checksum FROM ${quoteIdent(schema)}."_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`);
      const applied = new Set(rows.map((row) => `${row.migration_name}:${row.checksum}`));
      missing = wanted.filter((m) => !applied.has(`${m.name}:${m.checksum}`)).map((m) => m.name);
      if (missing.length === 0) {
        console.log(`entrypoint: all ${wanted.length} migrations applied in schema ${schema}`);
        return;
      }
      lastError = '';
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    } finally {
      await client.end().catch(() => undefined);
    }
    console.log(`entrypoint: waiting for migrations: ${missing.join(', ')}${lastError ? ` (${lastError})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
  }
  fail(`migrations still missing after ${timeoutSeconds} s: ${missing.join(', ')}`);
}

function fail(message) {
  console.error(`entrypoint: ${message}`);
  process.exit(64);
}

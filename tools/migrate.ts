/**
 * Applies pending Prisma migrations (prisma/migrations) to DATABASE_URL, offline, with the same
 * `_prisma_migrations` bookkeeping as `prisma migrate deploy` (libs/infra/src/prisma/migrator.ts).
 *
 *   node dist/tools/migrate.js                 # DATABASE_URL, honouring ?schema=<name>
 *   node dist/tools/migrate.js --schema test_1 # another schema (created if missing)
 *
 * Exit codes: 0 applied or up to date, 1 refused or failed (the message says why).
 */
// Imported by path, not through '@mt5/infra/prisma': migrating must not need the generated client.
import { applyMigrations, MigrationError } from '../libs/infra/src/prisma/migrator.js';

function option(argv: string[], flag: string): string | undefined {
  const index = argv.indexOf(flag);
  return index >= 0 ? argv[index + 1] : undefined;
}

async function main(argv: string[]): Promise<number> {
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) {
    console.error('migrate: DATABASE_URL is not set');
    return 1;
  }
  const started = performance.now();
  const result = await applyMigrations({
    connectionString,
    schema: option(argv, '--schema'),
    migrationsDir: option(argv, '--dir'),
    log: (line) => console.log(`migrate: ${line}`),
  });
  const took = Math.round(performance.now() - started);
  console.log(`migrate: schema ${result.schema}: ${result.applied.length} applied, ${result.alreadyApplied.length} already applied (${took} ms)`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof MigrationError) console.error(`migrate: ${error.message}`);
    else console.error('migrate: failed:', error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);

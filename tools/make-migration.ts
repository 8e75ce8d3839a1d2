/**
 * Writes a new Prisma migration from the difference between prisma/migrations and
 * prisma/schema.prisma, offline (Prisma's schema engine as WebAssembly, see
 * libs/infra/src/prisma/schema-engine.ts). The equivalent of `prisma migrate dev --create-only`.
 *
 *   node tools/build.mjs && node dist/tools/make-migration.js <name>   # writes prisma/migrations/<timestamp>_<name>/
 *   node dist/tools/make-migration.js --check                          # exit 1 if schema.prisma has changes without a migration
 *
 * Needs DATABASE_URL (default: the local stack's) for a role with CREATEDB: the engine replays
 * the existing migrations into a temporary shadow database, which it drops afterwards.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { diffMigrationsToSchema } from '../libs/infra/src/prisma/schema-engine.js';
import { MIGRATION_LOCK_FILE, MIGRATION_SCRIPT_FILE, POSTGRES_MIGRATION_LOCK, defaultMigrationsDir } from '../libs/infra/src/prisma/migrations-directory.js';

const USAGE = 'usage: make-migration <name> | make-migration --check';

/** `20250102030405`, UTC, like Prisma's folder prefix. */
function timestamp(now: Date): string {
  return now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** Prisma's folder-name rule: lower case, anything but letters and digits becomes `_`. */
function migrationSlug(name: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  if (!slug) throw new Error(`"${name}" is not a usable migration name`);
  return slug.slice(0, 200);
}

async function main(argv: string[]): Promise<number> {
  const check = argv.includes('--check');
  const name = argv.find((arg) => !arg.startsWith('--'));
  if (!check && !name) {
    console.error(USAGE);
    return 64;
  }
  const migrationsDir = defaultMigrationsDir();
  const schemaPath = path.join(path.dirname(migrationsDir), 'schema.prisma');
  const connectionString = process.env.DATABASE_URL ?? 'postgresql://mt5:mt5@127.0.0.1:5432/mt5';
  const script = await diffMigrationsToSchema({ connectionString, migrationsDir, schemaPath });
  if (script === null) {
    console.log('schema.prisma and prisma/migrations agree: no migration needed');
    return 0;
  }
  if (check) {
    console.error('schema.prisma has changes that no migration contains; run make-migration <name>. The missing SQL:\n');
    console.error(script);
    return 1;
  }
  const folder = path.join(migrationsDir, `${timestamp(new Date())}_${migrationSlug(name as string)}`);
  await fs.mkdir(folder, { recursive: true });
  await fs.writeFile(path.join(folder, MIGRATION_SCRIPT_FILE), script);
  const lockFile = path.join(migrationsDir, MIGRATION_LOCK_FILE);
  await fs.writeFile(lockFile, POSTGRES_MIGRATION_LOCK, { flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  console.log(`wrote ${path.relative(process.cwd(), path.join(folder, MIGRATION_SCRIPT_FILE))}; review it, then apply with node dist/tools/migrate.js`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);

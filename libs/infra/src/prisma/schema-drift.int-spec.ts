import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { defaultMigrationsDir } from './migrations-directory.js';
import { diffMigrationsToSchema } from './schema-engine.js';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('DATABASE_URL is not set: run with jest.integration.config.js (its global setup provides Postgres)');

const migrationsDir = defaultMigrationsDir();
const schemaPath = path.join(path.dirname(migrationsDir), 'schema.prisma');
let scratchDir: string;

beforeAll(async () => {
  scratchDir = await fs.mkdtemp(path.join(os.tmpdir(), 'mt5-drift-'));
});

afterAll(async () => {
  await fs.rm(scratchDir, { recursive: true, force: true });
});

// Prisma's schema engine (WebAssembly) replays prisma/migrations into a shadow database and
// compares the result with schema.prisma: the same check as `make-migration --check`.
describe('prisma/schema.prisma and prisma/migrations', () => {
  it('describe the same database (every schema change has its migration)', async () => {
    const missing = await diffMigrationsToSchema({ connectionString: databaseUrl, migrationsDir, schemaPath });

    expect(missing).toBeNull();
  });

  it('would be reported as different after a model is added without a migration', async () => {
    const changed = path.join(scratchDir, 'schema.prisma');
    await fs.writeFile(changed, `${await fs.readFile(schemaPath, 'utf8')}\nmodel DriftProbe {\n  id Int @id\n  @@map("drift_probe")\n}\n`);

    const missing = await diffMigrationsToSchema({ connectionString: databaseUrl, migrationsDir, schemaPath: changed });

    expect(missing).toContain('CREATE TABLE "drift_probe"');
  });
});

// Postgres for services: the generated Prisma client as a Nest provider, the pg pool behind it,
// bulk writes, transient-error classification and the offline migrator.
// The schema-engine helper (schema-engine.ts) is development tooling and deliberately not exported.
export * from './prisma.tokens.js';
export * from './prisma.module.js';
export * from './prisma.service.js';
export * from './bulk-writer.js';
export * from './db-errors.js';
export * from './migrator.js';
export { resolveDatabaseTarget, assertSchemaName, quoteIdent, type DatabaseTarget } from './connection.js';
export { readMigrations, migrationChecksum, defaultMigrationsDir, type MigrationScript } from './migrations-directory.js';
// The generated Prisma namespace, for repositories: Prisma.Decimal, Prisma.OrderModel (row
// types), Prisma.OrderCreateInput ... Row types stay inside the namespace so they never clash
// with the contracts' wire types of the same name (Signal, Deal, Order).
export { Prisma } from './generated/client.js';

import { Global, Module, type DynamicModule } from '@nestjs/common';
import pg from 'pg';
import { BulkWriter } from './bulk-writer.js';
import { resolveDatabaseTarget } from './connection.js';
import { PrismaService } from './prisma.service.js';
import { PG_POOL, PRISMA_MODULE_OPTIONS, type PrismaModuleOptions } from './prisma.tokens.js';

/** Opens the process's pool. Idle-client errors (a restarted server) are surfaced by the next query, not thrown. */
export function createPgPool(options: PrismaModuleOptions): pg.Pool {
  const { poolConfig } = resolveDatabaseTarget(options.url, options.schema);
  const pool = new pg.Pool({
    ...poolConfig,
    max: options.poolMax ?? 10,
    application_name: options.applicationName,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client's error reaches the pool's 'error' (ignored: the pool drops that client). A
  // client checked out for a transaction has no listener of pg-pool's while it is out, and an
  // 'error' event without a listener (Postgres stopped or restarted mid-transaction) would end
  // the process; its query still rejects, so the caller sees the failure and retries.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

/**
 * Postgres for a service: {@link PrismaService} (typed queries), the `pg.Pool` behind it under
 * {@link PG_POOL} (raw SQL) and {@link BulkWriter} (COPY and multi-row upserts).
 */
@Global()
@Module({})
export class PrismaModule {
  static forRoot(options: PrismaModuleOptions): DynamicModule {
    return {
      module: PrismaModule,
      providers: [
        { provide: PRISMA_MODULE_OPTIONS, useValue: options },
        { provide: PG_POOL, inject: [PRISMA_MODULE_OPTIONS], useFactory: createPgPool },
        PrismaService,
        { provide: BulkWriter, inject: [PG_POOL], useFactory: (pool: pg.Pool) => new BulkWriter(pool) },
      ],
      exports: [PRISMA_MODULE_OPTIONS, PG_POOL, PrismaService, BulkWriter],
    };
  }
}

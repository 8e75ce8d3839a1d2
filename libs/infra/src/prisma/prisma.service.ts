import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from './generated/client.js';
import { PG_POOL, PRISMA_MODULE_OPTIONS, type PrismaModuleOptions } from './prisma.tokens.js';
import { resolveDatabaseTarget } from './connection.js';

/**
 * The generated Prisma client for this process, on `@prisma/adapter-pg` over the module's one
 * `pg.Pool` (shared with raw SQL and {@link BulkWriter}), so a process holds one set of
 * connections. It owns the pool's lifecycle: it connects at start-up (a missing database fails
 * the boot) and closes in `onApplicationShutdown`, after consumers stopped in
 * `beforeApplicationShutdown`, so in-flight handlers can still commit.
 */
@Injectable()
export class PrismaService extends PrismaClient implements OnModuleInit, OnApplicationShutdown {
  constructor(@Inject(PRISMA_MODULE_OPTIONS) options: PrismaModuleOptions, @Inject(PG_POOL) private readonly pool: pg.Pool) {
    const { schema } = resolveDatabaseTarget(options.url, options.schema);
    // `schema` makes the generated SQL name the schema; the pool's search_path covers raw SQL.
    super({ adapter: new PrismaPg(pool, { schema }) });
  }

  async onModuleInit(): Promise<void> {
    await this.$connect();
    // $connect is lazy with driver adapters; one round trip proves the database answers.
    await this.pool.query('SELECT 1');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.$disconnect().catch(() => undefined);
    await this.pool.end().catch(() => undefined);
  }
}

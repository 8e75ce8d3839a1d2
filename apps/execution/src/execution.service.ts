import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { LOGGER, type Logger } from '@mt5/infra/logging';
import { NatsService } from '@mt5/infra/nats';
import { PG_POOL } from '@mt5/infra/prisma';
import { RedisService } from '@mt5/infra/redis';
import { SERVICE_CONFIG } from '@mt5/infra/service';
import type pg from 'pg';
import type { ExecutionConfig } from './config.js';
import { ExecutionRuntime } from './execution.runtime.js';

/**
 * Nest's handle on the runtime: builds it once NATS, Postgres and Redis are up, starts it at
 * bootstrap and stops it before NATS drains. The runtime owns its command consumer (rather than
 * the shared ConsumerRegistry) so that commands waiting for the bridge are released first and the
 * bridge closes only after the in-flight command finished.
 */
@Injectable()
export class ExecutionService implements OnApplicationBootstrap, OnModuleDestroy, BeforeApplicationShutdown {
  private runtime: ExecutionRuntime | undefined;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ExecutionConfig,
    @Inject(NatsService) private readonly nats: NatsService,
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    @Inject(RedisService) private readonly redis: RedisService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.runtime = new ExecutionRuntime({
      config: this.config, nc: this.nats.nc, js: this.nats.js, pool: this.pool, redis: this.redis.client, logger: this.logger,
    });
    const address = await this.runtime.start();
    this.logger.info({ bridgePort: address.port, account: this.config.ACCOUNT_ID, mode: this.config.TRADING_MODE }, 'execution gateway started');
  }

  onModuleDestroy(): void {
    this.logger.info('execution stopping: commands waiting for the bridge are handed back');
    this.runtime?.release();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.runtime?.stop();
  }
}

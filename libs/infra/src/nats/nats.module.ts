import { Global, Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/nats-core';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { Streams, type ConsumerSpec, type StreamName } from '@mt5/contracts';
import type { Logger } from 'pino';
import { connectNats, type NatsConnectOptions } from './connection.js';
import { ensureConsumer, ensureStream, type ProvisionOptions } from './provisioning.js';
import { LOGGER } from '../logging/logger.tokens.js';
import { NATS_HEALTH, type HealthCheck } from '../health/health.tokens.js';

export interface NatsModuleOptions extends NatsConnectOptions {
  /** Streams this service provisions (or asserts) at start-up. */
  readonly streams: readonly StreamName[];
  /** Durable consumers this service provisions at start-up. */
  readonly consumers: readonly ConsumerSpec[];
  readonly provision?: ProvisionOptions;
  /** Seconds the drain may take on shutdown before the connection is closed. */
  readonly drainSeconds?: number;
}

export const NATS_OPTIONS = Symbol('NATS_OPTIONS');

/** Holds the connection, JetStream client and manager for the process; drains on shutdown. */
@Injectable()
export class NatsService implements OnApplicationShutdown {
  nc!: NatsConnection;
  js!: JetStreamClient;
  jsm!: JetStreamManager;

  constructor(@Inject(NATS_OPTIONS) readonly options: NatsModuleOptions, @Inject(LOGGER) private readonly logger: Logger) {}

  async connect(): Promise<void> {
    const handles = await connectNats(this.options, this.logger);
    Object.assign(this, handles);
    for (const name of this.options.streams) {
      const result = await ensureStream(this.jsm, Streams[name], this.options.provision);
      this.logger.info({ stream: name, result }, 'stream provisioned');
    }
    for (const consumer of this.options.consumers) {
      const result = await ensureConsumer(this.jsm, consumer, this.options.provision);
      this.logger.info({ stream: consumer.stream, consumer: consumer.durable, result }, 'consumer provisioned');
    }
  }

  /** Runs after every consumer stopped (they stop in `beforeApplicationShutdown`). */
  async onApplicationShutdown(): Promise<void> {
    if (!this.nc || this.nc.isClosed()) return;
    const timeout = new Promise((resolve) => setTimeout(resolve, (this.options.drainSeconds ?? 10) * 1000).unref());
    await Promise.race([this.nc.drain().catch(() => undefined), timeout]);
    if (!this.nc.isClosed()) await this.nc.close();
    this.logger.info('nats drained');
  }

  isHealthy(): boolean {
    return Boolean(this.nc) && !this.nc.isClosed() && !this.nc.isDraining() && this.nc.info !== undefined;
  }
}

@Global()
@Module({})
export class NatsModule {
  static forRoot(options: NatsModuleOptions): DynamicModule {
    return {
      module: NatsModule,
      providers: [
        { provide: NATS_OPTIONS, useValue: options },
        {
          provide: NatsService,
          inject: [NATS_OPTIONS, LOGGER],
          useFactory: async (opts: NatsModuleOptions, logger: Logger) => {
            const service = new NatsService(opts, logger);
            await service.connect();
            return service;
          },
        },
        {
          provide: NATS_HEALTH,
          inject: [NatsService],
          useFactory: (nats: NatsService): HealthCheck => ({
            name: 'nats',
            check: async () => {
              if (!nats.isHealthy()) throw new Error('not connected');
              const started = performance.now();
              await nats.nc.flush();
              return { rttMs: Math.round((performance.now() - started) * 100) / 100 };
            },
          }),
        },
      ],
      exports: [NatsService, NATS_HEALTH],
    };
  }
}

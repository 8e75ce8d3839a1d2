import { Global, Injectable, Module, type OnApplicationShutdown, type DynamicModule, type InjectionToken } from '@nestjs/common';
import type { ConsumerSpec, ServiceName, StreamName } from '@mt5/contracts';
import type { Logger } from 'pino';
import type { BaseConfig } from '../config/index.js';
import { HealthModule, NATS_HEALTH, POSTGRES_HEALTH, REDIS_HEALTH, postgresHealthProvider } from '../health/index.js';
import { LOGGER } from '../logging/index.js';
import { ConsumerRegistry, NatsModule, type ProvisionOptions } from '../nats/index.js';
import { RedisModule } from '../redis/index.js';
import { stopTelemetry } from '../telemetry/index.js';

/** Flushes spans last, after consumers stopped and NATS drained. */
@Injectable()
class TelemetryShutdown implements OnApplicationShutdown {
  async onApplicationShutdown(): Promise<void> {
    await stopTelemetry();
  }
}

export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');
export const SERVICE_NAME = Symbol('SERVICE_NAME');

export interface CoreModuleOptions {
  readonly service: ServiceName;
  readonly config: BaseConfig;
  readonly logger: Logger;
  readonly streams: readonly StreamName[];
  readonly consumers: readonly ConsumerSpec[];
  readonly uses: { readonly postgres: boolean; readonly redis: boolean };
  readonly provision?: ProvisionOptions;
}

/**
 * What every service has: its config and logger, NATS with its streams and consumers provisioned,
 * Redis and a Postgres readiness check when it uses them, `/health/*` and `/metrics`.
 */
@Global()
@Module({})
export class CoreModule {
  static forRoot(options: CoreModuleOptions): DynamicModule {
    const { config } = options;
    const checks: InjectionToken[] = [NATS_HEALTH];
    const imports: DynamicModule[] = [
      NatsModule.forRoot({
        url: config.NATS_URL, name: options.service, user: config.NATS_USER, password: config.NATS_PASSWORD,
        streams: options.streams, consumers: options.consumers, drainSeconds: config.SHUTDOWN_DRAIN_SECONDS,
        provision: { replicas: config.NATS_STREAM_REPLICAS, ...options.provision },
      }),
    ];
    const providers: DynamicModule['providers'] = [
      { provide: SERVICE_CONFIG, useValue: config },
      { provide: SERVICE_NAME, useValue: options.service },
      ConsumerRegistry,
      TelemetryShutdown,
    ];
    if (options.uses.redis) {
      imports.push(RedisModule.forRoot({ url: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX }));
      checks.push(REDIS_HEALTH);
    }
    if (options.uses.postgres) {
      providers.push(postgresHealthProvider(config.DATABASE_URL));
      checks.push(POSTGRES_HEALTH);
    }
    return {
      module: CoreModule,
      imports: [LoggerModule.forRoot(options.logger), ...imports, HealthModule.forRoot(checks)],
      providers,
      exports: [SERVICE_CONFIG, SERVICE_NAME, ConsumerRegistry, HealthModule, LoggerModule, ...(options.uses.postgres ? [POSTGRES_HEALTH] : [])],
    };
  }
}

@Global()
@Module({})
export class LoggerModule {
  static forRoot(logger: Logger): DynamicModule {
    return { module: LoggerModule, providers: [{ provide: LOGGER, useValue: logger }], exports: [LOGGER] };
  }
}

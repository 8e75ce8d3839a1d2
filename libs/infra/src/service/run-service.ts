import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplication, Type } from '@nestjs/common';
import { Subjects, type ServiceName } from '@mt5/contracts';
import type { Logger } from 'pino';
import type { BaseConfig } from '../config/index.js';
import { DependencyHealth, startDefaultMetrics } from '../health/index.js';
import { PinoNestLogger } from '../logging/index.js';
import { NatsService, serveQuery } from '../nats/index.js';

export interface RunServiceOptions {
  readonly service: ServiceName;
  readonly module: Type<unknown>;
  readonly config: BaseConfig & { HTTP_PORT: number };
  readonly logger: Logger;
  readonly version?: string;
  /** Extra set-up on the HTTP app before it listens (the gateway adds Helmet, Swagger, …). */
  readonly configure?: (app: INestApplication) => Promise<void> | void;
}

/**
 * Boots a service: Nest with JSON logs, `/health/*` and `/metrics` on HTTP_HOST:HTTP_PORT,
 * `<prefix>.qry.health` answered over NATS, and a graceful stop on SIGTERM/SIGINT: consumers stop
 * pulling and finish in-flight work, NATS drains, telemetry flushes, then the process exits.
 */
export async function runService(options: RunServiceOptions): Promise<INestApplication> {
  const { logger, config, service } = options;
  const startedAt = Date.now();
  startDefaultMetrics(service);
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));
  const app = await NestFactory.create(options.module, { logger: new PinoNestLogger(logger), abortOnError: false });
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  await options.configure?.(app);
  const nats = app.get(NatsService);
  const dependencies = app.get(DependencyHealth);
  serveQuery(nats.nc, {
    subject: Subjects.health(service),
    handle: async () => {
      const checks = await dependencies.run();
      const down = Object.values(checks).filter((c) => c.status === 'down').length;
      return {
        service, status: down === 0 ? 'ok' : 'degraded', checks, version: options.version ?? '0.1.0',
        uptimeSeconds: Math.round((Date.now() - startedAt) / 1000), pid: process.pid,
      };
    },
  }, logger);
  await app.listen(config.HTTP_PORT, config.HTTP_HOST);
  logger.info({ port: config.HTTP_PORT, host: config.HTTP_HOST }, `${service} ready`);
  return app;
}

/** Logs a fatal boot error (config, connection) as one JSON line and exits non-zero. */
export function exitOnBootFailure(logger: Logger, error: unknown): never {
  logger.fatal({ err: error }, (error as Error)?.message ?? 'boot failed');
  process.exit(1);
}

import { Controller, Get, Header, Inject, Module, type DynamicModule, type InjectionToken } from '@nestjs/common';
import { HealthCheck as TerminusHealthCheck, HealthCheckService, HealthIndicatorService, TerminusModule } from '@nestjs/terminus';
import pg from 'pg';
import { metricsRegistry } from './metrics.js';
import { POSTGRES_HEALTH, type HealthCheck } from './health.tokens.js';

export const HEALTH_CHECK_LIST = Symbol('HEALTH_CHECK_LIST');

/** Runs every dependency check with a timeout; used by HTTP readiness and the NATS health query. */
export class DependencyHealth {
  constructor(readonly checks: readonly HealthCheck[]) {}

  async run(timeoutMs = 2000): Promise<Record<string, { status: 'up' | 'down'; [key: string]: unknown }>> {
    const entries = await Promise.all(this.checks.map(async (c) => {
      try {
        const figures = await Promise.race([
          c.check(),
          new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs).unref()),
        ]);
        return [c.name, { status: 'up' as const, ...(figures ?? {}) }] as const;
      } catch (error) {
        return [c.name, { status: 'down' as const, message: (error as Error).message }] as const;
      }
    }));
    return Object.fromEntries(entries);
  }
}

@Controller('health')
class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    @Inject(DependencyHealth) private readonly dependencies: DependencyHealth,
  ) {}

  /** Liveness: the process and its event loop answer. No dependency is checked. */
  @Get('live')
  live() {
    return { status: 'ok' };
  }

  /** Readiness: every dependency (NATS, Postgres, Redis) answers. */
  @Get('ready')
  @TerminusHealthCheck()
  async ready() {
    const results = await this.dependencies.run();
    return this.health.check(Object.entries(results).map(([name, result]) => () => {
      const { status, ...figures } = result;
      const session = this.indicator.check(name);
      return status === 'up' ? session.up(figures) : session.down(figures);
    }));
  }
}

@Controller()
class MetricsController {
  @Get('metrics')
  @Header('Content-Type', metricsRegistry.contentType)
  metrics() {
    return metricsRegistry.metrics();
  }
}

/** A Postgres readiness check with its own one-connection pool (independent of Prisma). */
export function postgresHealthProvider(connectionString: string) {
  return {
    provide: POSTGRES_HEALTH,
    useFactory: (): HealthCheck => {
      const pool = new pg.Pool({ connectionString, max: 1, idleTimeoutMillis: 5000, connectionTimeoutMillis: 2000 });
      pool.on('error', () => undefined);
      return {
        name: 'postgres',
        check: async () => {
          const started = performance.now();
          await pool.query('select 1');
          return { rttMs: Math.round((performance.now() - started) * 100) / 100 };
        },
      };
    },
  };
}

@Module({})
export class HealthModule {
  /** `checks`: tokens of HealthCheck providers exported by the infra modules in use. */
  static forRoot(checks: InjectionToken[]): DynamicModule {
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController, MetricsController],
      providers: [{ provide: DependencyHealth, inject: checks, useFactory: (...list: HealthCheck[]) => new DependencyHealth(list) }],
      exports: [DependencyHealth],
    };
  }
}

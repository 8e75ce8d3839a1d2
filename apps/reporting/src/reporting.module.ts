import { Module, type DynamicModule } from '@nestjs/common';
import { Consumers } from '@mt5/contracts';
import type { Logger } from '@mt5/infra/logging';
import type { ProvisionOptions } from '@mt5/infra/nats';
import { PrismaModule } from '@mt5/infra/prisma';
import { CoreModule } from '@mt5/infra/service';
import type { ReportingConfig } from './config.js';
import { reportingProviders } from './reporting.runtime.js';
import { CLOCK, REPORTING_SETTINGS, systemClock, type Clock, type ReportingSettings } from './reporting.tokens.js';

/** Test seams: isolated streams and subjects, a clock the test owns. */
export interface ReportingModuleOptions {
  readonly provision?: ProvisionOptions;
  readonly clock?: Clock;
  /** Postgres schema (tests use one each). */
  readonly databaseSchema?: string;
}

@Module({})
export class ReportingModule {
  static forRoot(config: ReportingConfig, logger: Logger, options: ReportingModuleOptions = {}): DynamicModule {
    const settings: ReportingSettings = {
      magicToStrategy: config.REPORTING_STRATEGY_MAGICS,
      symbolDigits: config.REPORTING_SYMBOL_DIGITS,
      snapshotIntervalSeconds: config.REPORTING_SNAPSHOT_INTERVAL_SECONDS,
      provision: options.provision,
    };
    return {
      module: ReportingModule,
      imports: [
        CoreModule.forRoot({
          service: 'reporting', config, logger,
          streams: ['EXEC_EVT', 'RISK_EVT', 'DLQ'],
          consumers: [Consumers.reportingExecutionEvents, Consumers.reportingRiskEvents],
          uses: { postgres: true, redis: false },
          provision: options.provision,
        }),
        PrismaModule.forRoot({ url: config.DATABASE_URL, schema: options.databaseSchema, poolMax: config.REPORTING_DB_POOL_MAX, applicationName: 'reporting' }),
      ],
      providers: [
        { provide: REPORTING_SETTINGS, useValue: settings },
        { provide: CLOCK, useValue: options.clock ?? systemClock },
        ...reportingProviders,
      ],
    };
  }
}

import { Module, type DynamicModule } from '@nestjs/common';
import { Consumers } from '@mt5/contracts';
import type { Logger } from '@mt5/infra/logging';
import { PrismaModule } from '@mt5/infra/prisma';
import { CoreModule } from '@mt5/infra/service';
import type { RiskGuardConfig } from './config.js';
import { RISK_GUARD_OVERRIDES, RiskGuardRuntime, type RiskGuardOverrides } from './risk-guard.runtime.js';

@Module({})
export class RiskGuardModule {
  /** The service: core (NATS, Redis, health), Postgres, and the runtime that wires the use cases. */
  static forRoot(config: RiskGuardConfig, logger: Logger, overrides: RiskGuardOverrides = {}): DynamicModule {
    return {
      module: RiskGuardModule,
      imports: [
        CoreModule.forRoot({
          service: 'risk-guard', config, logger,
          streams: ['SIGNALS', 'EXEC_CMD', 'EXEC_EVT', 'RISK_EVT', 'DLQ'],
          consumers: [Consumers.riskGuardSignals, Consumers.riskGuardExecutionEvents],
          uses: { postgres: true, redis: true },
          ...(overrides.provision && { provision: overrides.provision }),
        }),
        PrismaModule.forRoot({ url: config.DATABASE_URL, applicationName: 'risk-guard', poolMax: 5 }),
      ],
      providers: [{ provide: RISK_GUARD_OVERRIDES, useValue: overrides }, RiskGuardRuntime],
      exports: [RiskGuardRuntime],
    };
  }
}

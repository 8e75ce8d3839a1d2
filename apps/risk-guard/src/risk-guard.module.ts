import { Module, type DynamicModule } from '@nestjs/common';
import { Consumers } from '@mt5/contracts';
import { CoreModule } from '@mt5/infra/service';
import type { Logger } from '@mt5/infra/logging';
import type { RiskGuardConfig } from './config.js';

@Module({})
export class RiskGuardModule {
  static forRoot(config: RiskGuardConfig, logger: Logger): DynamicModule {
    return {
      module: RiskGuardModule,
      imports: [
        CoreModule.forRoot({
          service: 'risk-guard', config, logger,
          streams: ['SIGNALS', 'EXEC_CMD', 'EXEC_EVT', 'RISK_EVT', 'DLQ'],
          consumers: [Consumers.riskGuardSignals, Consumers.riskGuardExecutionEvents],
          uses: { postgres: true, redis: true },
        }),
      ],
    };
  }
}

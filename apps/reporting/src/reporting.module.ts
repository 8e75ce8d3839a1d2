import { Module, type DynamicModule } from '@nestjs/common';
import { Consumers } from '@mt5/contracts';
import { CoreModule } from '@mt5/infra/service';
import type { Logger } from '@mt5/infra/logging';
import type { ReportingConfig } from './config.js';

@Module({})
export class ReportingModule {
  static forRoot(config: ReportingConfig, logger: Logger): DynamicModule {
    return {
      module: ReportingModule,
      imports: [
        CoreModule.forRoot({
          service: 'reporting', config, logger,
          streams: ['EXEC_EVT', 'RISK_EVT', 'DLQ'],
          consumers: [Consumers.reportingExecutionEvents, Consumers.reportingRiskEvents],
          uses: { postgres: true, redis: false },
        }),
      ],
    };
  }
}

import { Module, type DynamicModule } from '@nestjs/common';
import { Consumers } from '@mt5/contracts';
import { CoreModule } from '@mt5/infra/service';
import type { Logger } from '@mt5/infra/logging';
import type { ExecutionConfig } from './config.js';

@Module({})
export class ExecutionModule {
  static forRoot(config: ExecutionConfig, logger: Logger): DynamicModule {
    return {
      module: ExecutionModule,
      imports: [
        CoreModule.forRoot({
          service: 'execution', config, logger,
          streams: ['EXEC_CMD', 'EXEC_EVT', 'MD_TICKS', 'DLQ'],
          consumers: [Consumers.executionCommands(config.ACCOUNT_ID)],
          uses: { postgres: true, redis: true },
        }),
      ],
    };
  }
}

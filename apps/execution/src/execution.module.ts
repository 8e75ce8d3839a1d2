import { Module, type DynamicModule } from '@nestjs/common';
import { Consumers } from '@mt5/contracts';
import type { Logger } from '@mt5/infra/logging';
import { PrismaModule } from '@mt5/infra/prisma';
import { CoreModule } from '@mt5/infra/service';
import type { ExecutionConfig } from './config.js';
import { ExecutionService } from './execution.service.js';

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
        PrismaModule.forRoot({ url: config.DATABASE_URL, applicationName: 'execution', poolMax: 5 }),
      ],
      providers: [ExecutionService],
    };
  }
}

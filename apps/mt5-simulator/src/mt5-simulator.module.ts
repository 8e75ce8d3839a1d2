import { Module, type DynamicModule } from '@nestjs/common';
import { CoreModule } from '@mt5/infra/service';
import type { Logger } from '@mt5/infra/logging';
import type { Mt5SimulatorConfig } from './config.js';

@Module({})
export class Mt5SimulatorModule {
  static forRoot(config: Mt5SimulatorConfig, logger: Logger): DynamicModule {
    return {
      module: Mt5SimulatorModule,
      imports: [
        CoreModule.forRoot({
          service: 'mt5-simulator', config, logger,
          streams: [],
          consumers: [],
          uses: { postgres: false, redis: false },
        }),
      ],
    };
  }
}

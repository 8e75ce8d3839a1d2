import { Module, type DynamicModule } from '@nestjs/common';
import { Consumers } from '@mt5/contracts';
import { CoreModule } from '@mt5/infra/service';
import type { Logger } from '@mt5/infra/logging';
import type { SignalEngineConfig } from './config.js';

@Module({})
export class SignalEngineModule {
  static forRoot(config: SignalEngineConfig, logger: Logger): DynamicModule {
    return {
      module: SignalEngineModule,
      imports: [
        CoreModule.forRoot({
          service: 'signal-engine', config, logger,
          streams: ['MD_BARS', 'SIGNALS', 'DLQ'],
          consumers: [Consumers.signalEngineBars],
          uses: { postgres: true, redis: true },
        }),
      ],
    };
  }
}

import { Module, type DynamicModule } from '@nestjs/common';
import { Consumers } from '@mt5/contracts';
import type { Logger } from '@mt5/infra/logging';
import { PrismaModule } from '@mt5/infra/prisma';
import { CoreModule } from '@mt5/infra/service';
import type { SignalEngineConfig } from './config.js';
import { SIGNAL_ENGINE_OPTIONS, SignalEngineService, type SignalEngineOptions } from './signal-engine.service.js';

@Module({})
export class SignalEngineModule {
  static forRoot(config: SignalEngineConfig, logger: Logger, options: SignalEngineOptions = {}): DynamicModule {
    return {
      module: SignalEngineModule,
      imports: [
        CoreModule.forRoot({
          service: 'signal-engine', config, logger,
          streams: ['MD_BARS', 'SIGNALS', 'DLQ'],
          consumers: [Consumers.signalEngineBars],
          uses: { postgres: true, redis: true },
          provision: options.provision,
        }),
        PrismaModule.forRoot({ url: config.DATABASE_URL, applicationName: 'signal-engine', poolMax: 5 }),
      ],
      providers: [{ provide: SIGNAL_ENGINE_OPTIONS, useValue: options }, SignalEngineService],
    };
  }
}

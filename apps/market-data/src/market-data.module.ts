import { Module, type DynamicModule } from '@nestjs/common';
import { Consumers } from '@mt5/contracts';
import { CoreModule } from '@mt5/infra/service';
import type { Logger } from '@mt5/infra/logging';
import type { MarketDataConfig } from './config.js';

@Module({})
export class MarketDataModule {
  static forRoot(config: MarketDataConfig, logger: Logger): DynamicModule {
    return {
      module: MarketDataModule,
      imports: [
        CoreModule.forRoot({
          service: 'market-data', config, logger,
          streams: ['MD_BARS', 'MD_TICKS', 'DLQ'],
          consumers: [Consumers.marketDataTicks],
          uses: { postgres: true, redis: true },
        }),
      ],
    };
  }
}

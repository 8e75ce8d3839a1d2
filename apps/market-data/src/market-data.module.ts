import { Module, type DynamicModule } from '@nestjs/common';
import { Consumers } from '@mt5/contracts';
import { CoreModule } from '@mt5/infra/service';
import type { Logger } from '@mt5/infra/logging';
import { NatsService, type ProvisionOptions } from '@mt5/infra/nats';
import { PG_POOL, PrismaModule } from '@mt5/infra/prisma';
import { RedisService } from '@mt5/infra/redis';
import type pg from 'pg';
import type { MarketDataConfig } from './config.js';
import { composeMarketData } from './market-data.composition.js';
import { MARKET_DATA_PORTS, systemClock, type Clock, type MarketDataPorts } from './market-data.ports.js';
import { MARKET_DATA, MarketDataRuntime } from './market-data.runtime.js';

export interface MarketDataModuleOptions {
  /** Stream and subject namespace (integration tests); production passes none. */
  readonly provision?: ProvisionOptions;
  readonly clock?: Clock;
}

@Module({})
export class MarketDataModule {
  static forRoot(config: MarketDataConfig, logger: Logger, options: MarketDataModuleOptions = {}): DynamicModule {
    const provision = options.provision ?? {};
    return {
      module: MarketDataModule,
      imports: [
        CoreModule.forRoot({
          service: 'market-data', config, logger,
          streams: ['MD_BARS', 'MD_TICKS', 'DLQ'],
          consumers: config.MD_LIVE_TICKS ? [Consumers.marketDataTicks] : [],
          uses: { postgres: true, redis: true },
          provision: options.provision,
        }),
        PrismaModule.forRoot({ url: config.DATABASE_URL, applicationName: 'market-data', poolMax: 6 }),
      ],
      providers: [
        {
          provide: MARKET_DATA_PORTS,
          inject: [NatsService, PG_POOL, RedisService],
          useFactory: (nats: NatsService, pool: pg.Pool, redis: RedisService): MarketDataPorts => ({
            config, logger, pool, nc: nats.nc, js: nats.js, jsm: nats.jsm, redis: redis.client, provision, clock: options.clock ?? systemClock,
          }),
        },
        { provide: MARKET_DATA, inject: [MARKET_DATA_PORTS], useFactory: composeMarketData },
        MarketDataRuntime,
      ],
      exports: [MARKET_DATA_PORTS, MARKET_DATA, MarketDataRuntime],
    };
  }
}

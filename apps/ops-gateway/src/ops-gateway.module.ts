import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { CoreModule } from '@mt5/infra/service';
import type { Logger } from '@mt5/infra/logging';
import { PrismaModule, PrismaService } from '@mt5/infra/prisma';
import type { ProvisionOptions } from '@mt5/infra/nats';
import type { OpsGatewayConfig } from './config.js';
import { CacheAdminUseCase } from './application/cache/cache-admin.use-case.js';
import { InstrumentCatalogue } from './application/orders/instrument-catalogue.js';
import { ManualOrdersUseCase } from './application/orders/manual-orders.use-case.js';
import { OpenPositionsQuery } from './application/positions/open-positions.query.js';
import { StreamStatsUseCase } from './application/streams/stream-stats.use-case.js';
import { SystemHealthUseCase } from './application/system-health/system-health.use-case.js';
import { UpstreamClient } from './application/upstream/upstream.client.js';
import { GATEWAY_OPTIONS, type GatewayOptions } from './gateway.tokens.js';
import { SystemHealthController } from './http/health.controller.js';
import { MarketDataController } from './http/market-data.controller.js';
import { OpsController } from './http/ops.controller.js';
import { OrdersController } from './http/orders.controller.js';
import { ReportsController } from './http/reports.controller.js';
import { RiskController } from './http/risk.controller.js';
import { StrategiesController } from './http/strategies.controller.js';
import { AccessGuard } from './security/access.guard.js';
import { ApiKeysRepository } from './security/api-keys.repository.js';
import { AuditInterceptor } from './security/audit.interceptor.js';
import { AuditLogRepository } from './security/audit-log.repository.js';
import { KeyAuthenticator } from './security/key-authenticator.js';
import { RateLimitPolicy } from './security/rate-limit.policy.js';
import { RateLimitRedis } from './security/rate-limit-redis.js';
import { RedisRateLimiter } from './security/rate-limiter.js';
import { LiveStreamGateway } from './stream/live-stream.gateway.js';

/** Test hooks: a NATS namespace for isolation and a clock. Production passes none. */
export interface OpsGatewayModuleOptions {
  readonly provision?: ProvisionOptions;
  readonly now?: () => number;
}

export const API_CONTROLLERS = [
  SystemHealthController, MarketDataController, StrategiesController, RiskController, OrdersController, ReportsController, OpsController,
] as const;

@Module({})
export class OpsGatewayModule {
  static forRoot(config: OpsGatewayConfig, logger: Logger, options: OpsGatewayModuleOptions = {}): DynamicModule {
    const gatewayOptions: GatewayOptions = { config, ...options };
    return {
      module: OpsGatewayModule,
      imports: [
        CoreModule.forRoot({
          service: 'ops-gateway', config, logger,
          streams: [],
          consumers: [],
          uses: { postgres: true, redis: true },
          provision: options.provision,
        }),
        PrismaModule.forRoot({ url: config.DATABASE_URL, poolMax: 4, applicationName: 'ops-gateway' }),
      ],
      controllers: [...API_CONTROLLERS],
      providers: [
        { provide: GATEWAY_OPTIONS, useValue: gatewayOptions },
        { provide: InstrumentCatalogue, useFactory: () => InstrumentCatalogue.bundled(config.OPS_CATALOGUE_VENUE) },
        { provide: ApiKeysRepository, inject: [PrismaService], useFactory: (prisma: PrismaService) => new ApiKeysRepository(prisma) },
        {
          provide: KeyAuthenticator, inject: [ApiKeysRepository],
          useFactory: (keys: ApiKeysRepository) => new KeyAuthenticator(keys, config.OPS_KEY_CACHE_SECONDS * 1000, logger, options.now),
        },
        {
          provide: RateLimitPolicy, inject: [RateLimitRedis],
          useFactory: (redis: RateLimitRedis) => new RateLimitPolicy(new RedisRateLimiter(redis.client), config, logger),
        },
        RateLimitRedis,
        AuditLogRepository,
        UpstreamClient,
        OpenPositionsQuery,
        ManualOrdersUseCase,
        StreamStatsUseCase,
        CacheAdminUseCase,
        SystemHealthUseCase,
        LiveStreamGateway,
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_INTERCEPTOR, useClass: AuditInterceptor },
      ],
    };
  }
}

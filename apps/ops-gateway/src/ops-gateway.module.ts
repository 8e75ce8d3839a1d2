import { Module, type DynamicModule } from '@nestjs/common';
import { CoreModule } from '@mt5/infra/service';
import type { Logger } from '@mt5/infra/logging';
import type { OpsGatewayConfig } from './config.js';
import { SystemHealthUseCase } from './application/system-health/system-health.use-case.js';
import { SystemHealthController } from './http/health.controller.js';

@Module({})
export class OpsGatewayModule {
  static forRoot(config: OpsGatewayConfig, logger: Logger): DynamicModule {
    return {
      module: OpsGatewayModule,
      imports: [
        CoreModule.forRoot({
          service: 'ops-gateway', config, logger,
          streams: [],
          consumers: [],
          uses: { postgres: true, redis: true },
        }),
      ],
      controllers: [SystemHealthController],
      providers: [SystemHealthUseCase],
    };
  }
}

import { Inject, Injectable, Module, type DynamicModule, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { CoreModule } from '@mt5/infra/service';
import { LOGGER, type Logger } from '@mt5/infra/logging';
import { NatsService } from '@mt5/infra/nats';
import { SimulatorRuntime } from './application/simulator-runtime.js';
import type { Mt5SimulatorConfig } from './config.js';

const SIMULATOR_CONFIG = Symbol('SIMULATOR_CONFIG');

/** Starts the simulator once Nest is up and stops it before NATS drains. */
@Injectable()
export class SimulatorLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly runtime: SimulatorRuntime;

  constructor(@Inject(SIMULATOR_CONFIG) config: Mt5SimulatorConfig, nats: NatsService, @Inject(LOGGER) logger: Logger) {
    this.runtime = new SimulatorRuntime(config, nats.nc, logger);
  }

  onApplicationBootstrap(): void {
    this.runtime.start();
  }

  beforeApplicationShutdown(): void {
    this.runtime.stop();
  }
}

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
      providers: [{ provide: SIMULATOR_CONFIG, useValue: config }, SimulatorLifecycle],
    };
  }
}

import { createLogger } from '@mt5/infra/logging';
import { exitOnBootFailure, runService } from '@mt5/infra/service';
import { loadServiceConfig } from './config.js';
import { configureHttp } from './http/configure-http.js';
import { OpsGatewayModule } from './ops-gateway.module.js';

/** Validates config, wires the module and serves; any boot failure is logged and exits 1. */
export async function bootstrap(): Promise<void> {
  const bootLogger = createLogger('ops-gateway', process.env.LOG_LEVEL ?? 'info');
  try {
    const config = loadServiceConfig();
    const logger = createLogger('ops-gateway', config.LOG_LEVEL);
    await runService({
      service: 'ops-gateway', module: OpsGatewayModule.forRoot(config, logger) as never, config, logger,
      configure: (app) => configureHttp(app, config, logger),
    });
  } catch (error) {
    exitOnBootFailure(bootLogger, error);
  }
}

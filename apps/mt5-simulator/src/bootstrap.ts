import { createLogger } from '@mt5/infra/logging';
import { exitOnBootFailure, runService } from '@mt5/infra/service';
import { loadServiceConfig } from './config.js';
import { Mt5SimulatorModule } from './mt5-simulator.module.js';

/** Validates config, wires the module and serves; any boot failure is logged and exits 1. */
export async function bootstrap(): Promise<void> {
  const bootLogger = createLogger('mt5-simulator', process.env.LOG_LEVEL ?? 'info');
  try {
    const config = loadServiceConfig();
    const logger = createLogger('mt5-simulator', config.LOG_LEVEL);
    await runService({ service: 'mt5-simulator', module: Mt5SimulatorModule.forRoot(config, logger) as never, config, logger });
  } catch (error) {
    exitOnBootFailure(bootLogger, error);
  }
}

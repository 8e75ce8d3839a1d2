import { createLogger } from '@mt5/infra/logging';
import { exitOnBootFailure, runService } from '@mt5/infra/service';
import { loadServiceConfig } from './config.js';
import { SignalEngineModule } from './signal-engine.module.js';

/** Validates config, wires the module and serves; any boot failure is logged and exits 1. */
export async function bootstrap(): Promise<void> {
  const bootLogger = createLogger('signal-engine', process.env.LOG_LEVEL ?? 'info');
  try {
    const config = loadServiceConfig();
    const logger = createLogger('signal-engine', config.LOG_LEVEL);
    await runService({ service: 'signal-engine', module: SignalEngineModule.forRoot(config, logger) as never, config, logger });
  } catch (error) {
    exitOnBootFailure(bootLogger, error);
  }
}

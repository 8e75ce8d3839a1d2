import { createLogger } from '@mt5/infra/logging';
import { exitOnBootFailure, runService } from '@mt5/infra/service';
import { loadServiceConfig } from './config.js';
import { ReportingModule } from './reporting.module.js';

/** Validates config, wires the module and serves; any boot failure is logged and exits 1. */
export async function bootstrap(): Promise<void> {
  const bootLogger = createLogger('reporting', process.env.LOG_LEVEL ?? 'info');
  try {
    const config = loadServiceConfig();
    const logger = createLogger('reporting', config.LOG_LEVEL);
    await runService({ service: 'reporting', module: ReportingModule.forRoot(config, logger) as never, config, logger });
  } catch (error) {
    exitOnBootFailure(bootLogger, error);
  }
}

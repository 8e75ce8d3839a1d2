// Telemetry starts before Nest (and anything it instruments) is loaded.
import { startTelemetry } from '@mt5/infra/telemetry';
startTelemetry('execution');

const { createLogger } = await import('@mt5/infra/logging');
const { exitOnBootFailure, runService } = await import('@mt5/infra/service');
const { loadServiceConfig } = await import('./config.js');
const { ExecutionModule } = await import('./execution.module.js');

const bootLogger = createLogger('execution', process.env.LOG_LEVEL ?? 'info');
try {
  const config = loadServiceConfig();
  const logger = createLogger('execution', config.LOG_LEVEL);
  await runService({ service: 'execution', module: ExecutionModule.forRoot(config, logger) as never, config, logger });
} catch (error) {
  exitOnBootFailure(bootLogger, error);
}

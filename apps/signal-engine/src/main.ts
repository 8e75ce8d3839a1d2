// Telemetry starts before Nest (and anything it instruments) is loaded.
import { startTelemetry } from '@mt5/infra/telemetry';
startTelemetry('signal-engine');

const { createLogger } = await import('@mt5/infra/logging');
const { exitOnBootFailure, runService } = await import('@mt5/infra/service');
const { loadServiceConfig } = await import('./config.js');
const { SignalEngineModule } = await import('./signal-engine.module.js');

const bootLogger = createLogger('signal-engine', process.env.LOG_LEVEL ?? 'info');
try {
  const config = loadServiceConfig();
  const logger = createLogger('signal-engine', config.LOG_LEVEL);
  await runService({ service: 'signal-engine', module: SignalEngineModule.forRoot(config, logger) as never, config, logger });
} catch (error) {
  exitOnBootFailure(bootLogger, error);
}

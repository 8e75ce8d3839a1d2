// Telemetry starts before Nest (and anything it instruments) is loaded.
import { startTelemetry } from '@mt5/infra/telemetry';
startTelemetry('mt5-simulator');

const { createLogger } = await import('@mt5/infra/logging');
const { exitOnBootFailure, runService } = await import('@mt5/infra/service');
const { loadServiceConfig } = await import('./config.js');
const { Mt5SimulatorModule } = await import('./mt5-simulator.module.js');

const bootLogger = createLogger('mt5-simulator', process.env.LOG_LEVEL ?? 'info');
try {
  const config = loadServiceConfig();
  const logger = createLogger('mt5-simulator', config.LOG_LEVEL);
  await runService({ service: 'mt5-simulator', module: Mt5SimulatorModule.forRoot(config, logger) as never, config, logger });
} catch (error) {
  exitOnBootFailure(bootLogger, error);
}

// Telemetry starts before Nest (and anything it instruments) is loaded.
import { startTelemetry } from '@mt5/infra/telemetry';
startTelemetry('reporting');

const { createLogger } = await import('@mt5/infra/logging');
const { exitOnBootFailure, runService } = await import('@mt5/infra/service');
const { loadServiceConfig } = await import('./config.js');
const { ReportingModule } = await import('./reporting.module.js');

const bootLogger = createLogger('reporting', process.env.LOG_LEVEL ?? 'info');
try {
  const config = loadServiceConfig();
  const logger = createLogger('reporting', config.LOG_LEVEL);
  await runService({ service: 'reporting', module: ReportingModule.forRoot(config, logger) as never, config, logger });
} catch (error) {
  exitOnBootFailure(bootLogger, error);
}

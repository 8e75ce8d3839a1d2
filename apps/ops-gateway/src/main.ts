// Telemetry starts before Nest (and anything it instruments) is loaded.
import { startTelemetry } from '@mt5/infra/telemetry';
startTelemetry('ops-gateway');

const { createLogger } = await import('@mt5/infra/logging');
const { exitOnBootFailure, runService } = await import('@mt5/infra/service');
const { loadServiceConfig } = await import('./config.js');
const { OpsGatewayModule } = await import('./ops-gateway.module.js');

const bootLogger = createLogger('ops-gateway', process.env.LOG_LEVEL ?? 'info');
try {
  const config = loadServiceConfig();
  const logger = createLogger('ops-gateway', config.LOG_LEVEL);
  await runService({ service: 'ops-gateway', module: OpsGatewayModule.forRoot(config, logger) as never, config, logger });
} catch (error) {
  exitOnBootFailure(bootLogger, error);
}

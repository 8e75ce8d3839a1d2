// Telemetry starts before Nest (and anything it instruments) is loaded.
import { startTelemetry } from '@mt5/infra/telemetry';
startTelemetry('market-data');

const { createLogger } = await import('@mt5/infra/logging');
const { exitOnBootFailure, runService } = await import('@mt5/infra/service');
const { loadServiceConfig } = await import('./config.js');
const { MarketDataModule } = await import('./market-data.module.js');

const bootLogger = createLogger('market-data', process.env.LOG_LEVEL ?? 'info');
try {
  const config = loadServiceConfig();
  const logger = createLogger('market-data', config.LOG_LEVEL);
  await runService({ service: 'market-data', module: MarketDataModule.forRoot(config, logger) as never, config, logger });
} catch (error) {
  exitOnBootFailure(bootLogger, error);
}

// market-data CLI: `node dist/apps/market-data/src/cli.js <command>` (docs/market-data.md).
// Same use cases as the service, on connections opened for the one command (no HTTP server,
// no consumers). Exit codes: 0 done, 1 failed, 2 usage error, 130 interrupted.
import { ConfigError } from '@mt5/infra/config';
import { createLogger } from '@mt5/infra/logging';
import pino from 'pino';
import { parseCliArgs, USAGE, type CliCommand } from './cli/cli-args.js';
import { openCliPorts, type CliNeeds } from './cli/cli-context.js';
import { processIo } from './cli/commands/cli-io.js';
import { runImport } from './cli/commands/import.command.js';
import { runAggregate, runCoverage, runGaps, runInstrumentsLoad, runReplay } from './cli/commands/series.commands.js';
import { loadServiceConfig } from './config.js';
import { composeMarketData } from './market-data.composition.js';

function needs(command: CliCommand): CliNeeds {
  switch (command.command) {
    case 'import':
    case 'aggregate':
      return { nats: command.publish, redis: command.publish };
    case 'replay':
      return { nats: true, redis: true };
    case 'gaps':
      return { nats: command.backfill, redis: command.backfill };
    default:
      return { nats: false, redis: false };
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const parsed = parseCliArgs(argv);
  if (!parsed.ok) {
    processIo.error(`${parsed.error}\n\n${USAGE}`);
    return 2;
  }
  const command = parsed.value;
  if (command.command === 'help') {
    processIo.out(USAGE);
    return 0;
  }
  const config = loadServiceConfig({ LOG_LEVEL: 'warn', ...process.env });
  const logger = createLogger('market-data-cli', config.LOG_LEVEL, pino.destination(2));
  const { ports, close } = await openCliPorts(config, logger, needs(command));
  try {
    const md = composeMarketData(ports);
    const venue = config.MD_VENUE;
    switch (command.command) {
      case 'import':
        return await runImport(command, md, processIo, { venue, timeZone: config.MD_SOURCE_TZ, dataDir: config.MD_DATA_DIR });
      case 'coverage':
        return await runCoverage(command, md, processIo);
      case 'gaps':
        return await runGaps(command, md, processIo, venue);
      case 'aggregate':
        return await runAggregate(command, md, processIo, venue);
      case 'replay':
        return await runReplay(command, md, processIo, venue);
      case 'instruments-load':
        return await runInstrumentsLoad(command, md, processIo);
    }
  } finally {
    await close();
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  const message = error instanceof ConfigError ? error.message : `error: ${(error as Error).message ?? String(error)}`;
  processIo.error(message);
  process.exitCode = 1;
}

// signal-engine CLI: `node dist/apps/signal-engine/src/cli.js strategies <command>` (docs/signals.md).
// The same use case as the service's `sig.ctl.strategies.*`, on a connection opened for the one
// command. After a change it asks a running service to rebuild the strategy
// (`sig.ctl.strategies.reload`); a stopped service reads the configs when it starts.
import { ConfigError } from '@mt5/infra/config';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { createPgPool } from '@mt5/infra/prisma';
import { requestQuery } from '@mt5/infra/nats';
import { StrategyConfigsRepository } from './adapters/db/strategy-configs.repository.js';
import { SignalEngineSubjects } from './adapters/nats/control.schemas.js';
import { StrategyConfigsUseCase } from './application/strategy-configs/strategy-configs.use-case.js';
import { parseCliArgs, USAGE } from './cli/cli-args.js';
import { processIo, runStrategiesCommand } from './cli/strategies.command.js';
import { loadServiceConfig, type SignalEngineConfig } from './config.js';

async function connectQuietly(config: SignalEngineConfig): Promise<NatsConnection | undefined> {
  return connect({ servers: config.NATS_URL.split(','), name: 'signal-engine-cli', user: config.NATS_USER, pass: config.NATS_PASSWORD, timeout: 3_000, maxReconnectAttempts: 0 })
    .catch(() => undefined);
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
  const pool = createPgPool({ url: config.DATABASE_URL, poolMax: 2, applicationName: 'signal-engine-cli' });
  let nc: NatsConnection | undefined;
  try {
    await pool.query('SELECT 1').catch((error: Error) => {
      throw new Error(`cannot reach Postgres: ${error.message} (start it with: bash tools/stack.sh up infra)`, { cause: error });
    });
    const configs = new StrategyConfigsUseCase(new StrategyConfigsRepository(pool), {
      strategyChanged: async (id) => {
        nc ??= await connectQuietly(config);
        const reply = nc
          ? await requestQuery(nc, SignalEngineSubjects.strategyControl('reload'), { id }, 10_000).catch(() => undefined)
          : undefined;
        processIo.error(reply?.ok ? `signal-engine rebuilt ${id}` : `signal-engine not reachable: ${id} takes effect when it starts`);
      },
    });
    return await runStrategiesCommand(command, configs, processIo, config.SIG_VENUE);
  } finally {
    await nc?.drain().catch(() => undefined);
    await pool.end();
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  processIo.error(error instanceof ConfigError ? error.message : `error: ${(error as Error).message ?? String(error)}`);
  process.exitCode = 1;
}

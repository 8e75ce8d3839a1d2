import { randomUUID } from 'node:crypto';
import type { NatsConnection } from '@nats-io/nats-core';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { Logger } from '@mt5/infra/logging';
import type { ProvisionOptions } from '@mt5/infra/nats';
import { isTransientDbError } from '@mt5/infra/prisma';
import type pg from 'pg';
import { BarHistoryRepository } from './adapters/db/bar-history.repository.js';
import { SignalsRepository } from './adapters/db/signals.repository.js';
import { StrategyConfigsRepository } from './adapters/db/strategy-configs.repository.js';
import { broadcastReload } from './adapters/nats/control.handlers.js';
import { NatsSignalPublisher } from './adapters/nats/signal.publisher.js';
import { EvaluateBarUseCase } from './application/evaluate-bar/evaluate-bar.use-case.js';
import { StrategyRuntime } from './application/evaluate-bar/strategy-runtime.js';
import type { Clock } from './application/ports.js';
import { StrategyConfigsUseCase } from './application/strategy-configs/strategy-configs.use-case.js';
import type { SignalEngineConfig } from './config.js';

/** The connections and settings the engine works with; the service builds them from its Nest providers. */
export interface SignalEnginePorts {
  readonly config: SignalEngineConfig;
  readonly logger: Logger;
  readonly pool: pg.Pool;
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  /** Stream and subject namespace: empty in production, unique per integration test. */
  readonly provision: ProvisionOptions;
  readonly clock: Clock;
}

/** About 16 s of retries in place: a Postgres failover or restart, without reordering the bars behind. */
const COMMIT_RETRY_DELAYS_MS = [250, 500, 1_000, 2_000, 4_000, 8_000];

/** Every part of the running engine, wired once from the ports. */
export function composeSignalEngine(ports: SignalEnginePorts) {
  const { config, logger, pool } = ports;
  const instanceId = randomUUID();
  const configStore = new StrategyConfigsRepository(pool);
  const history = new BarHistoryRepository(pool);
  const signals = new SignalsRepository(pool);
  const runtime = new StrategyRuntime(configStore, history, signals, { factor: config.SIG_WARM_UP_FACTOR, maxBars: config.SIG_WARM_UP_MAX_BARS }, logger);
  const publisher = new NatsSignalPublisher(ports.js, pool, logger, { provision: ports.provision, relayIntervalMs: config.SIG_OUTBOX_RELAY_INTERVAL_MS });
  const configs = new StrategyConfigsUseCase(configStore, {
    // Rebuild here at once, then tell the other instances (partitions) to do the same.
    strategyChanged: async (id) => {
      await runtime.strategyChanged(id);
      broadcastReload(ports.nc, id, instanceId, ports.provision);
    },
  });
  return {
    instanceId,
    configStore,
    history,
    signals,
    runtime,
    publisher,
    configs,
    evaluate: new EvaluateBarUseCase(runtime, history, signals, ports.clock, {
      retry: { delaysMs: COMMIT_RETRY_DELAYS_MS, isTransient: isTransientDbError }, catchUpMaxBars: config.SIG_CATCH_UP_MAX_BARS,
    }, logger),
  };
}

export type SignalEngine = ReturnType<typeof composeSignalEngine>;

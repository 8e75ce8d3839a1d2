import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { Subscription } from '@nats-io/nats-core';
import { Consumers } from '@mt5/contracts';
import { LOGGER, type Logger } from '@mt5/infra/logging';
import { ConsumerRegistry, NatsService, type ProvisionOptions } from '@mt5/infra/nats';
import { PG_POOL } from '@mt5/infra/prisma';
import { SERVICE_CONFIG } from '@mt5/infra/service';
import type pg from 'pg';
import { createBarsConsumer } from './adapters/nats/bars.consumer.js';
import { serveControls } from './adapters/nats/control.handlers.js';
import { systemClock, type Clock } from './application/ports.js';
import type { SignalEngineConfig } from './config.js';
import { composeSignalEngine, type SignalEngine } from './signal-engine.composition.js';

/** Test seams of the service: a stream/subject namespace and a clock. Production passes none. */
export interface SignalEngineOptions {
  readonly provision?: ProvisionOptions;
  readonly clock?: Clock;
}

export const SIGNAL_ENGINE_OPTIONS = Symbol('SIGNAL_ENGINE_OPTIONS');

const DAY_MS = 86_400_000;

/**
 * Nest's handle on the engine. At bootstrap: builds and warms every enabled strategy from stored
 * bars, serves the queries and controls, starts the outbox relay, and only then starts the bars
 * consumer, so no bar is evaluated by a cold instance. On shutdown the shared registry stops the
 * consumer (the in-flight bar finishes) before NATS drains.
 */
@Injectable()
export class SignalEngineService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private engine: SignalEngine | undefined;
  private subscriptions: Subscription[] = [];
  private pruneTimer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: SignalEngineConfig,
    @Inject(NatsService) private readonly nats: NatsService,
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(ConsumerRegistry) private readonly consumers: ConsumerRegistry,
    @Inject(SIGNAL_ENGINE_OPTIONS) private readonly options: SignalEngineOptions,
  ) {}

  /** The running engine (for tests and diagnostics); undefined before bootstrap. */
  get running(): SignalEngine | undefined {
    return this.engine;
  }

  async onApplicationBootstrap(): Promise<void> {
    const provision = this.options.provision ?? {};
    const engine = composeSignalEngine({
      config: this.config, logger: this.logger, pool: this.pool, nc: this.nats.nc, js: this.nats.js, provision, clock: this.options.clock ?? systemClock,
    });
    this.engine = engine;
    await engine.runtime.loadAll();
    this.subscriptions = serveControls({
      nc: this.nats.nc, configs: engine.configs, runtime: engine.runtime, signals: engine.signals, logger: this.logger, provision,
      defaultVenue: this.config.SIG_VENUE, maxSignals: this.config.SIG_QUERY_MAX_SIGNALS, instanceId: engine.instanceId,
    });
    engine.publisher.startRelay();
    this.schedulePrune(engine);
    this.consumers.register(createBarsConsumer({
      js: this.nats.js, spec: Consumers.signalEngineBars, evaluate: engine.evaluate, publisher: engine.publisher, logger: this.logger, provision,
    }));
    this.logger.info({ instanceId: engine.instanceId }, 'signal engine consuming closed bars');
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearTimeout(this.pruneTimer);
    clearInterval(this.pruneTimer);
    this.engine?.publisher.stopRelay();
    for (const subscription of this.subscriptions) subscription.unsubscribe();
  }

  private schedulePrune(engine: SignalEngine): void {
    const prune = () => void engine.signals.pruneProcessed(this.config.SIG_PROCESSED_RETENTION_DAYS)
      .then((deleted) => deleted > 0 && this.logger.info({ deleted }, 'old processed-bar markers deleted'))
      .catch((error) => this.logger.warn({ err: error }, 'could not prune processed-bar markers'));
    // First pass a minute after start, out of the way of the warm-up.
    this.pruneTimer = setTimeout(() => {
      prune();
      this.pruneTimer = setInterval(prune, DAY_MS);
      this.pruneTimer.unref();
    }, 60_000);
    this.pruneTimer.unref();
  }
}

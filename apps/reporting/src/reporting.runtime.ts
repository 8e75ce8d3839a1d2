import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { Consumers } from '@mt5/contracts';
import { LOGGER } from '@mt5/infra/logging';
import { ConsumerRegistry, JetStreamConsumer, NatsService, streamName } from '@mt5/infra/nats';
import { PG_POOL } from '@mt5/infra/prisma';
import type { Subscription } from '@nats-io/transport-node';
import type pg from 'pg';
import type { Logger } from 'pino';
import { executionEventHandler, executionEventSchema, riskEventHandler, riskEventSchema } from './adapters/messaging/history-handlers.js';
import { serveReportingQueries } from './adapters/messaging/reporting-queries.js';
import { AccountHeartbeat } from './application/account-heartbeat/account-heartbeat.js';
import { HistoryRecorder } from './application/record-history/history-recorder.js';
import { CLOCK, REPORTING_SETTINGS, type Clock, type ReportingSettings } from './reporting.tokens.js';

/**
 * Wires reporting at run time: the durable consumers (execution events into the history; risk
 * events parsed and acknowledged), the snapshot heartbeat, and the `rpt.qry.*` queries. Stops the heartbeat and the
 * queries before the pool closes.
 */
@Injectable()
export class ReportingRuntime implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private queries: Subscription[] = [];

  constructor(
    private readonly nats: NatsService,
    private readonly registry: ConsumerRegistry,
    private readonly history: HistoryRecorder,
    private readonly heartbeat: AccountHeartbeat,
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(REPORTING_SETTINGS) private readonly settings: ReportingSettings,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    const { provision } = this.settings;
    this.registry.register(new JetStreamConsumer({
      js: this.nats.js, spec: Consumers.reportingExecutionEvents, schema: executionEventSchema, provision, logger: this.logger,
      handle: executionEventHandler(this.history, this.logger),
    }));
    this.registry.register(new JetStreamConsumer({
      js: this.nats.js, spec: Consumers.reportingRiskEvents, schema: riskEventSchema, provision, logger: this.logger,
      handle: riskEventHandler(this.logger),
    }));
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.heartbeat.start();
    this.queries = serveReportingQueries(this.nats.nc, this.pool, this.clock, this.logger, this.settings.provision);
  }

  async beforeApplicationShutdown(): Promise<void> {
    for (const subscription of this.queries) subscription.unsubscribe();
    await this.heartbeat.stop();
  }
}

/** Providers of the runtime's collaborators, built from the pool, settings, clock and logger. */
export const reportingProviders = [
  {
    provide: AccountHeartbeat,
    inject: [PG_POOL, CLOCK, REPORTING_SETTINGS, LOGGER, NatsService],
    useFactory: (pool: pg.Pool, clock: Clock, settings: ReportingSettings, logger: Logger, nats: NatsService) =>
      new AccountHeartbeat(pool, clock, settings.snapshotIntervalSeconds, logger, async () => {
        const spec = Consumers.reportingExecutionEvents;
        const info = await nats.jsm.consumers.info(streamName({ name: spec.stream }, settings.provision), spec.durable);
        return info.num_pending === 0 && info.num_ack_pending === 0;
      }),
  },
  {
    provide: HistoryRecorder,
    inject: [PG_POOL, REPORTING_SETTINGS, AccountHeartbeat],
    useFactory: (pool: pg.Pool, settings: ReportingSettings, heartbeat: AccountHeartbeat) =>
      new HistoryRecorder(pool, settings, Consumers.reportingExecutionEvents.durable, (snapshot) => heartbeat.remember(snapshot)),
  },
  ReportingRuntime,
];

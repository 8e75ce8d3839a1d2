import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import type { Subscription } from '@nats-io/nats-core';
import { BreakerKinds, type BreakerState } from '@mt5/contracts';
import { tradingStateSeverity } from '@mt5/domain/risk';
import { Metrics } from '@mt5/infra/health';
import { LOGGER, type Logger } from '@mt5/infra/logging';
import { ConsumerRegistry, NatsService, type ProvisionOptions } from '@mt5/infra/nats';
import { PG_POOL } from '@mt5/infra/prisma';
import { RedisService } from '@mt5/infra/redis';
import { SERVICE_CONFIG } from '@mt5/infra/service';
import type pg from 'pg';
import { loadInstrumentCatalogue } from './adapters/instruments/catalogue.loader.js';
import { cancelOrderMessage, decisionIds, decisionMessages } from './adapters/messages/decision.mapper.js';
import { OutboxPublisher } from './adapters/nats/outbox.publisher.js';
import { serveRiskApi } from './adapters/nats/risk-api.handlers.js';
import { executionEventsConsumer, signalsConsumer } from './adapters/nats/risk-consumers.js';
import { PgRiskStore } from './adapters/postgres/pg-risk.store.js';
import { RedisQuoteSource } from './adapters/redis/quote.source.js';
import { StateCache } from './adapters/redis/state.cache.js';
import { RedisTokenBucketLimiter } from './adapters/redis/token-bucket.limiter.js';
import type { AccountWorld } from './application/account-world.js';
import { CancelOrderUseCase } from './application/cancel-order/cancel-order.use-case.js';
import { ClosePositionUseCase } from './application/close-position/close-position.use-case.js';
import { ClockTickUseCase } from './application/clock-tick/clock-tick.use-case.js';
import { DecideOrderUseCase } from './application/decide-order/decide-order.use-case.js';
import { ApplyExecutionEventUseCase } from './application/execution-events/apply-execution-event.use-case.js';
import { systemClock, type Clock, type InstrumentCatalogue } from './application/ports.js';
import { RiskCommandsUseCase } from './application/risk-commands/risk-commands.use-case.js';
import { RiskQueriesUseCase } from './application/risk-queries/risk-queries.use-case.js';
import { toBreakerConfig, toRiskConfig, type RiskGuardConfig } from './config.js';

/** What a test (or an embedding) may replace: the clock, the NATS namespace, the catalogue. */
export interface RiskGuardOverrides {
  readonly clock?: Clock;
  readonly provision?: ProvisionOptions;
  readonly catalogue?: InstrumentCatalogue;
}

export const RISK_GUARD_OVERRIDES = Symbol('RISK_GUARD_OVERRIDES');

const breakerLevel: Record<BreakerState, number> = { CLOSED: 0, HALF_OPEN: 1, OPEN: 2 };

/** The state gauges after each commit: trading state per account, each breaker per account. */
function exportGauges(world: AccountWorld): void {
  const { risk } = world;
  const account = risk.account;
  Metrics.tradingState.set({ account }, tradingStateSeverity[risk.trading.state]);
  const states: Record<(typeof BreakerKinds)[number], BreakerState> = {
    DAILY_LOSS: risk.dailyLoss.status,
    MAX_DRAWDOWN: risk.drawdown.status,
    LOSING_STREAK: Object.values(risk.losingStreaks).some((streak) => streak.blockedUntil !== null) ? 'OPEN' : 'CLOSED',
    EXECUTION_FAILURES: risk.execution.status,
    KILL_SWITCH: risk.killSwitch.engaged ? 'OPEN' : 'CLOSED',
  };
  for (const breaker of BreakerKinds) Metrics.breakerState.set({ account, breaker }, breakerLevel[states[breaker]]);
}

/**
 * Wires risk-guard: use cases over Postgres (truth), Redis (quotes, rate limit, read cache) and
 * NATS (consumers, request/reply, outbox); starts the consumers, the API, the outbox relay and
 * the clock timer, and stops them first on shutdown.
 */
@Injectable()
export class RiskGuardRuntime implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  decide!: DecideOrderUseCase;
  executionEvents!: ApplyExecutionEventUseCase;
  commands!: RiskCommandsUseCase;
  queries!: RiskQueriesUseCase;
  clockTick!: ClockTickUseCase;
  outbox!: OutboxPublisher;
  store!: PgRiskStore;
  private closePosition!: ClosePositionUseCase;
  private cancelOrder!: CancelOrderUseCase;
  private subscriptions: Subscription[] = [];

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: RiskGuardConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(NatsService) private readonly nats: NatsService,
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    @Inject(RedisService) private readonly redis: RedisService,
    @Inject(ConsumerRegistry) private readonly registry: ConsumerRegistry,
    @Inject(RISK_GUARD_OVERRIDES) private readonly overrides: RiskGuardOverrides,
  ) {}

  async onModuleInit(): Promise<void> {
    const { config, logger, overrides } = this;
    const clock = overrides.clock ?? systemClock;
    const provision = overrides.provision;
    const catalogue = overrides.catalogue ?? (await loadInstrumentCatalogue(config.CATALOGUE_VENUE, config.INSTRUMENT_CATALOGUE_PATH));
    const breakers = toBreakerConfig(config);
    const commandValidityMs = config.ORDER_VALIDITY_SECONDS * 1000;
    this.outbox = new OutboxPublisher(this.nats.js, this.pool, logger, { provision, relayIntervalMs: config.OUTBOX_RELAY_INTERVAL_MS });
    this.store = new PgRiskStore(this.pool, this.outbox, new StateCache(this.redis.client, config.STATE_CACHE_TTL_SECONDS), logger, {
      breakers, commandValidityMs, flattenIncludesExternal: config.KILL_SWITCH_INCLUDES_EXTERNAL, onCommitted: exportGauges,
    });
    this.decide = new DecideOrderUseCase({
      store: this.store, clock, catalogue, riskConfig: toRiskConfig(config), defaultMagic: config.MANUAL_MAGIC, commandValidityMs,
      quotes: new RedisQuoteSource(this.redis.client, config.QUOTE_VENUE),
      limiter: new RedisTokenBucketLimiter(this.redis.client, { capacity: config.RATE_LIMIT_CAPACITY, refillPerSecond: config.RATE_LIMIT_REFILL_PER_SECOND }),
      wire: { ids: decisionIds, messages: (record, options) => decisionMessages(record, { ...options, commandValidityMs }) },
    });
    this.executionEvents = new ApplyExecutionEventUseCase(this.store, clock, catalogue, config.ACCOUNT_LEVERAGE, logger);
    this.commands = new RiskCommandsUseCase(this.store, clock);
    this.queries = new RiskQueriesUseCase(this.store, breakers);
    this.closePosition = new ClosePositionUseCase(this.store, this.decide);
    this.cancelOrder = new CancelOrderUseCase(this.store, clock, (request, now, cause) => cancelOrderMessage(request, now, cause, commandValidityMs));
    this.clockTick = new ClockTickUseCase(this.store, clock, logger);
    const consumerDeps = {
      js: this.nats.js, logger, provision, store: this.store, decide: this.decide, executionEvents: this.executionEvents, defaultAccount: config.ACCOUNT_ID,
    };
    this.registry.register(signalsConsumer(consumerDeps));
    this.registry.register(executionEventsConsumer(consumerDeps));
  }

  onApplicationBootstrap(): void {
    this.subscriptions = serveRiskApi({
      nc: this.nats.nc, logger: this.logger, provision: this.overrides.provision, defaultAccount: this.config.ACCOUNT_ID,
      decide: this.decide, closePosition: this.closePosition, cancelOrder: this.cancelOrder, commands: this.commands, queries: this.queries,
    });
    this.outbox.start();
    this.clockTick.start(this.config.CLOCK_TICK_MS);
  }

  async beforeApplicationShutdown(): Promise<void> {
    for (const subscription of this.subscriptions) subscription.unsubscribe();
    await this.clockTick.stop();
    await this.outbox.stop();
  }
}

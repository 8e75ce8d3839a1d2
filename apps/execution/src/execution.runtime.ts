import type { AddressInfo } from 'node:net';
import type { NatsConnection, Subscription } from '@nats-io/nats-core';
import type { JetStreamClient } from '@nats-io/jetstream';
import { BridgeHealthMessage, Consumers, createMessage, type BridgeFrame, type BridgeHealth, type ConsumerSpec } from '@mt5/contracts';
import { Metrics } from '@mt5/infra/health';
import type { Logger } from '@mt5/infra/logging';
import { encodeEnvelope, envelopeHeaders, subjectIn, type JetStreamConsumer, type ProvisionOptions } from '@mt5/infra/nats';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import { BridgeLink } from './adapters/bridge/bridge-link.js';
import { createCommandConsumer } from './adapters/nats/command.consumer.js';
import { serveExecutionQueries } from './adapters/nats/execution.queries.js';
import { NatsOutboxPublisher } from './adapters/nats/outbox.publisher.js';
import { NatsRiskRecheck } from './adapters/nats/risk-recheck.client.js';
import { TickPublisher } from './adapters/nats/tick.publisher.js';
import { PgOrderStore } from './adapters/persistence/pg-order.store.js';
import { RedisTokenBucket } from './adapters/redis/redis-token-bucket.js';
import { CommandHandler } from './application/commands/command-handler.js';
import type { ExecutionContext, ExecutionHooks } from './application/execution-context.js';
import { FillRecorder } from './application/fills/fill-recorder.js';
import { CircuitBreaker, CircuitStates } from './application/guards/circuit-breaker.js';
import { GuardedTerminal } from './application/guards/guarded-terminal.js';
import { systemClock, type Clock, type RateLimiter, type RiskRecheck } from './application/ports.js';
import { PositionSync } from './application/positions/position-sync.js';
import { Reconciler } from './application/reconcile/reconciler.js';
import { AsyncLock } from './application/session/async-lock.js';
import { BridgeGate, type GateState } from './application/session/bridge-gate.js';
import { MarketState } from './application/session/market-state.js';
import { SessionSupervisor } from './application/session/session-supervisor.js';
import { OrderSettler } from './application/settle-order/order-settler.js';
import { OrderExecutor } from './application/submit-order/order-executor.js';
import type { ExecutionConfig } from './config.js';

export interface ExecutionRuntimeOptions {
  readonly config: ExecutionConfig;
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly pool: pg.Pool;
  readonly redis: Redis;
  readonly logger: Logger;
  /** Test isolation: stream and subject namespace. */
  readonly provision?: ProvisionOptions;
  /** Default `Consumers.executionCommands(ACCOUNT_ID)`; tests shorten the ack wait. */
  readonly consumerSpec?: ConsumerSpec;
  readonly clock?: Clock;
  readonly hooks?: ExecutionHooks;
  /** Replace the Redis limiter or the NATS risk client (tests). */
  readonly rateLimiter?: RateLimiter;
  readonly risk?: RiskRecheck;
}

/**
 * The execution service without Nest: builds the use cases around one account and wires them to
 * NATS, Postgres, Redis and the bridge listener. Nest (execution.module.ts) creates one at boot;
 * integration tests create, stop and re-create them to play crashes and restarts.
 */
export class ExecutionRuntime {
  readonly store: PgOrderStore;
  readonly gate: BridgeGate;
  readonly market = new MarketState();
  readonly link: BridgeLink;
  readonly commands: CommandHandler;
  readonly supervisor: SessionSupervisor;
  private readonly breaker: CircuitBreaker;
  private readonly outbox: NatsOutboxPublisher;
  private readonly consumer: JetStreamConsumer<unknown>;
  private readonly positionSync: PositionSync;
  private readonly ticks: TickPublisher;
  private readonly stopping = new AbortController();
  private queries: Subscription[] = [];
  /** Recent gate states with the time they began (health, tests). */
  readonly gateChanges: { readonly state: GateState; readonly at: number }[] = [];

  constructor(private readonly options: ExecutionRuntimeOptions) {
    const { config, logger, provision } = options;
    const account = config.ACCOUNT_ID;
    const clock = options.clock ?? systemClock;
    this.store = new PgOrderStore(options.pool);
    this.breaker = new CircuitBreaker({
      failureThreshold: config.BREAKER_FAILURE_THRESHOLD, cooldownMs: config.BREAKER_COOLDOWN_MS, now: () => performance.now(),
      onChange: (state) => {
        Metrics.breakerState.set({ account, breaker: 'bridge' }, CircuitStates[state]);
        logger.warn({ state }, 'bridge circuit breaker changed state');
      },
    });
    this.link = new BridgeLink({
      account, host: config.BRIDGE_HOST, port: config.BRIDGE_PORT, secret: config.BRIDGE_SHARED_SECRET, heartbeatIntervalMs: config.BRIDGE_HEARTBEAT_MS,
      tradeTimeoutMs: config.TRADE_TIMEOUT_MS, queryTimeoutMs: config.QUERY_TIMEOUT_MS, tradingMode: config.TRADING_MODE, logger,
      ...(config.BRIDGE_TLS_CERT_PATH && config.BRIDGE_TLS_KEY_PATH ? { tls: { certPath: config.BRIDGE_TLS_CERT_PATH, keyPath: config.BRIDGE_TLS_KEY_PATH } } : {}),
    }, {
      connected: () => {
        this.breaker.reset();
        this.supervisor.connected();
        this.publishHealth();
      },
      disconnected: () => {
        this.supervisor.disconnected();
        this.publishHealth();
      },
      frame: (frame, session) => this.onFrame(frame, session.hello.eaInstanceId),
    });
    const terminal = new GuardedTerminal(this.link, this.breaker);
    this.gate = new BridgeGate({
      clock, available: () => terminal.isAvailable(),
      onChange: (state) => {
        this.gateChanges.push({ state, at: Date.now() });
        if (this.gateChanges.length > 100) this.gateChanges.shift();
      },
    });
    this.outbox = new NatsOutboxPublisher(options.js, options.pool, logger, { account, provision, relayIntervalMs: config.OUTBOX_RELAY_INTERVAL_MS });
    const context: ExecutionContext = {
      account, store: this.store, terminal, gate: this.gate, lock: new AsyncLock(), market: this.market,
      rateLimiter: options.rateLimiter ?? new RedisTokenBucket(options.redis, { capacity: config.RATE_LIMIT_BURST, refillPerSecond: config.RATE_LIMIT_PER_SECOND }),
      risk: options.risk ?? new NatsRiskRecheck(options.nc, { timeoutMs: config.RISK_RECHECK_TIMEOUT_MS, provision }),
      outbox: this.outbox, clock, logger, hooks: options.hooks ?? {},
      settings: {
        priceRetryAttempts: config.PRICE_RETRY_ATTEMPTS, deviationPoints: config.DEVIATION_POINTS, settleWindowMs: config.SETTLE_WINDOW_MS,
        settleLookbackMs: config.SETTLE_LOOKBACK_MS,
      },
    };
    this.positionSync = new PositionSync(context);
    const fills = new FillRecorder(context, () => this.supervisor.requestPositionSync());
    const settler = new OrderSettler(context, fills);
    const reconciler = new Reconciler(context, fills, settler, this.positionSync, { initialLookbackMs: config.RECONCILE_INITIAL_LOOKBACK_MS, overlapMs: 60_000 });
    this.supervisor = new SessionSupervisor(context, reconciler, settler, fills, this.positionSync,
      { reconcileRetryMs: config.RECONCILE_RETRY_MS, settleRetryMs: config.SETTLE_RETRY_MS }, () => this.onReady());
    this.commands = new CommandHandler(context, new OrderExecutor(context, fills, settler));
    this.ticks = new TickPublisher(options.js, this.market, logger, { venue: config.VENUE, provision, toUtc: (ms) => this.link.toUtc(ms) });
    this.consumer = createCommandConsumer({
      js: options.js, spec: options.consumerSpec ?? Consumers.executionCommands(account), handler: this.commands, signal: this.stopping.signal, logger, provision,
    });
  }

  /** Listens for the terminal, starts the relay, the settle loop, the queries and the command consumer. */
  async start(): Promise<AddressInfo> {
    this.outbox.startRelay();
    this.supervisor.start();
    const address = await this.link.start();
    this.queries = serveExecutionQueries(this.options.nc, {
      account: this.options.config.ACCOUNT_ID, venue: this.options.config.VENUE, store: this.store, terminal: this.link, market: this.market, gate: this.gate,
      health: () => this.health(), provision: this.options.provision,
    }, this.options.logger);
    await this.consumer.start();
    return address;
  }

  /** Releases commands waiting for the bridge (they are handed back to JetStream). */
  release(): void {
    this.stopping.abort();
  }

  /** Graceful: waiting commands are handed back, the in-flight one finishes, then the bridge closes. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.consumer.stop();
    for (const subscription of this.queries) subscription.unsubscribe();
    this.supervisor.stop();
    this.outbox.stopRelay();
    await this.link.stop();
  }

  /**
   * Dies like a killed process (tests): nothing is finished or handed back; the bridge sockets
   * drop. The caller closes this runtime's NATS connection, so its unacked command is redelivered.
   */
  async kill(): Promise<void> {
    this.stopping.abort();
    // Stop pulling (its timers go with it); the in-flight command is abandoned, never acked.
    void this.consumer.stop();
    this.supervisor.stop();
    this.outbox.stopRelay();
    for (const subscription of this.queries) subscription.unsubscribe();
    await this.link.stop();
  }

  health(): BridgeHealth {
    const state = this.gate.state;
    const breakerOpen = this.breaker.state !== 'CLOSED';
    const healthScore = state === 'READY' ? (breakerOpen ? 30 : 100) : state === 'RECONCILING' ? 50 : 0;
    const latency = this.link.session?.lastRoundTripMs;
    return {
      account: this.options.config.ACCOUNT_ID, connected: this.link.isConnected(), lastHeartbeat: null,
      latencyMs: latency === undefined ? null : Math.round(latency * 1000) / 1000, reconciling: state === 'RECONCILING', healthScore, time: new Date().toISOString(),
    };
  }

  private onReady(): void {
    const symbols = this.options.config.TICK_SYMBOLS;
    this.publishHealth();
    if (symbols.length === 0) return;
    void this.link.symbols(symbols)
      .then((reply) => this.market.addSpecs(reply.specs), (error) => this.options.logger.warn({ err: error }, 'symbol specs for ticks not loaded'))
      .finally(() => this.link.subscribeTicks(symbols));
  }

  private onFrame(frame: BridgeFrame, eaInstanceId: string): void {
    switch (frame.kind) {
      case 'tick':
        this.ticks.publish(frame.body);
        return;
      case 'trade_transaction':
        this.supervisor.transaction(eaInstanceId, frame.body);
        return;
      case 'account':
        void this.positionSync.publishAccount(frame.body).catch((error) => this.options.logger.warn({ err: error }, 'account snapshot not published'));
        return;
      case 'symbol_spec':
        this.market.addSpecs(frame.body.specs);
        return;
      case 'trade_result':
        // A result that came after its request timed out: the order is UNKNOWN; settle it now.
        this.options.logger.warn({ replyTo: frame.replyTo, retcode: frame.body.retcode, order: frame.body.order, deal: frame.body.deal }, 'late trade result; settling unknown orders');
        void this.supervisor.settleUnknown();
        return;
      default:
        this.options.logger.debug({ kind: frame.kind, replyTo: frame.replyTo }, 'unsolicited bridge frame ignored');
    }
  }

  private publishHealth(): void {
    const data = this.health();
    const envelope = createMessage(BridgeHealthMessage, { id: `bridge:${data.account}:${data.time}:${data.healthScore}`, data, tsEvent: data.time, tsInit: data.time });
    this.options.js.publish(subjectIn(BridgeHealthMessage.subject(data), this.options.provision), encodeEnvelope(envelope), { msgID: envelope.id, headers: envelopeHeaders(envelope) })
      .catch((error) => this.options.logger.debug({ err: error }, 'bridge health not published'));
  }
}

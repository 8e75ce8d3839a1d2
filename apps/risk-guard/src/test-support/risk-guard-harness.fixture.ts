// The risk-guard module as it runs (Nest, its durable consumers, its request/reply API, the
// outbox) against real NATS, Postgres and Redis, each test file with its own NATS namespace,
// Postgres schema and Redis key prefix, and a fake clock. `restart()` closes the app and boots a
// new one on the same streams, schema and keys: what survives is what was persisted.
import {
  AccountSnapshotMessage,
  createMessage,
  DealExecutedMessage,
  OrderUnknownMessage,
  SignalMessage,
  Streams,
  Subjects,
  type AnyMessageDefinition,
  type PayloadOf,
  type Side,
} from '@mt5/contracts';
import { connectNats, publishEnvelope, requestQuery, subjectIn, type NatsHandles, type ProvisionOptions, type QueryReply } from '@mt5/infra/nats';
import { applyMigrations, createPgPool } from '@mt5/infra/prisma';
import { createRedis } from '@mt5/infra/redis';
import { FakeClock, testEnv, uniqueName, waitFor } from '@mt5/testing';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import { pino } from 'pino';
import { loadServiceConfig } from '../config.js';
import { RiskGuardModule } from '../risk-guard.module.js';
import { RiskGuardRuntime } from '../risk-guard.runtime.js';

/** Monday 2024-03-04 09:00 UTC: EURUSD's session is open, mid broker day (22:00 UTC boundary). */
export const T0 = Date.UTC(2024, 2, 4, 9, 0, 0);
export const STRATEGY = 'sma-cross-eurusd';
export const STRATEGY_MAGIC = 1001;

const STREAMS = ['SIGNALS', 'EXEC_CMD', 'EXEC_EVT', 'RISK_EVT', 'DLQ'] as const;

export interface HarnessOptions {
  readonly account: string;
  /** Extra environment for the service config (thresholds). */
  readonly env?: Record<string, string>;
  /** Redis the service uses (default: the shared test server). */
  readonly redisUrl?: string;
}

export interface StoredMessage {
  readonly subject: string;
  readonly data: Record<string, unknown>;
  readonly type: string;
  readonly headers: Record<string, string>;
}

let sequence = 0;
let ticket = 5000;
const nextId = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${(sequence++).toString(36)}`;

export class RiskGuardHarness {
  readonly clock = new FakeClock(T0);
  readonly tag = uniqueName('rg');
  readonly provision: ProvisionOptions = { namespace: { stream: `${this.tag.toUpperCase()}_`, subject: `${this.tag}.` } };
  readonly prefix = `${this.tag}:`;
  app!: INestApplicationContext;
  nats!: NatsHandles;
  pool!: pg.Pool;
  /** The test's own Redis client (same prefix as the service), for quotes. */
  redis!: Redis;
  private schema = uniqueName('risk_guard');
  private databaseUrl = '';

  constructor(private readonly options: HarnessOptions) {}

  get runtime(): RiskGuardRuntime {
    return this.app.get(RiskGuardRuntime);
  }

  async setUp(): Promise<void> {
    const env = testEnv();
    await applyMigrations({ connectionString: env.databaseUrl, schema: this.schema });
    const url = new URL(env.databaseUrl);
    url.searchParams.set('schema', this.schema);
    this.databaseUrl = url.toString();
    this.pool = createPgPool({ url: this.databaseUrl, poolMax: 2 });
    this.redis = createRedis({ url: this.options.redisUrl ?? env.redisUrl, keyPrefix: this.prefix });
    this.redis.on('error', () => undefined);
    this.nats = await connectNats({ url: env.natsUrl, name: 'risk-guard-test' });
    await this.pool.query(
      `INSERT INTO strategy_configs (id, kind, name, venue, timeframe, enabled, magic, account, risk_per_trade_pct)
       VALUES ($1, 'sma-cross', 'SMA cross EURUSD', 'MT5', 'M15', true, $2, $3, 1)`,
      [STRATEGY, STRATEGY_MAGIC, this.options.account],
    );
    await this.start();
  }

  async start(): Promise<void> {
    const env = testEnv();
    const config = loadServiceConfig({
      NATS_URL: env.natsUrl, DATABASE_URL: this.databaseUrl, REDIS_URL: this.options.redisUrl ?? env.redisUrl, REDIS_KEY_PREFIX: this.prefix,
      LOG_LEVEL: 'silent', ACCOUNT_ID: this.options.account, CLOCK_TICK_MS: '3600000', OUTBOX_RELAY_INTERVAL_MS: '500',
      ...this.options.env,
    });
    const logger = pino({ level: 'silent' });
    this.app = await NestFactory.createApplicationContext(RiskGuardModule.forRoot(config, logger, { clock: this.clock, provision: this.provision }) as never, { logger: false });
  }

  /** Stops the service (consumers finish, NATS drains) and boots a fresh one on the same stores. */
  async restart(): Promise<void> {
    await this.app.close();
    await this.start();
  }

  async tearDown(): Promise<void> {
    await this.app?.close().catch(() => undefined);
    for (const stream of STREAMS) await this.nats?.jsm.streams.delete(this.streamName(stream)).catch(() => undefined);
    await this.nats?.nc.drain().catch(() => undefined);
    await this.pool?.query(`DROP SCHEMA IF EXISTS "${this.schema}" CASCADE`).catch(() => undefined);
    await this.pool?.end();
    const keys = await this.redis?.keys(`${this.prefix}*`).catch(() => [] as string[]);
    if (keys?.length) await this.redis.del(...keys.map((key) => key.slice(this.prefix.length))).catch(() => undefined);
    this.redis?.disconnect();
  }

  streamName(stream: (typeof STREAMS)[number]): string {
    return `${this.provision.namespace?.stream}${Streams[stream].name}`;
  }

  at(seconds: number): number {
    const time = T0 + seconds * 1000;
    this.clock.set(time);
    return time;
  }

  /** Caches a quote as market-data does (`md:quote:<venue>:<symbol>`). */
  async quote(symbol: string, bid: number, ask: number, time = this.clock.now().getTime()): Promise<void> {
    const tick = { venue: 'MT5', symbol, time: new Date(time).toISOString(), bid: String(bid), ask: String(ask) };
    await this.redis.hset(`md:quote:MT5:${symbol}`, 't', String(time), 'v', JSON.stringify(tick));
  }

  async publish<D extends AnyMessageDefinition>(definition: D, data: PayloadOf<D>, id = nextId(definition.type)): Promise<void> {
    const time = this.clock.now();
    const envelope = createMessage(definition, { id, data, tsEvent: time, tsInit: time });
    await publishEnvelope(this.nats.js, subjectIn(definition.subject(data), this.provision), envelope);
  }

  /** Publishes a strategy signal and waits for its decision row. */
  async signal(signalId: string, overrides: { side?: Side; stopLoss?: string; strategyId?: string; symbol?: string } = {}, envelopeId?: string): Promise<void> {
    const time = this.clock.now().toISOString();
    await this.publish(SignalMessage, {
      signalId, strategyId: overrides.strategyId ?? STRATEGY, strategyKind: 'sma-cross', symbol: overrides.symbol ?? 'EURUSD', venue: 'MT5', timeframe: 'M15',
      barTime: time, side: overrides.side ?? 'BUY', strength: 1, reason: 'test signal', price: '1.10000', stopLoss: overrides.stopLoss ?? '1.09810',
    }, envelopeId);
    await this.settled('SIGNALS');
  }

  async snapshot(balance: number, equity: number, margin = 0, account = this.options.account): Promise<void> {
    await this.publish(AccountSnapshotMessage, {
      account, currency: 'USD', balance: String(balance), equity: String(equity), margin: String(margin), freeMargin: String(Math.round((equity - margin) * 100) / 100),
      marginLevel: null, marginMode: 'HEDGING', openPositions: 0, time: this.clock.now().toISOString(),
    });
    await this.settled('EXEC_EVT');
  }

  async deal(deal: { positionId: string; side: Side; entry: 'IN' | 'OUT'; volume: string; price: string; profit?: string; clientOrderId?: string | null; magic?: number; symbol?: string; ticket?: string }, account = this.options.account): Promise<void> {
    await this.publish(DealExecutedMessage, {
      account, dealTicket: deal.ticket ?? String(++ticket), orderTicket: '1', positionId: deal.positionId, clientOrderId: deal.clientOrderId ?? null,
      symbol: deal.symbol ?? 'EURUSD', side: deal.side, entry: deal.entry, volume: deal.volume, price: deal.price, commission: '0', swap: '0', profit: deal.profit ?? '0',
      time: this.clock.now().toISOString(), magic: deal.magic ?? STRATEGY_MAGIC, comment: '', reason: 'EXPERT',
    });
    await this.settled('EXEC_EVT');
  }

  /** A transport failure: the order's outcome is unknown (timeout or disconnect during the trade). */
  async executionFailure(clientOrderId: string, account = this.options.account): Promise<void> {
    await this.publish(OrderUnknownMessage, {
      account, clientOrderId, symbol: 'EURUSD', side: 'BUY', orderType: 'MARKET', time: this.clock.now().toISOString(), status: 'UNKNOWN', retcode: null, reason: 'timeout',
    });
    await this.settled('EXEC_EVT');
  }

  /** Waits until the service's consumer on `stream` has handled (and acked) everything. */
  async settled(stream: 'SIGNALS' | 'EXEC_EVT'): Promise<void> {
    const durable = stream === 'SIGNALS' ? 'risk-guard-signals' : 'risk-guard-exec-events';
    await waitFor(async () => {
      const info = await this.nats.jsm.consumers.info(this.streamName(stream), durable);
      return info.num_pending === 0 && info.num_ack_pending === 0;
    }, { timeoutMs: 15_000, intervalMs: 25, description: `${stream} handled` });
  }

  async request<T = Record<string, unknown>>(kind: 'qry' | 'ctl', name: string, body: unknown): Promise<QueryReply<T>> {
    const subject = kind === 'qry' ? Subjects.query('risk-guard', name) : Subjects.command('risk-guard', name);
    return requestQuery<T>(this.nats.nc, subjectIn(subject, this.provision), body, 15_000);
  }

  /** The decision row of a signal or intent, as the table shows it: `<id> ALLOW <volume>` or `<id> <denial>`. */
  async decisionLine(intentId: string): Promise<string> {
    const { rows } = await this.pool.query<{ outcome: string; volume: string | null; context: { message: string } }>(
      'SELECT outcome, volume::float8::text AS volume, context FROM risk_decisions WHERE signal_id = $1 OR intent_id = $1', [intentId],
    );
    const row = rows[0];
    if (!row) return `${intentId} (no decision)`;
    return row.outcome === 'ALLOW' ? `${intentId} ALLOW ${row.volume}` : `${intentId} ${row.context.message}`;
  }

  /** Every message stored on a stream, oldest first. */
  async messages(stream: 'EXEC_CMD' | 'RISK_EVT'): Promise<StoredMessage[]> {
    const name = this.streamName(stream);
    const info = await this.nats.jsm.streams.info(name);
    const out: StoredMessage[] = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
      const message = await this.nats.jsm.streams.getMessage(name, { seq }).catch(() => null);
      if (!message) continue;
      const envelope = message.json<{ type: string; data: Record<string, unknown> }>();
      const headers: Record<string, string> = {};
      for (const [key, values] of message.header ?? []) headers[key] = values[0] ?? '';
      out.push({ subject: message.subject.slice(this.tag.length + 1), data: envelope.data, type: envelope.type, headers });
    }
    return out;
  }
}

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Msg, Subscription } from '@nats-io/nats-core';
import { Consumers, Streams, Subjects, type BridgeBody, type ConsumerSpec, type Envelope, type OrderStatus, type StreamName } from '@mt5/contracts';
import { BridgeServer, type BridgeSession } from '@mt5/infra/bridge';
import { connectNats, ensureConsumer, ensureStream, publishEnvelope, requestQuery, type NatsHandles, type QueryReply } from '@mt5/infra/nats';
import { applyMigrations, createPgPool } from '@mt5/infra/prisma';
import { createRedis } from '@mt5/infra/redis';
import { startNatsServer, testEnv, uniqueName, waitFor, type NatsTestServer } from '@mt5/testing';
import { pino } from 'pino';
import type pg from 'pg';
import type { Redis } from 'ioredis';
import type { ExecutionHooks } from '../application/execution-context.js';
import type { OrderRecord } from '../application/orders/order.types.js';
import { loadServiceConfig } from '../config.js';
import { ExecutionRuntime } from '../execution.runtime.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
export const ACCOUNT = 'itest-1';
export const SECRET = 'execution-itest-secret-0123';
/** Monday 2022-01-10 10:00 UTC: forex is open on the simulator's clock, whatever day the test runs. */
export const MONDAY_10 = Date.UTC(2022, 0, 10, 10, 0);

/** What `sim.qry.state` answers (the simulator's own view of the account). */
export interface SimState {
  readonly connected: boolean;
  readonly eaInstanceId: string;
  readonly serverTime: number;
  readonly positions: { positionId: string; symbol: string; side: string; volume: number; magic: number; comment: string }[];
  readonly orders: { ticket: string; comment: string }[];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * The execution gateway (an in-process {@link ExecutionRuntime}) against the real simulator (the
 * built `mt5-simulator` service as a child process, dialling the gateway's bridge over TCP), on a
 * private NATS server (the simulator's control subjects are not namespaced), a Postgres schema
 * of its own and a Redis key prefix of its own. Prices come only from `quote()`, on the
 * simulator's clock starting {@link MONDAY_10}.
 */
export class ExecutionHarness {
  runtime!: ExecutionRuntime;
  runtimeNats!: NatsHandles;
  readonly events: { subject: string; envelope: Envelope; headers: Record<string, string> }[] = [];
  private simulator: ChildProcess | undefined;
  private simulatorLog = '';
  private eventsSubscription: Subscription | undefined;
  private serverTime = MONDAY_10;

  private constructor(
    readonly nats: NatsTestServer,
    readonly client: NatsHandles,
    readonly pool: pg.Pool,
    readonly redis: Redis,
    readonly schema: string,
    readonly bridgePort: number,
    readonly consumerSpec: ConsumerSpec,
  ) {}

  static async start(options: { hooks?: ExecutionHooks; env?: Record<string, string> } = {}): Promise<ExecutionHarness> {
    const env = testEnv();
    const nats = await startNatsServer();
    const client = await connectNats({ url: nats.url, name: 'execution-itest' });
    for (const stream of ['EXEC_CMD', 'EXEC_EVT', 'MD_TICKS', 'DLQ'] as StreamName[]) await ensureStream(client.jsm, Streams[stream]);
    // A short ack wait, so a command whose gateway died is redelivered within the test.
    const consumerSpec = { ...Consumers.executionCommands(ACCOUNT), ackWaitSeconds: 3 };
    await ensureConsumer(client.jsm, consumerSpec);
    const schema = uniqueName('exec_itest');
    await applyMigrations({ connectionString: env.databaseUrl, schema });
    const pool = createPgPool({ url: env.databaseUrl, schema, poolMax: 4, applicationName: 'execution-itest' });
    const redis = createRedis({ url: env.redisUrl, keyPrefix: `${schema}:` });
    const harness = new ExecutionHarness(nats, client, pool, redis, schema, await freePort(), consumerSpec);
    harness.eventsSubscription = client.nc.subscribe('exec.evt.>', { callback: (_error, msg) => harness.keepEvent(msg) });
    await harness.startRuntime(options);
    await harness.startSimulator();
    await harness.waitReady();
    return harness;
  }

  /** A fresh gateway instance on the same database, NATS and bridge port (after {@link killRuntime}). */
  async startRuntime(options: { hooks?: ExecutionHooks; env?: Record<string, string> } = {}): Promise<void> {
    const config = loadServiceConfig({
      ACCOUNT_ID: ACCOUNT, BRIDGE_PORT: String(this.bridgePort), BRIDGE_SHARED_SECRET: SECRET, BRIDGE_HEARTBEAT_MS: '1000',
      TRADE_TIMEOUT_MS: '1500', QUERY_TIMEOUT_MS: '2000', SETTLE_WINDOW_MS: '3000', SETTLE_RETRY_MS: '500', RECONCILE_RETRY_MS: '300',
      RISK_RECHECK_TIMEOUT_MS: '500', TICK_SYMBOLS: 'EURUSD', LOG_LEVEL: 'silent', ...options.env,
    });
    this.runtimeNats = await connectNats({ url: this.nats.url, name: 'execution-itest-runtime' });
    this.runtime = new ExecutionRuntime({
      config, nc: this.runtimeNats.nc, js: this.runtimeNats.js, pool: this.pool, redis: this.redis, logger: pino({ level: process.env.ITEST_LOG ?? 'silent' }),
      consumerSpec: this.consumerSpec, hooks: options.hooks,
    });
    await this.runtime.start();
  }

  /** The gateway dies (no graceful stop); its NATS connection goes with it. */
  async killRuntime(): Promise<void> {
    await this.runtime.kill();
    await this.runtimeNats.nc.close();
  }

  async startSimulator(): Promise<void> {
    const main = path.join(root, 'dist/apps/mt5-simulator/src/main.js');
    if (!existsSync(main)) throw new Error(`${main} is missing: build first (node tools/build.mjs; tools/test.sh does)`);
    const httpPort = await freePort();
    const child = spawn(process.execPath, [main], {
      cwd: root, stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH, NATS_URL: this.nats.url, ACCOUNT_ID: ACCOUNT, BRIDGE_HOST: '127.0.0.1', BRIDGE_PORT: String(this.bridgePort),
        BRIDGE_SHARED_SECRET: SECRET, SIM_FEED: 'driven', SIM_MD_VENUE: 'NOFEED', HTTP_PORT: String(httpPort), LOG_LEVEL: 'warn', OTEL_SDK_DISABLED: 'true',
        SIM_MARGIN_MODE: 'HEDGING', SIM_BALANCE: '10000',
      },
    });
    const keep = (chunk: Buffer) => { this.simulatorLog = (this.simulatorLog + chunk.toString()).slice(-6000); };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    this.simulator = child;
  }

  /** Waits until the terminal is connected and reconciliation opened the gate. */
  async waitReady(timeoutMs = 30_000): Promise<void> {
    await waitFor(() => {
      if (this.simulator?.exitCode !== null && this.simulator?.exitCode !== undefined) throw new Error(`simulator exited: ${this.simulatorLog}`);
      return this.runtime.gate.state === 'READY';
    }, { timeoutMs, intervalMs: 25, description: 'gateway reconciled with the simulator' }).catch((error: Error) => {
      throw new Error(`${error.message}\n--- simulator output ---\n${this.simulatorLog}`);
    });
  }

  /**
   * A trade placed at the terminal while no gateway runs (call after {@link killRuntime}): a bare
   * bridge server on the gateway's port takes the simulator's next session and sends one request.
   */
  async manualTrade(request: BridgeBody<'trade_request'>): Promise<BridgeBody<'trade_result'>> {
    const server = new BridgeServer({ port: this.bridgePort, secretFor: (account) => (account === ACCOUNT ? SECRET : undefined), heartbeatIntervalMs: 1000 });
    const opened = new Promise<BridgeSession>((resolve) => server.once('session', resolve));
    await server.listen();
    try {
      const session = await opened;
      const reply = await session.request('trade_request', request, 5000);
      return reply.body as BridgeBody<'trade_result'>;
    } finally {
      await server.close();
    }
  }

  async simControl<T>(name: 'faults' | 'crash' | 'disconnect' | 'quote', body: unknown = {}): Promise<T> {
    const reply = await requestQuery<T>(this.client.nc, Subjects.command('mt5-simulator', name), body, 5000);
    if (!reply.ok) throw new Error(`sim.ctl.${name}: ${reply.error.code} ${reply.error.message}`);
    return reply.data;
  }

  async simState(): Promise<SimState> {
    const reply: QueryReply<SimState> = await requestQuery(this.client.nc, Subjects.query('mt5-simulator', 'state'), {}, 5000);
    if (!reply.ok) throw new Error(`sim.qry.state: ${reply.error.message}`);
    return reply.data;
  }

  /** Sets a quote on the simulator's clock, a second later than the previous one. */
  async quote(bid = 1.1, ask = 1.10008, symbol = 'EURUSD'): Promise<void> {
    this.serverTime += 1000;
    await this.simControl('quote', { symbol, bid, ask, time: this.serverTime });
  }

  async send(envelope: Envelope): Promise<void> {
    await publishEnvelope(this.client.js, Subjects.orderCommand(ACCOUNT, (envelope.type as string).replace(/^exec\./, '')), envelope);
  }

  async order(clientOrderId: string): Promise<OrderRecord | undefined> {
    return this.runtime.store.find(clientOrderId);
  }

  /** Waits for the order to reach one of `statuses`. */
  async waitStatus(clientOrderId: string, statuses: readonly OrderStatus[], timeoutMs = 15_000): Promise<OrderRecord> {
    return waitFor(async () => {
      const order = await this.order(clientOrderId);
      return order && statuses.includes(order.status) ? order : undefined;
    }, { timeoutMs, intervalMs: 25, description: `order ${clientOrderId} in ${statuses.join('|')}` });
  }

  /** Broker orders the simulator executed for this comment (distinct order tickets of its deals), asked over the bridge. */
  async brokerOrdersFor(comment: string): Promise<string[]> {
    const reply = await this.runtime.link.deals({ from: 0, to: MONDAY_10 + 365 * 86_400_000, comment, maxCount: 1000 });
    return [...new Set(reply.deals.map((deal) => deal.order))];
  }

  /** Events published for one order (or of one type), in arrival order. */
  eventsOf(predicate: (event: { subject: string; envelope: Envelope }) => boolean) {
    return this.events.filter(predicate);
  }

  /**
   * The invariants every scenario ends with: each order is final or visibly UNKNOWN, the simulator
   * executed at most one broker order per clientOrderId, and the gateway's open positions equal
   * the simulator's.
   */
  async assertInvariants(clientOrderIds: readonly string[]): Promise<void> {
    for (const clientOrderId of clientOrderIds) {
      const order = await this.order(clientOrderId);
      if (order && !['FILLED', 'CANCELLED', 'REJECTED', 'EXPIRED', 'UNKNOWN', 'ACCEPTED'].includes(order.status)) {
        throw new Error(`order ${clientOrderId} ended ${order.status}: neither final nor visibly UNKNOWN`);
      }
      const brokerOrders = await this.brokerOrdersFor(order?.comment ?? clientOrderId);
      if (brokerOrders.length > 1) throw new Error(`order ${clientOrderId} was executed ${brokerOrders.length} times: ${brokerOrders.join(', ')}`);
    }
    await waitFor(async () => {
      const ours = (await this.runtime.store.openPositions(ACCOUNT)).map((p) => `${p.positionId}:${p.side}:${Number(p.volume)}`).sort();
      const theirs = (await this.simState()).positions.map((p) => `${p.positionId}:${p.side}:${p.volume}`).sort();
      return JSON.stringify(ours) === JSON.stringify(theirs);
    }, { timeoutMs: 10_000, intervalMs: 50, description: "the gateway's open positions equal the simulator's" });
  }

  async stop(): Promise<void> {
    this.simulator?.kill('SIGKILL');
    await this.runtime?.stop().catch(() => undefined);
    await this.runtimeNats?.nc.close().catch(() => undefined);
    this.eventsSubscription?.unsubscribe();
    await this.client.nc.close().catch(() => undefined);
    await this.nats.stop();
    await this.pool.query(`DROP SCHEMA IF EXISTS "${this.schema}" CASCADE`).catch(() => undefined);
    await this.pool.end();
    // KEYS patterns are not prefixed by ioredis; DEL arguments are.
    const keys = await this.redis.keys(`${this.schema}:*`).catch(() => [] as string[]);
    if (keys.length > 0) await this.redis.del(...keys.map((key) => key.slice(`${this.schema}:`.length))).catch(() => undefined);
    this.redis.disconnect();
  }

  private keepEvent(msg: Msg): void {
    const headers: Record<string, string> = {};
    for (const [key, values] of msg.headers ?? []) headers[key.toLowerCase()] = values[0] ?? '';
    this.events.push({ subject: msg.subject, envelope: msg.json<Envelope>(), headers });
  }
}

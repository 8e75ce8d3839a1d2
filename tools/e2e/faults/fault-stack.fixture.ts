// The platform under fault: private servers (a test stops them) and the six trading services as
// processes, with a fresh NATS, Postgres schema, Redis key prefix, ports and account per stack.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { Subjects } from '@mt5/contracts';
import { connectNats, type NatsHandles } from '@mt5/infra/nats';
import { applyMigrations } from '@mt5/infra/prisma';
import {
  startNatsServer, startPostgresServer, startRedisServer, uniqueName, waitFor,
  type NatsTestServer, type PostgresTestServer, type RedisTestServer,
} from '@mt5/testing';
import { demoServiceEnv, writeAlwaysOpenCatalogue } from '../../demo/demo-settings.js';
import { runChild } from '../../demo/local-access.js';
import { PlatformClient } from '../../demo/platform-client.js';
import { freePort, startService, workspaceRoot, type ServiceProcess } from '../service-process.fixture.js';

/** The trading services, consumers before producers; the simulator dials execution and retries. */
export const TradingServices = ['reporting', 'risk-guard', 'execution', 'signal-engine', 'market-data', 'mt5-simulator'] as const;
export type TradingService = (typeof TradingServices)[number];

export const SYMBOL = 'GBPUSD';
/** The shared file the slice comes from (read only, never copied into the project). */
export const SHARED_FILE = path.resolve(workspaceRoot, '../shared/data/market/GBPUSD_M1.csv');
/**
 * GBPUSD M1 from the first bar of the shared file (Monday 2021-01-25 02:48 UTC, sessions open on
 * the simulator's history clock) to 05:50: 182 bars on which the default strategies (SMA 10/30
 * and RSI 14 with ATR stops) signal 13 times, enough for several round trips closed by their
 * stops or targets, and a position opened at 05:47 still open at the end (its stop is hit at
 * 05:55), so the positions are compared with something.
 */
export const WINDOW = { from: Date.UTC(2021, 0, 25, 2, 48), to: Date.UTC(2021, 0, 25, 5, 50) } as const;

/** NATS is per stack (streams and durable consumers start empty); Postgres and Redis are shared per file. */
export interface PrivateServers {
  readonly postgres: PostgresTestServer;
  readonly redis: RedisTestServer;
}

export async function startPrivateServers(): Promise<PrivateServers> {
  const [postgres, redis] = await Promise.all([startPostgresServer(), startRedisServer()]);
  return { postgres, redis };
}

export async function stopPrivateServers(servers: PrivateServers | undefined): Promise<void> {
  await Promise.all([servers?.postgres.destroy(), servers?.redis.destroy()]);
}

export interface TradingStack {
  readonly servers: PrivateServers;
  readonly nats: NatsTestServer;
  /** The test's own connection (reconnects forever: NATS may be restarted under it). */
  readonly client: NatsHandles;
  readonly platform: PlatformClient;
  readonly account: string;
  readonly schema: string;
  /** A pool on the stack's schema (search_path), for the invariant checks. */
  readonly db: pg.Pool;
  readonly services: ReadonlyMap<TradingService, ServiceProcess>;
  service(name: TradingService): ServiceProcess;
  /** Replay tag (at most 32 characters): this stack's bar message ids. */
  readonly tag: string;
  stop(): Promise<void>;
}

/** The slice of the shared file inside {@link WINDOW}, written to `dir` (the shared file is only read). */
function writeSlice(dir: string): string {
  const lines = readFileSync(SHARED_FILE, 'utf8').split('\n').filter((line) => {
    const time = Date.parse(`${line.slice(0, 16).replace(' ', 'T')}:00Z`);
    return time >= WINDOW.from && time < WINDOW.to;
  });
  const file = path.join(dir, `${SYMBOL}_M1.csv`);
  writeFileSync(file, lines.join('\n'));
  return file;
}

/** Execution settles unknown outcomes and retries reconciliation faster than in production, so a test waits seconds, not minutes. */
const FAST_RECOVERY = { SETTLE_WINDOW_MS: '5000', SETTLE_RETRY_MS: '1000', RECONCILE_RETRY_MS: '1000', TRADE_TIMEOUT_MS: '5000' };

/**
 * Starts a stack on the private servers: a fresh NATS, schema (migrated), Redis prefix and
 * account, the slice imported with market-data's CLI, the six services, the default strategy set
 * enabled, and the simulator connected and reconciled.
 */
export async function startTradingStack(servers: PrivateServers, name: string): Promise<TradingStack> {
  const schema = uniqueName(`fault_${name}`);
  const account = schema.replaceAll('_', '-');
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'mt5-fault-'));
  const services = new Map<TradingService, ServiceProcess>();
  const nats = await startNatsServer();
  let client: NatsHandles | undefined;
  let db: pg.Pool | undefined;
  const stop = async () => {
    await Promise.all([...services.values()].map((service) => service.stop()));
    await client?.nc.drain().catch(() => undefined);
    await db?.end().catch(() => undefined);
    await nats.stop();
    rmSync(tmp, { recursive: true, force: true });
  };
  try {
    await applyMigrations({ connectionString: servers.postgres.url, schema });
    db = new pg.Pool({ connectionString: servers.postgres.url, max: 2, options: `-c search_path=${schema}`, connectionTimeoutMillis: 5_000 });
    db.on('error', () => undefined);
    const env: Record<string, string> = {
      NATS_URL: nats.url, DATABASE_URL: `${servers.postgres.url}?schema=${schema}`, REDIS_URL: servers.redis.url, REDIS_KEY_PREFIX: `${schema}:`,
      LOG_LEVEL: 'warn',
      ...demoServiceEnv({ live: false, account, catalogue: writeAlwaysOpenCatalogue(tmp) }, {}),
      BRIDGE_HOST: '127.0.0.1', BRIDGE_PORT: String(await freePort()), BRIDGE_SHARED_SECRET: 'fault-e2e-bridge-secret', TICK_SYMBOLS: SYMBOL, SIM_SYMBOLS: SYMBOL,
      ...FAST_RECOVERY,
    };
    const imported = await runChild(process.execPath, [path.join(workspaceRoot, 'dist/apps/market-data/src/cli.js'), 'import', writeSlice(tmp), '--symbol', SYMBOL, '--json'], {
      cwd: workspaceRoot, env: { PATH: process.env.PATH ?? '', ...env },
    });
    if (imported.code !== 0) throw new Error(`import failed: ${imported.stderr}`);
    const started = await Promise.allSettled(TradingServices.map(async (service) => services.set(service, await startService(service, { ...env, OTEL_SERVICE_NAME: service }))));
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    client = await connectNats({ url: nats.url, name: `fault-${name}`, reconnectTimeWaitMs: 250 });
    const platform = new PlatformClient(client, 'MT5');
    await platform.seedDefaultStrategies();
    await waitFor(async () => {
      const health = await platform.ask<{ connected: boolean; reconciling: boolean }>(Subjects.query('execution', 'bridge-health'), { account });
      return health.connected && !health.reconciling;
    }, { timeoutMs: 60_000, intervalMs: 250, description: 'the simulator connected to execution and reconciled' });
    const handles = client;
    const pool = db;
    return {
      servers, nats, client: handles, platform, account, schema, db: pool, services, tag: schema.slice(-8),
      service: (service) => services.get(service)!,
      stop,
    };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}

/** The last lines of every service's output, for a failure message. */
export function servicesOutput(stack: TradingStack): string {
  return [...stack.services.values()].map((service) => `--- ${service.name} (pid ${service.pid ?? 'none'}) ---\n${service.output().slice(-3_000)}`).join('\n');
}

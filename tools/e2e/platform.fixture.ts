// The whole platform as real processes for an end-to-end test: its own NATS server, its own
// Postgres schema (migrated) and Redis key prefix on the integration servers, free HTTP and bridge
// ports and a unique account, each service started as the stack starts it (`node dist/apps/<name>/
// src/main.js`) and waited for until `/health/ready` answers.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Subjects } from '@mt5/contracts';
import { connectNats, requestQuery, type NatsHandles } from '@mt5/infra/nats';
import { applyMigrations, createPgPool } from '@mt5/infra/prisma';
import { createRedis } from '@mt5/infra/redis';
import { startNatsServer, testEnv, uniqueName, waitFor, type NatsTestServer } from '@mt5/testing';
import type pg from 'pg';
import { demoServiceEnv, writeAlwaysOpenCatalogue } from '../demo/demo-settings.js';
import { freePort, startService, type ServiceProcess } from './service-process.fixture.js';

export const PlatformServices = ['reporting', 'risk-guard', 'execution', 'signal-engine', 'market-data', 'mt5-simulator', 'ops-gateway'] as const;
export type PlatformService = (typeof PlatformServices)[number];

export interface PlatformOptions {
  /** Names the schema, the Redis prefix and the account. */
  readonly name: string;
  /** Which services to start, in this order (consumers before producers). */
  readonly services: readonly PlatformService[];
  /** `live`: the simulator's random walk at wall-clock time; `replay`: the simulator follows replayed bars. */
  readonly mode: 'live' | 'replay';
  readonly symbols: readonly string[];
  /** Added to every service's environment (wins over the defaults). */
  readonly env?: Record<string, string>;
}

export interface Platform {
  readonly account: string;
  readonly schema: string;
  readonly tmp: string;
  /** The environment every service got (NATS_URL, DATABASE_URL, …). */
  readonly env: Record<string, string>;
  readonly nats: NatsTestServer;
  /** The test's own connection. */
  readonly client: NatsHandles;
  /** A pool on the platform's schema. */
  readonly pool: pg.Pool;
  readonly services: ReadonlyMap<PlatformService, ServiceProcess>;
  /** A request/reply query that throws with the service's error code and message. */
  ask<T>(subject: string, body: unknown, timeoutMs?: number): Promise<T>;
  /** Waits until the simulator's bridge session is up and execution has reconciled. */
  waitForBridge(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  const base = testEnv();
  const schema = uniqueName(options.name.replaceAll('-', '_'));
  const account = schema.replaceAll('_', '-');
  const tmp = mkdtempSync(path.join(os.tmpdir(), `mt5-${options.name}-`));
  const nats = await startNatsServer();
  const client = await connectNats({ url: nats.url, name: `${options.name}-test` });
  await applyMigrations({ connectionString: base.databaseUrl, schema });
  const databaseUrl = `${base.databaseUrl}${base.databaseUrl.includes('?') ? '&' : '?'}schema=${schema}`;
  const symbols = options.symbols.join(',');
  const env: Record<string, string> = {
    NATS_URL: nats.url, DATABASE_URL: databaseUrl, REDIS_URL: base.redisUrl, REDIS_KEY_PREFIX: `${schema}:`, LOG_LEVEL: 'warn',
    ...demoServiceEnv({ live: options.mode === 'live', account, catalogue: writeAlwaysOpenCatalogue(tmp) }, {}),
    OPS_ACCOUNT: account, BRIDGE_HOST: '127.0.0.1', BRIDGE_PORT: String(await freePort()), BRIDGE_SHARED_SECRET: `${options.name}-bridge-secret`,
    TICK_SYMBOLS: symbols, SIM_SYMBOLS: symbols,
    ...options.env,
  };
  const pool = createPgPool({ url: databaseUrl, poolMax: 2, applicationName: `${options.name}-test` });
  const services = new Map<PlatformService, ServiceProcess>();

  const platform: Platform = {
    account, schema, tmp, env, nats, client, pool, services,
    async ask<T>(subject: string, body: unknown, timeoutMs = 15_000) {
      const reply = await requestQuery<T>(client.nc, subject, body, timeoutMs);
      if (!reply.ok) throw new Error(`${subject}: ${reply.error.code} ${reply.error.message}`);
      return reply.data;
    },
    async waitForBridge(timeoutMs = 60_000) {
      await waitFor(async () => {
        const health = await platform.ask<{ connected: boolean; reconciling: boolean }>(Subjects.query('execution', 'bridge-health'), {}).catch(() => undefined);
        return health !== undefined && health.connected && !health.reconciling;
      }, { timeoutMs, intervalMs: 250, description: 'the simulator connected to execution and reconciliation finished' });
    },
    async stop() {
      await Promise.all([...services.values()].map((service) => service.stop()));
      await client.nc.drain().catch(() => undefined);
      await nats.stop();
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
      await pool.end();
      await deleteRedisKeys(base.redisUrl, `${schema}:`);
      rmSync(tmp, { recursive: true, force: true });
    },
  };

  const started = await Promise.allSettled(options.services.map(async (name) => [name, await startService(name, { ...env, OTEL_SERVICE_NAME: name })] as const));
  // Keep every one that did start, so stop() ends it even when another failed.
  for (const result of started) if (result.status === 'fulfilled') services.set(result.value[0], result.value[1]);
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) {
    await platform.stop();
    throw (failed as PromiseRejectedResult).reason;
  }
  return platform;
}

/** Drops a test's Postgres schema and its Redis keys (`<schema>:*`) on the integration servers. */
export async function dropTestData(schema: string): Promise<void> {
  const base = testEnv();
  const pool = createPgPool({ url: base.databaseUrl, poolMax: 1, applicationName: 'e2e-cleanup' });
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).finally(() => pool.end());
  await deleteRedisKeys(base.redisUrl, `${schema}:`);
}

async function deleteRedisKeys(url: string, prefix: string): Promise<void> {
  const redis = createRedis({ url, keyPrefix: '' });
  try {
    // No offline queue: commands sent before the connection is ready fail.
    if (redis.status !== 'ready') await new Promise((resolve, reject) => redis.once('ready', resolve).once('error', reject));
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

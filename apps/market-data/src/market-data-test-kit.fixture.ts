// Integration-test kit: real Postgres (own schema), NATS (own namespaced streams) and Redis (own key
// prefix) for one test file, with the market-data use cases wired on them exactly as in the service.
import { once } from 'node:events';
import { Streams, type StreamName } from '@mt5/contracts';
import { connectNats, ensureStream, streamName, type NatsHandles, type ProvisionOptions } from '@mt5/infra/nats';
import { applyMigrations, createPgPool } from '@mt5/infra/prisma';
import { createRedis } from '@mt5/infra/redis';
import { testEnv, uniqueName } from '@mt5/testing';
import type { Redis } from 'ioredis';
import pg from 'pg';
import { pino } from 'pino';
import { loadServiceConfig, type MarketDataConfig } from './config.js';
import { composeMarketData, type MarketData } from './market-data.composition.js';
import type { Clock, MarketDataPorts } from './market-data.ports.js';

export interface MarketDataTestKit {
  readonly config: MarketDataConfig;
  readonly ports: MarketDataPorts;
  readonly md: MarketData;
  readonly nats: NatsHandles;
  readonly redis: Redis;
  readonly pool: pg.Pool;
  readonly provision: ProvisionOptions;
  readonly schema: string;
  /** The namespaced name of a stream (`T…_MD_BARS`). */
  stream(name: StreamName): string;
  close(): Promise<void>;
}

/** Shared market data as the README describes it (../shared/data/README.md). */
export const SHARED_MARKET_DATA = new URL('../../../../shared/data/market/', import.meta.url).pathname;

export async function openMarketDataTestKit(options: { clock?: Clock; env?: Record<string, string> } = {}): Promise<MarketDataTestKit> {
  const env = testEnv();
  const schema = uniqueName('md');
  const tag = schema.replace(/_/g, '');
  const provision: ProvisionOptions = { namespace: { stream: `${tag.toUpperCase()}_`, subject: `${tag}.` } };
  await applyMigrations({ connectionString: env.databaseUrl, schema });
  const url = new URL(env.databaseUrl);
  url.searchParams.set('schema', schema);
  const config = loadServiceConfig({
    NATS_URL: env.natsUrl, DATABASE_URL: url.toString(), REDIS_URL: env.redisUrl, REDIS_KEY_PREFIX: `${schema}:`, LOG_LEVEL: 'silent', ...options.env,
  });
  const pool = createPgPool({ url: config.DATABASE_URL, poolMax: 4, applicationName: 'market-data-int-test' });
  const nats = await connectNats({ url: env.natsUrl, name: `market-data-test-${tag}` });
  for (const name of ['MD_BARS', 'MD_TICKS', 'DLQ'] as const) await ensureStream(nats.jsm, Streams[name], provision);
  const redis = createRedis({ url: env.redisUrl, keyPrefix: config.REDIS_KEY_PREFIX });
  redis.on('error', () => undefined);
  if (redis.status !== 'ready') await once(redis, 'ready');
  const ports: MarketDataPorts = {
    config, logger: pino({ level: 'silent' }), pool, nc: nats.nc, js: nats.js, jsm: nats.jsm, redis, provision,
    clock: options.clock ?? { now: () => new Date() },
  };
  const stream = (name: StreamName) => streamName({ name }, provision);
  return {
    config, ports, md: composeMarketData(ports), nats, redis, pool, provision, schema, stream,
    async close() {
      for (const name of ['MD_BARS', 'MD_TICKS', 'DLQ'] as const) await nats.jsm.streams.delete(stream(name)).catch(() => undefined);
      await nats.nc.drain().catch(() => undefined);
      const keys = await redis.keys(`${config.REDIS_KEY_PREFIX}*`);
      // KEYS returns prefixed names and DEL would prefix them again: strip ours first.
      if (keys.length > 0) await redis.del(...keys.map((key) => key.slice(config.REDIS_KEY_PREFIX.length)));
      await redis.quit();
      await pool.end();
      const admin = new pg.Client({ connectionString: env.databaseUrl });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin.end();
    },
  };
}

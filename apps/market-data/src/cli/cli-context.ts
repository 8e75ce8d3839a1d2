import { once } from 'node:events';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { Streams } from '@mt5/contracts';
import { ensureStream } from '@mt5/infra/nats';
import { createPgPool } from '@mt5/infra/prisma';
import { createRedis } from '@mt5/infra/redis';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { MarketDataConfig } from '../config.js';
import { systemClock, type MarketDataPorts } from '../market-data.ports.js';

/** What a command needs besides Postgres (every command uses it). */
export interface CliNeeds {
  /** Publishing or requesting over NATS (also provisions MD_BARS). */
  readonly nats: boolean;
  /** The latest-bar cache; optional even when wanted: a CLI run does not fail for a cache. */
  readonly redis: boolean;
}

/** A connection the command does not use: any access is a bug, and says which. */
function absent<T extends object>(what: string): T {
  return new Proxy({} as T, {
    get: (_target, property) => {
      if (property === 'then') return undefined;
      throw new Error(`${what} is not connected for this command (accessed .${String(property)})`);
    },
  });
}

async function connectRedis(config: MarketDataConfig, logger: Logger): Promise<Redis | undefined> {
  const redis = createRedis({ url: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX });
  redis.on('error', () => undefined);
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(resolve, 3_000, 'timeout').unref());
  if ((await Promise.race([once(redis, 'ready').then(() => 'ready' as const), timeout])) === 'ready') return redis;
  logger.warn({ redis: config.REDIS_URL }, 'redis not reachable: the latest-bar cache is not updated by this run');
  redis.disconnect();
  return undefined;
}

/**
 * How the CLI connects: unlike a service it gives up quickly when NATS is not there, and it turns
 * off async stack traces. nats.js otherwise builds two Error objects (stack captured) for every
 * request, JetStream publishes included, which cost more CPU than everything else a replay does
 * per bar (profiled: ~30 % of the process).
 */
export function cliNatsOptions(config: Pick<MarketDataConfig, 'NATS_URL' | 'NATS_USER' | 'NATS_PASSWORD'>, name = 'market-data-cli') {
  return { servers: config.NATS_URL.split(','), name, user: config.NATS_USER, pass: config.NATS_PASSWORD, timeout: 5_000, maxReconnectAttempts: 5, noAsyncTraces: true };
}

async function connectNats(config: MarketDataConfig): Promise<{ nc: NatsConnection; js: JetStreamClient; jsm: JetStreamManager }> {
  const nc = await connect(cliNatsOptions(config))
    .catch((error: Error) => {
      throw new Error(`cannot reach NATS at ${config.NATS_URL}: ${error.message} (start it with: bash tools/stack.sh up infra)`, { cause: error });
    });
  const jsm = await jetstreamManager(nc);
  await ensureStream(jsm, Streams.MD_BARS, { replicas: config.NATS_STREAM_REPLICAS });
  return { nc, js: jetstream(nc), jsm };
}

/** Opens what one CLI command needs; `close()` ends everything it opened. */
export async function openCliPorts(config: MarketDataConfig, logger: Logger, needs: CliNeeds): Promise<{ ports: MarketDataPorts; close: () => Promise<void> }> {
  const pool = createPgPool({ url: config.DATABASE_URL, poolMax: 4, applicationName: 'market-data-cli' });
  const closers: Array<() => Promise<unknown>> = [() => pool.end()];
  try {
    await pool.query('SELECT 1').catch((error: Error) => {
      throw new Error(`cannot reach Postgres: ${error.message} (start it with: bash tools/stack.sh up infra)`, { cause: error });
    });
    const nats = needs.nats ? await connectNats(config) : undefined;
    if (nats) closers.push(() => nats.nc.drain());
    const redis = needs.redis ? await connectRedis(config, logger) : undefined;
    if (redis) closers.push(() => redis.quit());
    const ports: MarketDataPorts = {
      config, logger, pool, redis, provision: {}, clock: systemClock,
      nc: nats?.nc ?? absent('NATS'), js: nats?.js ?? absent('NATS'), jsm: nats?.jsm ?? absent('NATS'),
    };
    return { ports, close: async () => { for (const close of closers.reverse()) await close().catch(() => undefined); } };
  } catch (error) {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    throw error;
  }
}

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import pg from 'pg';
import { testEnv } from './test-env.js';
import { uniqueName } from './unique-name.js';

// Smoke test of the integration global setup: the three servers it promises answer at the
// addresses it put in the environment.
const env = testEnv();

describe('integration stack from the global setup', () => {
  let redis: Redis;
  let postgres: pg.Client;

  beforeAll(async () => {
    redis = new Redis(env.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    postgres = new pg.Client({ connectionString: env.databaseUrl });
    await postgres.connect();
  });
  afterAll(async () => {
    await redis?.quit();
    await postgres?.end();
  });

  it('runs NATS with JetStream enabled', async () => {
    const response = await fetch(`${env.natsMonitorUrl}/varz`);
    expect(response.status).toBe(200);
    const varz = (await response.json()) as { jetstream?: { config?: { max_storage?: number } } };
    expect(varz.jetstream?.config?.max_storage).toBeGreaterThan(0);
  });

  it('answers select 1 on Postgres as the project role', async () => {
    const result = await postgres.query<{ one: number; who: string }>('select 1 as one, current_user as who');
    expect(result.rows).toEqual([{ one: 1, who: new URL(env.databaseUrl).username }]);
  });

  it('answers PING on Redis and keeps a key under a test-owned prefix', async () => {
    expect(await redis.ping()).toBe('PONG');
    const key = `${uniqueName('stack')}:probe`;
    await redis.set(key, 'ok', 'EX', 30);
    expect(await redis.get(key)).toBe('ok');
    await redis.del(key);
  });
});

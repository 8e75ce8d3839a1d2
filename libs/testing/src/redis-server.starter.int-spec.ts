import { afterAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { startRedisServer, type RedisTestServer } from './redis-server.starter.js';

const started: RedisTestServer[] = [];
afterAll(async () => {
  await Promise.all(started.map((server) => server.destroy()));
});

async function withRedis<T>(url: string, use: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  await redis.connect();
  try {
    return await use(redis);
  } finally {
    redis.disconnect();
  }
}

describe('startRedisServer', () => {
  it('starts a private redis-server that can be stopped and started again on the same port, empty', async () => {
    const server = await startRedisServer();
    started.push(server);
    expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
    await withRedis(server.url, (redis) => redis.set('probe', '1'));
    expect(await withRedis(server.url, (redis) => redis.get('probe'))).toBe('1');

    await server.stop();
    expect(server.running).toBe(false);
    await expect(withRedis(server.url, (redis) => redis.ping())).rejects.toThrow();

    await server.start();
    expect(server.running).toBe(true);
    // No persistence: what Redis holds here can be rebuilt, so a restart starts empty.
    expect(await withRedis(server.url, (redis) => redis.get('probe'))).toBeNull();
    const config = await withRedis(server.url, (redis) => redis.config('GET', 'save') as Promise<string[]>);
    expect(config).toEqual(['save', '']);
  });

  it('frees its port when destroyed', async () => {
    const server = await startRedisServer();
    await server.destroy();
    await expect(withRedis(server.url, (redis) => redis.ping())).rejects.toThrow();
  });
});

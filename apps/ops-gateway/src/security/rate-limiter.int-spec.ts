// The token-bucket script against a real Redis, under its own key prefix.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createRedis } from '@mt5/infra/redis';
import { testEnv, uniqueName } from '@mt5/testing';
import type { Redis } from 'ioredis';
import { RateLimiterUnavailableError, RedisRateLimiter, type Bucket } from './rate-limiter.js';

let redis: Redis;
let prefix: string;

beforeAll(async () => {
  prefix = `${uniqueName('rl')}:`;
  redis = createRedis({ url: testEnv().redisUrl, keyPrefix: prefix });
  await new Promise((resolve) => redis.once('ready', resolve));
});

afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys.map((key) => key.slice(prefix.length)));
  await redis.quit();
});

describe('RedisRateLimiter', () => {
  it('lets a full bucket through, then refuses with the wait until the next token', async () => {
    const limiter = new RedisRateLimiter(redis);
    const bucket: Bucket = { key: 'k:a', capacity: 3, windowMs: 60_000 };
    const decisions = [];
    for (let i = 0; i < 4; i++) decisions.push(await limiter.take([bucket]));
    expect(decisions.map((d) => [d.allowed, d.limit, d.remaining])).toEqual([[true, 3, 2], [true, 3, 1], [true, 3, 0], [false, 3, 0]]);
    // 3 tokens a minute: one every 20 s, the whole bucket back in about a minute.
    expect(decisions[3]!.retryAfterMs).toBeGreaterThan(19_000);
    expect(decisions[3]!.retryAfterMs).toBeLessThanOrEqual(20_000);
    expect(decisions[3]!.resetMs).toBeGreaterThan(59_000);
    expect(await redis.exists('k:a')).toBe(1);
    expect(await redis.pttl('k:a')).toBeGreaterThan(60_000);
  });

  it('refills with time (Redis TIME), a token per window/capacity', async () => {
    const limiter = new RedisRateLimiter(redis);
    const bucket: Bucket = { key: 'k:fast', capacity: 2, windowMs: 400 };
    await limiter.take([bucket]);
    await limiter.take([bucket]);
    expect((await limiter.take([bucket])).allowed).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect((await limiter.take([bucket])).allowed).toBe(true);
  });

  it('takes from every bucket or from none: a refusal by one bucket costs the others nothing', async () => {
    const limiter = new RedisRateLimiter(redis);
    const perKey: Bucket = { key: 'k:b', capacity: 5, windowMs: 60_000 };
    const perIp: Bucket = { key: 'ip:b', capacity: 1, windowMs: 60_000 };
    expect(await limiter.take([perKey, perIp])).toMatchObject({ allowed: true, limit: 1, remaining: 0 });
    const refused = await limiter.take([perKey, perIp]);
    expect(refused).toMatchObject({ allowed: false, limit: 1 });
    expect((await limiter.take([perKey])).remaining).toBe(3);
  });

  it('is atomic under concurrency: exactly the capacity passes', async () => {
    const limiter = new RedisRateLimiter(redis);
    const bucket: Bucket = { key: 'k:race', capacity: 25, windowMs: 60_000 };
    const decisions = await Promise.all(Array.from({ length: 60 }, () => limiter.take([bucket])));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(25);
  });

  it('reports Redis being away as unavailable rather than allowing or refusing', async () => {
    const offline = createRedis({ url: 'redis://127.0.0.1:1', keyPrefix: prefix });
    offline.on('error', () => undefined);
    try {
      await expect(new RedisRateLimiter(offline).take([{ key: 'k:c', capacity: 1, windowMs: 1000 }])).rejects.toBeInstanceOf(RateLimiterUnavailableError);
    } finally {
      offline.disconnect();
    }
  });
});

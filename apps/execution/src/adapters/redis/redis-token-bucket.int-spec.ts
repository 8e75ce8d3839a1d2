import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createRedis } from '@mt5/infra/redis';
import { testEnv, uniqueName } from '@mt5/testing';
import type { Redis } from 'ioredis';
import { RedisTokenBucket } from './redis-token-bucket.js';

let redis: Redis;
const prefix = `${uniqueName('bucket')}:`;

beforeAll(async () => {
  redis = createRedis({ url: testEnv().redisUrl, keyPrefix: prefix });
  // The client refuses commands until connected (no offline queue), as the service's does.
  if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
});

afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys.map((key) => key.slice(prefix.length)));
  redis.disconnect();
});

describe('RedisTokenBucket against a real Redis', () => {
  it('lets a burst through, then refuses with the wait until the next token', async () => {
    const bucket = new RedisTokenBucket(redis, { capacity: 3, refillPerSecond: 2 });
    const outcomes = [];
    for (let i = 0; i < 4; i++) outcomes.push(await bucket.acquire('acct-burst'));
    expect(outcomes.slice(0, 3).every((o) => o.allowed)).toBe(true);
    expect(outcomes[3]!.allowed).toBe(false);
    // Half a second per token at 2 per second, less what elapsed since the burst.
    expect(outcomes[3]!.retryAfterMs).toBeGreaterThan(300);
    expect(outcomes[3]!.retryAfterMs).toBeLessThanOrEqual(500);
  });

  it('refills at the configured rate', async () => {
    const bucket = new RedisTokenBucket(redis, { capacity: 1, refillPerSecond: 20 });
    expect((await bucket.acquire('acct-refill')).allowed).toBe(true);
    expect((await bucket.acquire('acct-refill')).allowed).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect((await bucket.acquire('acct-refill')).allowed).toBe(true);
  });

  it('keeps one budget per account and shares it between gateway instances', async () => {
    const one = new RedisTokenBucket(redis, { capacity: 2, refillPerSecond: 0.001 });
    const other = new RedisTokenBucket(redis, { capacity: 2, refillPerSecond: 0.001 });
    expect((await one.acquire('acct-shared')).allowed).toBe(true);
    expect((await other.acquire('acct-shared')).allowed).toBe(true);
    expect((await one.acquire('acct-shared')).allowed).toBe(false);
    expect((await other.acquire('acct-else')).allowed).toBe(true);
  });

  it('reloads its script after Redis forgot it', async () => {
    const bucket = new RedisTokenBucket(redis, { capacity: 5, refillPerSecond: 1 });
    await bucket.acquire('acct-flush');
    await redis.script('FLUSH');
    expect((await bucket.acquire('acct-flush')).allowed).toBe(true);
  });
});

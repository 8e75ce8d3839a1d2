import type { RateLimitAnswer } from '@mt5/domain/risk';
import type { Redis } from 'ioredis';
import type { OrderRateLimiter } from '../../application/ports.js';

/**
 * `tokenBucket` of `@mt5/domain/risk`, line for line, as one Lua script so instances share one
 * bucket per account atomically. Time is the caller's clock (ARGV[1]), as in the specification:
 * a missing bucket starts full, a clock stepping back refills nothing, and a denial reports the
 * wait for `cost` tokens. State: hash `{ tokens, updatedAt }`, expiring once it would be full again.
 * KEYS[1] bucket; ARGV: now (ms), cost, capacity, refill per second. Returns {allowed, tokens, retryAfterMs}.
 */
export const TOKEN_BUCKET_LUA = `
local now = tonumber(ARGV[1])
local cost = tonumber(ARGV[2])
local capacity = tonumber(ARGV[3])
local refill = tonumber(ARGV[4])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'updatedAt')
local tokens = tonumber(state[1])
local updatedAt = tonumber(state[2])
local available
if tokens == nil or updatedAt == nil then
  available = capacity
  updatedAt = now
else
  local elapsed = math.max(0, now - updatedAt)
  available = math.min(capacity, tokens + elapsed * refill / 1000)
  updatedAt = math.max(now, updatedAt)
end
local allowed = 0
local retry = 0
if available >= cost then
  available = available - cost
  allowed = 1
else
  retry = math.ceil((cost - available) / refill * 1000)
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', available), 'updatedAt', string.format('%.17g', updatedAt))
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / refill * 1000) + 60000)
return {allowed, string.format('%.17g', available), retry}
`;

type RedisWithBucket = Redis & { riskTokenBucket(key: string, now: string, cost: string, capacity: string, refill: string): Promise<[number, string, number]> };

/** Wait suggested when the limiter cannot be reached. */
const UNAVAILABLE_RETRY_MS = 1_000;

/** The per-account order bucket in Redis. Redis down: `unavailable`, so opening orders fail closed. */
export class RedisTokenBucketLimiter implements OrderRateLimiter {
  private readonly redis: RedisWithBucket;

  constructor(redis: Redis, private readonly options: { readonly capacity: number; readonly refillPerSecond: number }) {
    if (!('riskTokenBucket' in redis)) redis.defineCommand('riskTokenBucket', { numberOfKeys: 1, lua: TOKEN_BUCKET_LUA });
    this.redis = redis as RedisWithBucket;
  }

  async take(account: string, now: number): Promise<RateLimitAnswer> {
    try {
      const [allowed, , retryAfterMs] = await this.takeRaw(account, now, 1);
      return { allowed: allowed === 1, retryAfterMs };
    } catch {
      return { allowed: false, retryAfterMs: UNAVAILABLE_RETRY_MS, unavailable: true };
    }
  }

  /** The script's raw answer (tests compare it with the specification). */
  takeRaw(account: string, now: number, cost: number): Promise<[number, string, number]> {
    return this.redis.riskTokenBucket(`risk:ratelimit:${account}`, String(now), String(cost), String(this.options.capacity), String(this.options.refillPerSecond));
  }
}

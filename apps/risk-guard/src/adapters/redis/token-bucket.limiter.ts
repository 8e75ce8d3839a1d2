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

/**
 * One token back into an existing bucket, never above capacity (a bucket that expired is full
 * anyway). KEYS[1] bucket; ARGV: capacity. Returns the tokens after, or nil without a bucket.
 */
export const TOKEN_REFUND_LUA = `
local tokens = tonumber(redis.call('HGET', KEYS[1], 'tokens'))
if tokens == nil then return nil end
local capacity = tonumber(ARGV[1])
tokens = math.min(capacity, tokens + 1)
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens))
return string.format('%.17g', tokens)
`;

type RedisWithBucket = Redis & {
  riskTokenBucket(key: string, now: string, cost: string, capacity: string, refill: string): Promise<[number, string, number]>;
  riskTokenRefund(key: string, capacity: string): Promise<string | null>;
};

/** Wait suggested when the limiter cannot be reached. */
const UNAVAILABLE_RETRY_MS = 1_000;

/** The per-account order bucket in Redis. Redis down: `unavailable`, so opening orders fail closed. */
export class RedisTokenBucketLimiter implements OrderRateLimiter {
  private readonly redis: RedisWithBucket;

  constructor(redis: Redis, private readonly options: { readonly capacity: number; readonly refillPerSecond: number }) {
    if (!('riskTokenBucket' in redis)) redis.defineCommand('riskTokenBucket', { numberOfKeys: 1, lua: TOKEN_BUCKET_LUA });
    if (!('riskTokenRefund' in redis)) redis.defineCommand('riskTokenRefund', { numberOfKeys: 1, lua: TOKEN_REFUND_LUA });
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

  async giveBack(account: string): Promise<void> {
    await this.refundRaw(account).catch(() => undefined);
  }

  /** The refund script's raw answer: the tokens after, null when the bucket does not exist. */
  refundRaw(account: string): Promise<string | null> {
    return this.redis.riskTokenRefund(this.key(account), String(this.options.capacity));
  }

  private key(account: string): string {
    return `risk:ratelimit:${account}`;
  }

  /** The script's raw answer (tests compare it with the specification). */
  takeRaw(account: string, now: number, cost: number): Promise<[number, string, number]> {
    return this.redis.riskTokenBucket(this.key(account), String(now), String(cost), String(this.options.capacity), String(this.options.refillPerSecond));
  }
}

import type { Redis } from 'ioredis';
import type { RateLimiter } from '../../application/ports.js';

/**
 * Token bucket in one Lua script, so concurrent gateways (or a restarted one) share one budget
 * per account atomically. State: `tokens` and `ts` (ms) in a hash that expires when idle. Time is
 * Redis's own clock (TIME), so instances with skewed clocks agree.
 * KEYS[1] bucket; ARGV: capacity, refill per second, tokens wanted. Returns {allowed, retryAfterMs}.
 */
const TOKEN_BUCKET_LUA = `
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local wanted = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1])
local ts = tonumber(state[2])
if tokens == nil then tokens = capacity; ts = now end
if now > ts then tokens = math.min(capacity, tokens + (now - ts) * rate / 1000); ts = now end
local allowed = 0
local retry = 0
if tokens >= wanted then
  tokens = tokens - wanted
  allowed = 1
else
  retry = math.ceil((wanted - tokens) * 1000 / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(ts))
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity * 1000 / rate) + 1000)
return {allowed, retry}
`;

export interface TokenBucketOptions {
  /** Burst size. */
  readonly capacity: number;
  /** Tokens added per second. */
  readonly refillPerSecond: number;
}

/** Per-account limit on trade requests (Redis, atomic). A Redis failure throws: the caller fails closed. */
export class RedisTokenBucket implements RateLimiter {
  private sha: string | undefined;

  constructor(private readonly redis: Redis, private readonly options: TokenBucketOptions) {}

  async acquire(account: string): Promise<{ allowed: boolean; retryAfterMs: number }> {
    const key = `ratelimit:orders:${account}`;
    const args = [String(this.options.capacity), String(this.options.refillPerSecond), '1'];
    let reply: unknown;
    try {
      this.sha ??= (await this.redis.script('LOAD', TOKEN_BUCKET_LUA)) as string;
      reply = await this.redis.evalsha(this.sha, 1, key, ...args);
    } catch (error) {
      if (!/NOSCRIPT/.test((error as Error).message)) throw error;
      reply = await this.redis.eval(TOKEN_BUCKET_LUA, 1, key, ...args);
    }
    const [allowed, retryAfterMs] = reply as [number, number];
    return { allowed: allowed === 1, retryAfterMs: Math.max(1, retryAfterMs) };
  }
}

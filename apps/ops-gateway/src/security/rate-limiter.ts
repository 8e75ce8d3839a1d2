import type { Redis } from 'ioredis';

/**
 * Token buckets in Redis, checked and taken in one round trip by one Lua script. Each bucket holds
 * at most `capacity` tokens and refills `capacity` per `windowMs`. A request passes only when every
 * bucket it touches (its key's and its address's) has a token; a refused request takes nothing, so
 * a client that waits out Retry-After always gets through. Time is the Redis server's (`TIME`),
 * so several gateway instances share one clock.
 */
const TOKEN_BUCKETS_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local n = #KEYS
local tokens, caps, rates = {}, {}, {}
local allowed = 1
for i = 1, n do
  local cap = tonumber(ARGV[2 * i - 1])
  local window = tonumber(ARGV[2 * i])
  local rate = cap / window
  local state = redis.call('HMGET', KEYS[i], 'tokens', 'ts')
  local level = tonumber(state[1])
  local ts = tonumber(state[2])
  if level == nil or ts == nil then level = cap; ts = now end
  level = math.min(cap, level + math.max(0, now - ts) * rate)
  tokens[i] = level; caps[i] = cap; rates[i] = rate
  if level < 1 then allowed = 0 end
end
local binding, remaining, resetMs, retryMs = 1, -1, 0, 0
for i = 1, n do
  local level = tokens[i]
  if allowed == 1 then level = level - 1 end
  redis.call('HSET', KEYS[i], 'tokens', tostring(level), 'ts', tostring(now))
  redis.call('PEXPIRE', KEYS[i], math.ceil(caps[i] / rates[i]) + 1000)
  local left = math.floor(level)
  if remaining < 0 or left < remaining then binding = i; remaining = left end
  resetMs = math.max(resetMs, math.ceil((caps[i] - level) / rates[i]))
  if level < 1 then retryMs = math.max(retryMs, math.ceil((1 - level) / rates[i])) end
end
return { allowed, binding, remaining, resetMs, retryMs }
`;

export interface Bucket {
  /** Key under the client's prefix, e.g. `rl:order:key:<id>`. */
  readonly key: string;
  readonly capacity: number;
  readonly windowMs: number;
}

export interface RateDecision {
  readonly allowed: boolean;
  /** Capacity of the bucket with the fewest tokens left (the one that binds). */
  readonly limit: number;
  readonly remaining: number;
  /** Milliseconds until every bucket is full again. */
  readonly resetMs: number;
  /** Milliseconds until the refused request would pass (0 when allowed). */
  readonly retryAfterMs: number;
}

type RedisWithBuckets = Redis & { takeTokens(...args: (string | number)[]): Promise<number[]> };

/** The limiter could not ask Redis (down, or slower than the budget). */
export class RateLimiterUnavailableError extends Error {
  override readonly name = 'RateLimiterUnavailableError';
}

/**
 * Takes tokens with one EVALSHA. How long a call may wait is the client's `commandTimeout`
 * (see RateLimitRedis); any failure to get an answer is {@link RateLimiterUnavailableError}.
 */
export class RedisRateLimiter {
  private readonly redis: RedisWithBuckets;

  constructor(redis: Redis) {
    // defineCommand loads the script once and calls it by SHA (EVALSHA, falling back to EVAL).
    if (!('takeTokens' in redis)) redis.defineCommand('takeTokens', { lua: TOKEN_BUCKETS_LUA });
    this.redis = redis as RedisWithBuckets;
  }

  async take(buckets: readonly Bucket[]): Promise<RateDecision> {
    const args: (string | number)[] = [buckets.length, ...buckets.map((b) => b.key)];
    for (const bucket of buckets) args.push(bucket.capacity, bucket.windowMs);
    let reply: number[];
    try {
      reply = await this.redis.takeTokens(...args);
    } catch (error) {
      throw new RateLimiterUnavailableError(`rate limiter: ${(error as Error).message}`, { cause: error });
    }
    const [allowed, binding, remaining, resetMs, retryMs] = reply as [number, number, number, number, number];
    return { allowed: allowed === 1, limit: buckets[binding - 1]!.capacity, remaining: Math.max(0, remaining), resetMs, retryAfterMs: retryMs };
  }
}

import type { CheckResult } from './check-result.js';
import { ALLOW, deny } from './check-result.js';

/**
 * A token bucket per account, as plain data. The live bucket is in Redis (a Lua script makes the
 * read-refill-take atomic across instances); this function is the specification that script
 * implements and the tests pin down, and it serves tests and a single-process fallback.
 */
export interface TokenBucketState {
  readonly tokens: number;
  /** Epoch ms of the last refill. */
  readonly updatedAt: number;
}

export interface TokenBucketAnswer {
  readonly allowed: boolean;
  /** Tokens left after this call. */
  readonly tokens: number;
  /** When denied, how long until `cost` tokens are there; 0 when allowed. */
  readonly retryAfterMs: number;
  readonly state: TokenBucketState;
}

/**
 * Refills `state` at `refillPerSec` up to `capacity` for the time since its last update, then
 * takes `cost` tokens if there are enough. A missing bucket starts full. A clock that steps
 * backwards refills nothing (and never drains).
 *
 * Throws when `cost` exceeds `capacity` (such a request could never pass) or a figure is not positive.
 */
export function tokenBucket(
  state: TokenBucketState | null,
  now: number,
  cost: number,
  capacity: number,
  refillPerSec: number,
): TokenBucketAnswer {
  if (!(capacity > 0) || !(refillPerSec > 0) || !(cost > 0)) {
    throw new Error(`tokenBucket: capacity ${capacity}, refill ${refillPerSec} and cost ${cost} must be positive`);
  }
  if (cost > capacity) throw new Error(`tokenBucket: cost ${cost} exceeds capacity ${capacity}`);
  const elapsedMs = state === null ? 0 : Math.max(0, now - state.updatedAt);
  const available = state === null ? capacity : Math.min(capacity, state.tokens + (elapsedMs * refillPerSec) / 1000);
  const updatedAt = state === null ? now : Math.max(now, state.updatedAt);
  if (available >= cost) {
    const tokens = available - cost;
    return { allowed: true, tokens, retryAfterMs: 0, state: { tokens, updatedAt } };
  }
  const retryAfterMs = Math.ceil(((cost - available) / refillPerSec) * 1000);
  return { allowed: false, tokens: available, retryAfterMs, state: { tokens: available, updatedAt } };
}

/**
 * What the rate-limit check is given: the bucket's answer, or `unavailable` when the limiter could
 * not be asked (Redis down). Opening orders then fail closed, and the denial says why.
 */
export interface RateLimitAnswer extends Pick<TokenBucketAnswer, 'allowed' | 'retryAfterMs'> {
  readonly unavailable?: boolean;
}

/** The rate-limit check: takes the bucket's answer (from Redis or {@link tokenBucket}). */
export function rateLimitCheck(answer: RateLimitAnswer): CheckResult {
  if (answer.allowed) return ALLOW;
  return answer.unavailable
    ? deny('RISK.RATE_LIMITED', { limiter: 'unavailable', retryAfterMs: answer.retryAfterMs })
    : deny('RISK.RATE_LIMITED', { retryAfterMs: answer.retryAfterMs });
}

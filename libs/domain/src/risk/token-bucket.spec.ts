import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { rateLimitCheck, tokenBucket, type TokenBucketState } from './token-bucket.js';

const T = 1_700_000_000_000;

describe('tokenBucket (the spec of the Redis Lua script)', () => {
  it('starts full, lets `capacity` orders through at once, then refuses with the wait for one token', () => {
    let state: TokenBucketState | null = null;
    const answers = [];
    for (let i = 0; i < 4; i += 1) {
      const answer = tokenBucket(state, T, 1, 3, 2);
      answers.push([answer.allowed, answer.retryAfterMs]);
      state = answer.state;
    }
    expect(answers).toEqual([[true, 0], [true, 0], [true, 0], [false, 500]]);
  });

  it('refills at `refillPerSec` and never beyond capacity', () => {
    const empty = { tokens: 0, updatedAt: T };
    expect(tokenBucket(empty, T + 499, 1, 3, 2).allowed).toBe(false);
    expect(tokenBucket(empty, T + 500, 1, 3, 2)).toMatchObject({ allowed: true, tokens: 0 });
    expect(tokenBucket(empty, T + 3_600_000, 1, 3, 2).tokens).toBe(2);
  });

  it('refills nothing when the clock steps backwards, and keeps the later time', () => {
    const answer = tokenBucket({ tokens: 0.5, updatedAt: T }, T - 10_000, 1, 3, 2);
    expect(answer).toMatchObject({ allowed: false, tokens: 0.5, retryAfterMs: 250, state: { tokens: 0.5, updatedAt: T } });
  });

  it('throws for a cost the bucket could never hold', () => {
    expect(() => tokenBucket(null, T, 4, 3, 1)).toThrow('cost 4 exceeds capacity 3');
  });

  it('never lets more than capacity + elapsed * rate orders through in any run of requests', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2000 }), { maxLength: 100 }), (gaps) => {
        let state: TokenBucketState | null = null;
        let now = T;
        let allowed = 0;
        for (const gap of gaps) {
          now += gap;
          const answer = tokenBucket(state, now, 1, 5, 1);
          if (answer.allowed) allowed += 1;
          expect(answer.tokens).toBeGreaterThanOrEqual(0);
          expect(answer.tokens).toBeLessThanOrEqual(5);
          state = answer.state;
        }
        expect(allowed).toBeLessThanOrEqual(5 + Math.floor(((now - T) * 1) / 1000));
      }),
    );
  });
});

describe('rateLimitCheck', () => {
  it('denies with the wait the bucket reported', () => {
    const result = rateLimitCheck({ allowed: false, retryAfterMs: 500 });
    expect(result.kind === 'deny' && result.message).toBe('RISK.RATE_LIMITED: retryAfterMs=500');
    expect(rateLimitCheck({ allowed: true, retryAfterMs: 0 })).toEqual({ kind: 'allow' });
  });

  it('fails closed when the limiter could not be asked, and says so', () => {
    const result = rateLimitCheck({ allowed: false, retryAfterMs: 1000, unavailable: true });
    expect(result.kind === 'deny' && result.message).toBe('RISK.RATE_LIMITED: limiter=unavailable, retryAfterMs=1000');
  });
});

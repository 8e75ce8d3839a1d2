import type { Logger } from 'pino';
import { GatewayError } from '../application/gateway-error.js';
import type { OpsGatewayConfig } from '../config.js';
import type { RateClass } from './access.decorators.js';
import { RateLimiterUnavailableError, type Bucket, type RateDecision, type RedisRateLimiter } from './rate-limiter.js';

/** Where the X-RateLimit-* headers go (an HTTP response; nothing for a WebSocket). */
export interface HeaderSink {
  setHeader(name: string, value: string): unknown;
}

const MINUTE = 60_000;
/** Failed authentications an address may make per minute before it is answered 429. */
const AUTH_FAILURES_PER_IP = 30;

/**
 * Which buckets a request takes from, and what happens when Redis cannot be asked: order
 * endpoints fail closed (503), reads go on unmetered (the limiter protects the services behind
 * the gateway from floods, not the data from readers).
 */
export class RateLimitPolicy {
  private lastWarning = 0;

  constructor(private readonly limiter: RedisRateLimiter, private readonly config: OpsGatewayConfig, private readonly logger: Logger) {}

  buckets(rate: RateClass, keyId: string, ip: string): Bucket[] {
    const perKey = rate === 'order' ? this.config.OPS_RATE_ORDER_PER_KEY : this.config.OPS_RATE_READ_PER_KEY;
    const perIp = rate === 'order' ? this.config.OPS_RATE_ORDER_PER_IP : this.config.OPS_RATE_READ_PER_IP;
    return [
      { key: `rl:${rate}:key:${keyId}`, capacity: perKey, windowMs: MINUTE },
      { key: `rl:${rate}:ip:${ip}`, capacity: perIp, windowMs: MINUTE },
    ];
  }

  /** Takes a token for an authenticated request; sets the X-RateLimit-* headers or throws 429/503. */
  async admit(rate: RateClass, keyId: string, ip: string, response: HeaderSink): Promise<void> {
    let decision: RateDecision;
    try {
      decision = await this.limiter.take(this.buckets(rate, keyId, ip));
    } catch (error) {
      if (!(error instanceof RateLimiterUnavailableError)) throw error;
      if (rate === 'order') {
        throw new GatewayError(503, 'SYS.DEPENDENCY_UNAVAILABLE', 'the rate limiter (Redis) is unavailable: order endpoints are closed until it is back', true, { 'Retry-After': '5' });
      }
      this.warn(error);
      return;
    }
    applyHeaders(response, decision);
    if (!decision.allowed) throw tooManyRequests(decision, rate);
  }

  /** Counts a failed authentication against the address; throws 429 once it is over the limit. */
  async failedAuthentication(ip: string, response: HeaderSink): Promise<void> {
    try {
      const decision = await this.limiter.take([{ key: `rl:auth:ip:${ip}`, capacity: AUTH_FAILURES_PER_IP, windowMs: MINUTE }]);
      if (!decision.allowed) {
        applyHeaders(response, decision);
        throw tooManyRequests(decision, 'authentication failures');
      }
    } catch (error) {
      if (error instanceof RateLimiterUnavailableError) this.warn(error);
      else throw error;
    }
  }

  private warn(error: Error): void {
    const now = Date.now();
    if (now - this.lastWarning < 10_000) return;
    this.lastWarning = now;
    this.logger.warn({ err: error }, 'rate limiter unavailable; reads pass unmetered, orders are refused');
  }
}

function applyHeaders(response: HeaderSink, decision: RateDecision): void {
  response.setHeader('X-RateLimit-Limit', String(decision.limit));
  response.setHeader('X-RateLimit-Remaining', String(decision.remaining));
  response.setHeader('X-RateLimit-Reset', String(Math.ceil(decision.resetMs / 1000)));
}

function tooManyRequests(decision: RateDecision, what: string): GatewayError {
  const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
  return new GatewayError(429, 'OPS.RATE_LIMITED', `too many requests (${what}): ${decision.limit} per minute; retry in ${seconds} s`, true, { 'Retry-After': String(seconds) });
}

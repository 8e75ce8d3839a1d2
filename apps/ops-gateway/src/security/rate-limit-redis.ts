import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { GATEWAY_OPTIONS, type GatewayOptions } from '../gateway.tokens.js';

/** How long a rate-limit check may wait for Redis before the limiter counts as unavailable. */
const COMMAND_TIMEOUT_MS = 250;

/**
 * The rate limiter's own Redis connection. Auto-pipelining sends the checks of concurrent
 * requests in one write; the command timeout turns a hanging Redis into "unavailable" quickly
 * (orders then fail closed); no offline queue, so a down Redis fails at once instead of queueing.
 */
@Injectable()
export class RateLimitRedis implements OnApplicationShutdown {
  readonly client: Redis;

  constructor(@Inject(GATEWAY_OPTIONS) options: GatewayOptions) {
    this.client = new Redis(options.config.REDIS_URL, {
      keyPrefix: options.config.REDIS_KEY_PREFIX,
      enableOfflineQueue: false,
      enableAutoPipelining: true,
      commandTimeout: COMMAND_TIMEOUT_MS,
      maxRetriesPerRequest: 1,
      retryStrategy: (attempt) => Math.min(2000, 100 * attempt),
      connectionName: 'ops-gateway-rate-limits',
    });
    // Failures surface through the limiter (503 for orders) and health; avoid an unhandled 'error'.
    this.client.on('error', () => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }
}

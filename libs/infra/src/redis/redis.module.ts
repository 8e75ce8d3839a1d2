import { Global, Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { REDIS_HEALTH, type HealthCheck } from '../health/health.tokens.js';

export interface RedisModuleOptions {
  readonly url: string;
  /** Every key this process writes starts with it (`mt5:` in production, unique per test). */
  readonly keyPrefix: string;
}

/**
 * Creates an ioredis client. `enableOfflineQueue: false`: while Redis is down a command fails at
 * once instead of queueing, so callers can fail closed (order rate limits) or fall back (caches).
 */
export function createRedis(options: RedisModuleOptions): Redis {
  return new Redis(options.url, {
    keyPrefix: options.keyPrefix,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    lazyConnect: false,
    retryStrategy: (attempt) => Math.min(2000, 100 * attempt),
  });
}

@Injectable()
export class RedisService implements OnApplicationShutdown {
  readonly client: Redis;
  constructor(@Inject('REDIS_OPTIONS') readonly options: RedisModuleOptions) {
    this.client = createRedis(options);
    // Errors are reported through health and by the failing command; avoid an unhandled 'error'.
    this.client.on('error', () => undefined);
  }

  get prefix(): string {
    return this.options.keyPrefix;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }
}

/** Read-through cache with a TTL. Values are JSON. A Redis failure falls back to the loader. */
export class TtlCache {
  hits = 0;
  misses = 0;
  errors = 0;
  constructor(private readonly redis: Redis, private readonly namespace: string) {}

  async getOrLoad<T>(key: string, ttlSeconds: number, load: () => Promise<T>): Promise<T> {
    const fullKey = `cache:${this.namespace}:${key}`;
    try {
      const cached = await this.redis.get(fullKey);
      if (cached !== null) {
        this.hits++;
        return JSON.parse(cached) as T;
      }
    } catch {
      this.errors++;
      return load();
    }
    this.misses++;
    const value = await load();
    await this.redis.set(fullKey, JSON.stringify(value), 'EX', ttlSeconds).catch(() => this.errors++);
    return value;
  }

  async invalidate(key: string): Promise<void> {
    await this.redis.del(`cache:${this.namespace}:${key}`);
  }
}

@Global()
@Module({})
export class RedisModule {
  static forRoot(options: RedisModuleOptions): DynamicModule {
    return {
      module: RedisModule,
      providers: [
        { provide: 'REDIS_OPTIONS', useValue: options },
        RedisService,
        {
          provide: REDIS_HEALTH,
          inject: [RedisService],
          useFactory: (redis: RedisService): HealthCheck => ({
            name: 'redis',
            check: async () => {
              const started = performance.now();
              if (redis.client.status !== 'ready') throw new Error(`redis ${redis.client.status}`);
              await redis.client.ping();
              return { rttMs: Math.round((performance.now() - started) * 100) / 100 };
            },
          }),
        },
      ],
      exports: [RedisService, REDIS_HEALTH],
    };
  }
}

import type { Redis } from 'ioredis';
import type { AccountWorld } from '../../application/account-world.js';

/**
 * A read cache of each account's world for queries (`risk:state:<account>`): dropped when a commit
 * changes the world, filled again by the next query that reads Postgres. Postgres is the truth: a
 * miss, an error or an expired entry falls back to it, and decisions never read this cache.
 */
export class StateCache {
  constructor(private readonly redis: Redis, private readonly ttlSeconds: number) {}

  async put(account: string, world: AccountWorld): Promise<void> {
    await this.redis.set(`risk:state:${account}`, JSON.stringify(world), 'EX', this.ttlSeconds).catch(() => undefined);
  }

  async delete(account: string): Promise<void> {
    await this.redis.del(`risk:state:${account}`).catch(() => undefined);
  }

  async get(account: string): Promise<AccountWorld | null> {
    try {
      const raw = await this.redis.get(`risk:state:${account}`);
      return raw === null ? null : (JSON.parse(raw) as AccountWorld);
    } catch {
      return null;
    }
  }
}

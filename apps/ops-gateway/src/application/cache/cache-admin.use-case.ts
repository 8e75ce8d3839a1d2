import { Inject, Injectable } from '@nestjs/common';
import { RedisService } from '@mt5/infra/redis';
import { AuditLogRepository } from '../../security/audit-log.repository.js';
import type { Principal } from '../../security/principal.js';
import { unavailable } from '../gateway-error.js';
import { OpenPositionsQuery } from '../positions/open-positions.query.js';

/** Keys counted for statistics; past it the counts are marked incomplete. */
const MAX_KEYS_SCANNED = 50_000;
/** Keys one invalidation may delete. */
const MAX_KEYS_DELETED = 100_000;
const INFO_FIELDS = [
  'redis_version', 'uptime_in_seconds', 'connected_clients', 'used_memory', 'used_memory_human', 'maxmemory', 'maxmemory_policy',
  'keyspace_hits', 'keyspace_misses', 'evicted_keys', 'expired_keys', 'total_commands_processed', 'instantaneous_ops_per_sec',
] as const;

function parseInfo(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const at = line.indexOf(':');
    if (at > 0 && !line.startsWith('#')) fields[line.slice(0, at)] = line.slice(at + 1);
  }
  return fields;
}

/**
 * Redis statistics for the platform's key prefix, and invalidation by pattern (SCAN + DEL, never
 * KEYS, so Redis is not blocked). Rate-limit buckets (`rl:`) are never deleted: invalidation is
 * for caches, and emptying buckets would reset everyone's limits.
 */
@Injectable()
export class CacheAdminUseCase {
  constructor(
    private readonly redis: RedisService,
    @Inject(AuditLogRepository) private readonly audit: AuditLogRepository,
    private readonly positions: OpenPositionsQuery,
  ) {}

  async stats() {
    const client = this.redis.client;
    try {
      const [server, keyspace] = await Promise.all([client.info(), client.info('keyspace')]);
      const info = parseInfo(server);
      const numeric = (value: string) => (/^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value);
      const selected = Object.fromEntries(INFO_FIELDS.filter((field) => info[field] !== undefined).map((field) => [field, numeric(info[field]!)]));
      const byNamespace: Record<string, number> = {};
      let scanned = 0;
      let complete = true;
      for await (const keys of this.scan(`${this.redis.prefix}*`)) {
        for (const key of keys) {
          const namespace = key.slice(this.redis.prefix.length).split(':')[0] || '(none)';
          byNamespace[namespace] = (byNamespace[namespace] ?? 0) + 1;
        }
        scanned += keys.length;
        if (scanned >= MAX_KEYS_SCANNED) {
          complete = false;
          break;
        }
      }
      return {
        prefix: this.redis.prefix, server: selected, keyspace: parseInfo(keyspace), keys: { scanned, complete, byNamespace },
        gateway: { positionsCacheHits: this.positions.hits, positionsCacheMisses: this.positions.misses },
      };
    } catch (error) {
      throw unavailable(`Redis did not answer: ${(error as Error).message}`);
    }
  }

  /**
   * Deletes the keys under the prefix that match `pattern` and writes the audit row in the same
   * Postgres transaction. Redis has no part in that transaction: if the row cannot be written the
   * call fails (500) but the deleted entries stay deleted, which is safe because Redis holds only
   * what its owners rebuild (the design's rule for Redis).
   */
  async invalidate(principal: Principal, request: { pattern: string; reason: string }, traceId: string | null): Promise<{ pattern: string; deleted: number; scanned: number }> {
    return this.audit.transaction(async (tx) => {
      const { deleted, scanned } = await this.deleteMatching(request.pattern);
      const result = { pattern: request.pattern, deleted, scanned };
      await this.audit.write({
        actor: principal.name, role: principal.role, action: 'api.cache.invalidate', params: { pattern: request.pattern, reason: request.reason },
        result: `ok: deleted ${deleted}`, traceId,
      }, tx);
      return result;
    });
  }

  private async deleteMatching(pattern: string): Promise<{ deleted: number; scanned: number }> {
    const prefix = this.redis.prefix;
    let deleted = 0;
    let scanned = 0;
    try {
      for await (const keys of this.scan(`${prefix}${pattern}`)) {
        scanned += keys.length;
        // SCAN returns full names; DEL goes through the client, which adds the prefix again.
        const own = keys.map((key) => key.slice(prefix.length)).filter((key) => !key.startsWith('rl:'));
        if (own.length > 0) deleted += await this.redis.client.del(...own);
        if (deleted >= MAX_KEYS_DELETED) break;
      }
    } catch (error) {
      throw unavailable(`Redis did not answer: ${(error as Error).message}`);
    }
    return { deleted, scanned };
  }

  /** SCAN batches; MATCH patterns are not prefixed by ioredis, so callers pass full names. */
  private async *scan(match: string): AsyncGenerator<string[]> {
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.client.scan(cursor, 'MATCH', match, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) yield keys;
    } while (cursor !== '0');
  }
}

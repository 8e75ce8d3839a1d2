import { z } from 'zod';
import { reasonField } from './common.schemas.js';

const consumerStats = z.object({
  name: z.string(),
  description: z.string().nullable(),
  filterSubjects: z.array(z.string()),
  pending: z.number().meta({ description: 'messages in the stream not yet delivered to this consumer' }),
  ackPending: z.number().meta({ description: 'delivered, not yet acknowledged' }),
  redelivered: z.number(),
  waiting: z.number(),
  delivered: z.number().meta({ description: 'last delivered stream sequence' }),
  ackFloor: z.number().meta({ description: 'stream sequence below which everything is acknowledged' }),
  lastActive: z.string().nullable(),
});

export const streamsResponse = z.object({
  streams: z.array(z.object({
    name: z.string(),
    description: z.string().nullable(),
    subjects: z.array(z.string()),
    retention: z.string(),
    messages: z.number(),
    bytes: z.number(),
    firstSequence: z.number(),
    lastSequence: z.number(),
    consumerCount: z.number(),
    consumers: z.array(consumerStats),
    error: z.string().optional().meta({ description: 'set when this stream\'s consumers could not be listed (permissions)' }),
  })),
}).meta({ id: 'Streams' });

export const cacheStatsResponse = z.object({
  prefix: z.string(),
  server: z.record(z.string(), z.union([z.string(), z.number()])).meta({ description: 'selected INFO fields: version, memory, hits, misses, evictions, clients' }),
  keyspace: z.record(z.string(), z.string()),
  keys: z.object({
    scanned: z.number(), complete: z.boolean(),
    byNamespace: z.record(z.string(), z.number()).meta({ description: 'keys under the prefix, by their first segment' }),
  }),
  gateway: z.record(z.string(), z.number()).meta({ description: 'the gateway\'s own positions cache counters' }),
}).meta({ id: 'CacheStats' });

/** Redis glob under the prefix: letters, digits, `:_-.` and the glob characters `* ? [ ]`; never the rate-limit buckets. */
export const invalidateCacheBody = z.strictObject({
  pattern: z.string().min(1).max(200).regex(/^[A-Za-z0-9:_.*?[\]-]+$/, 'pattern: letters, digits, : _ . - and the globs * ? [ ] only')
    .refine((pattern) => pattern !== '*', 'a bare * would empty every cache; name a namespace (e.g. md:*)'),
  reason: reasonField,
});
export const invalidateCacheResponse = z.object({ pattern: z.string(), deleted: z.number(), scanned: z.number() }).meta({ id: 'CacheInvalidated' });

import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { CacheAdminUseCase } from '../application/cache/cache-admin.use-case.js';
import { StreamStatsUseCase } from '../application/streams/stream-stats.use-case.js';
import { CurrentPrincipal, Mutation, Read, TraceId } from '../security/access.decorators.js';
import type { Principal } from '../security/principal.js';
import { Endpoint } from './openapi.decorators.js';
import { cacheStatsResponse, invalidateCacheBody, invalidateCacheResponse, streamsResponse } from './schemas/ops.schemas.js';

/** The platform's plumbing: JetStream streams and consumers, the Redis cache. */
@ApiTags('operations')
@Controller('api/v1')
export class OpsController {
  constructor(private readonly streams: StreamStatsUseCase, private readonly cache: CacheAdminUseCase) {}

  @Get('streams')
  @Read()
  @Endpoint('Every JetStream stream and its consumers: messages, bytes, pending, ack pending, redelivered', streamsResponse)
  listStreams() {
    return this.streams.execute();
  }

  @Get('cache')
  @Read()
  @Endpoint('Redis statistics (INFO, keyspace) and the keys under the platform prefix by namespace', cacheStatsResponse)
  cacheStats() {
    return this.cache.stats();
  }

  @Post('cache/invalidate')
  @HttpCode(200)
  @Mutation('admin', 'api.cache.invalidate', { mode: 'local' })
  @Endpoint('Delete the cached keys matching a pattern under the prefix (SCAN + DEL); admin, with a reason', invalidateCacheResponse, [400, 403])
  invalidate(@CurrentPrincipal() principal: Principal, @TraceId() traceId: string, @Body({ schema: invalidateCacheBody }) body: z.output<typeof invalidateCacheBody>) {
    return this.cache.invalidate(principal, body, traceId || null);
  }
}

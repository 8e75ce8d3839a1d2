import { applyDecorators } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse } from '@nestjs/swagger';
import type { z } from 'zod';
import { errorResponseSchema } from './schemas/common.schemas.js';

const errorDescriptions: Record<number, string> = {
  400: 'invalid request: the message says which field and why',
  401: 'missing or unknown API key',
  403: 'the key\'s role is too weak for this',
  404: 'not found',
  409: 'conflicts with the current state (e.g. a stale expectedVersion)',
  429: 'rate limited: see Retry-After and X-RateLimit-*',
  503: 'a service behind the gateway is not answering (or Redis/Postgres is down); the message names it',
};

/**
 * OpenAPI for one endpoint: summary, the 200 schema (from the same zod schema family the
 * gateway validates with), and the error answers it can give (401, 429 and 503 on every one).
 */
export function Endpoint(summary: string, ok: z.ZodType, errors: number[] = [], description?: string) {
  const statuses = [...new Set([...errors, 401, 429, 503])].sort();
  return applyDecorators(
    ApiOperation({ summary, ...(description ? { description } : {}) }),
    ApiOkResponse({ standardSchema: ok as never }),
    ...statuses.map((status) => ApiResponse({ status, description: errorDescriptions[status] ?? 'error', standardSchema: errorResponseSchema as never })),
  );
}

import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { invalidRequest } from '../application/gateway-error.js';

const where: Record<string, string> = { body: 'body', query: 'query', param: 'path', custom: 'request' };

/** One line per problem, `body.volume: volume must be finite, got "Infinity"`; an unknown field is named. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], location: string): string {
  return issues.slice(0, 10).map((issue) => {
    const path = [location, ...issue.path.map(String)].join('.');
    if (issue.code === 'unrecognized_keys') return `${path}: unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}`;
    return `${path}: ${issue.message}`;
  }).join('; ');
}

/**
 * Validates every parameter that declares a zod schema (`@Body({ schema })`, `@Query({ schema })`,
 * `@Param('id', { schema })`) and hands the parsed value (defaults applied, decimals normalised)
 * to the handler. A failure is a 400 OPS.INVALID_REQUEST that says what and why.
 */
@Injectable()
export class ZodRequestPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    const schema = metadata.schema as unknown as z.ZodType | undefined;
    if (!schema || typeof (schema as { safeParse?: unknown }).safeParse !== 'function') return value;
    const location = metadata.type === 'param' && metadata.data ? `path.${metadata.data}` : where[metadata.type] ?? 'request';
    const parsed = schema.safeParse(value ?? (metadata.type === 'body' ? {} : value));
    if (parsed.success) return parsed.data;
    throw invalidRequest(describeIssues(parsed.error.issues, location));
  }
}

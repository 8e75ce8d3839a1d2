import { applyDecorators, createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { ApiSecurity } from '@nestjs/swagger';
import type { Role } from './api-key.js';
import type { GatewayRequestContext, Principal } from './principal.js';

/** Rate-limit classes: orders get the tighter buckets and fail closed without Redis. */
export const RateClasses = ['read', 'order'] as const;
export type RateClass = (typeof RateClasses)[number];

export interface AccessRule {
  readonly role: Role;
  readonly rate: RateClass;
}

/**
 * `remote`: the effect happens in another service; the gateway writes the audit row with the
 * result that service returned. `local`: the handler writes the row in the transaction of its own
 * effect; the gateway writes one only when the call fails before that.
 */
export interface AuditRule {
  readonly action: string;
  readonly mode: 'remote' | 'local';
}

export const ACCESS_RULE = Symbol('ACCESS_RULE');
export const AUDIT_RULE = Symbol('AUDIT_RULE');

/** A read: needs `role` (viewer by default) and takes a token from the read buckets. */
export const Read = (role: Role = 'viewer') =>
  applyDecorators(SetMetadata(ACCESS_RULE, { role, rate: 'read' } satisfies AccessRule), ApiSecurity('api-key'));

/** A change: needs `role`, is written to the audit log as `action`, and uses the `rate` buckets. */
export const Mutation = (role: Role, action: string, options: { rate?: RateClass; mode?: AuditRule['mode'] } = {}) =>
  applyDecorators(
    SetMetadata(ACCESS_RULE, { role, rate: options.rate ?? 'read' } satisfies AccessRule),
    SetMetadata(AUDIT_RULE, { action, mode: options.mode ?? 'remote' } satisfies AuditRule),
    ApiSecurity('api-key'),
  );

/** The authenticated caller (set by the access guard). */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const request = context.switchToHttp().getRequest<GatewayRequestContext>();
  if (!request.principal) throw new Error('CurrentPrincipal used on a route without an access rule');
  return request.principal;
});

/** The request's trace id (set by the access guard). */
export const TraceId = createParamDecorator((_data: unknown, context: ExecutionContext): string =>
  context.switchToHttp().getRequest<GatewayRequestContext>().traceId ?? '');

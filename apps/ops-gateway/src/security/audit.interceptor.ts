import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { currentTraceId, withSpan } from '@mt5/infra/telemetry';
import type { Request } from 'express';
import type { Logger } from 'pino';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { LOGGER } from '@mt5/infra/logging';
import { GatewayError } from '../application/gateway-error.js';
import { AUDIT_RULE, type AuditRule } from './access.decorators.js';
import { AuditLogRepository } from './audit-log.repository.js';
import { newTraceId, type GatewayRequestContext } from './principal.js';

/** What the audit log keeps of a request: route, path parameters, query and body; never headers. */
export function auditParams(request: Request): Record<string, unknown> {
  const body = request.body && typeof request.body === 'object' && Object.keys(request.body as object).length > 0 ? request.body : undefined;
  const query = Object.keys(request.query ?? {}).length > 0 ? request.query : undefined;
  const params = Object.keys(request.params ?? {}).length > 0 ? request.params : undefined;
  return { route: `${request.method} ${request.path}`, ...(params && { params }), ...(query && { query }), ...(body && { body }) };
}

/** `ok`, or `ok: ALLOW` / `ok: DENY RISK.MAX_LOTS_EXCEEDED` for an order decision. */
export function resultOf(value: unknown): string {
  const decision = (value as { decision?: { outcome?: string; code?: string } } | undefined)?.decision;
  if (decision?.outcome) return `ok: ${decision.outcome}${decision.code ? ` ${decision.code}` : ''}`;
  return 'ok';
}

export function failureOf(error: unknown): string {
  if (error instanceof GatewayError) return `${error.status === 403 ? 'denied' : 'error'}: ${error.code}${error.status === 503 && error.code === 'SYS.TIMEOUT' ? ' (outcome unknown)' : ''}`;
  return 'error: SYS.INTERNAL';
}

/**
 * Writes the audit row of every mutating call (routes with an audit rule): the caller, its role,
 * the action, the parameters and the result. The call runs in a span, so its trace id reaches the
 * service that makes the change (NATS headers) and is stored with the row. For a change made in
 * another service the row records what that service answered (that service writes its own row
 * in the transaction of the change); for a local change the handler writes the row in its own
 * transaction and this writes one only when the call fails.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector, @Inject(AuditLogRepository) private readonly audit: AuditLogRepository, @Inject(LOGGER) private readonly logger: Logger) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const rule = this.reflector.getAllAndOverride<AuditRule | undefined>(AUDIT_RULE, [context.getHandler(), context.getClass()]);
    if (!rule || context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<Request & GatewayRequestContext>();
    return from(withSpan(`api ${rule.action}`, { kind: 'server', attributes: { 'mt5.actor': request.principal?.name } }, async () => {
      // The span's trace id when telemetry runs (it travels to the service in the NATS headers); else a random one.
      request.traceId = currentTraceId() ?? request.traceId ?? newTraceId();
      try {
        const value = await lastValueFrom(next.handle(), { defaultValue: undefined });
        if (rule.mode === 'remote') await this.write(request, rule, resultOf(value));
        return value;
      } catch (error) {
        await this.write(request, rule, failureOf(error));
        throw error;
      }
    }));
  }

  /** A failed audit write does not undo a change another service already made: it is logged loudly instead. */
  private async write(request: Request & GatewayRequestContext, rule: AuditRule, result: string): Promise<void> {
    const principal = request.principal;
    if (!principal) return;
    try {
      await this.audit.write({ actor: principal.name, role: principal.role, action: rule.action, params: auditParams(request), result, traceId: request.traceId ?? null });
    } catch (error) {
      this.logger.error({ err: error, action: rule.action, actor: principal.name, result, traceId: request.traceId }, 'AUDIT ROW NOT WRITTEN');
    }
  }
}

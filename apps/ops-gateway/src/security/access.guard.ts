import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { GatewayError } from '../application/gateway-error.js';
import { ACCESS_RULE, AUDIT_RULE, type AccessRule, type AuditRule } from './access.decorators.js';
import { roleAtLeast } from './api-key.js';
import { AuditLogRepository } from './audit-log.repository.js';
import { auditParams } from './audit.interceptor.js';
import { KeyAuthenticator } from './key-authenticator.js';
import { newTraceId, type GatewayRequestContext } from './principal.js';
import { RateLimitPolicy } from './rate-limit.policy.js';

/**
 * Every API route passes here: the key is checked, a token is taken from the rate-limit buckets,
 * then the role. An `/api/` route without an access rule is refused (fail closed), so a handler
 * that forgot its decorator cannot be public. Routes outside `/api/` (probes, metrics, docs) pass.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(KeyAuthenticator) private readonly keys: KeyAuthenticator,
    @Inject(RateLimitPolicy) private readonly limits: RateLimitPolicy,
    @Inject(AuditLogRepository) private readonly audit: AuditLogRepository,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request & GatewayRequestContext>();
    const response = context.switchToHttp().getResponse<Response>();
    const targets = [context.getHandler(), context.getClass()];
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, targets);
    if (!rule) {
      if (request.path.startsWith('/api/')) throw new GatewayError(500, 'SYS.INTERNAL', 'this route has no access rule and is refused');
      return true;
    }
    const ip = request.ip ?? request.socket.remoteAddress ?? 'unknown';
    let principal;
    try {
      principal = await this.keys.authenticate(request.header('x-api-key') ?? undefined);
    } catch {
      throw new GatewayError(503, 'SYS.DEPENDENCY_UNAVAILABLE', 'API keys cannot be checked right now (Postgres unavailable)', true, { 'Retry-After': '5' });
    }
    if (!principal) {
      await this.limits.failedAuthentication(ip, response);
      throw new GatewayError(401, 'OPS.UNAUTHENTICATED', 'a valid API key is required in the X-API-Key header');
    }
    await this.limits.admit(rule.rate, principal.keyId, ip, response);
    if (!roleAtLeast(principal.role, rule.role)) {
      const auditRule = this.reflector.getAllAndOverride<AuditRule | undefined>(AUDIT_RULE, targets);
      if (auditRule) {
        await this.audit.write({
          actor: principal.name, role: principal.role, action: auditRule.action, params: auditParams(request), result: 'denied: OPS.FORBIDDEN', traceId: (request.traceId ??= newTraceId()),
        }).catch(() => undefined);
      }
      throw new GatewayError(403, 'OPS.FORBIDDEN', `this needs the ${rule.role} role; the key ${principal.name} is ${principal.role}`);
    }
    request.principal = principal;
    return true;
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { ServiceName } from '@mt5/contracts';
import { NatsService, requestQuery, subjectIn, type ProvisionOptions } from '@mt5/infra/nats';
import { GATEWAY_OPTIONS, type GatewayOptions } from '../../gateway.tokens.js';
import { replyFailure, transportFailure } from './upstream-errors.js';

/** What the gateway asks another service: a query (read) or a command (a change). */
export interface UpstreamRequest {
  readonly service: ServiceName;
  /** Subject without the test namespace, as `Subjects.query(...)` renders it. */
  readonly subject: string;
  readonly body: unknown;
  /** Commands get the longer timeout; past it their outcome is unknown. */
  readonly kind?: 'query' | 'command';
}

/**
 * Request/reply to the services behind the gateway. A reply `{ ok: true, data }` returns `data`;
 * anything else becomes a {@link GatewayError} with the HTTP status it maps to.
 */
@Injectable()
export class UpstreamClient {
  private readonly provision: ProvisionOptions;
  constructor(private readonly nats: NatsService, @Inject(GATEWAY_OPTIONS) private readonly options: GatewayOptions) {
    this.provision = options.provision ?? {};
  }

  async request<T>(request: UpstreamRequest): Promise<T> {
    const subject = subjectIn(request.subject, this.provision);
    const timeoutMs = request.kind === 'command' ? this.options.config.OPS_COMMAND_TIMEOUT_MS : this.options.config.OPS_QUERY_TIMEOUT_MS;
    let reply;
    try {
      reply = await requestQuery<T>(this.nats.nc, subject, request.body, timeoutMs);
    } catch (error) {
      throw transportFailure(request.service, request.subject, error, timeoutMs);
    }
    if (!reply.ok) throw replyFailure(request.service, request.subject, reply.error);
    return reply.data;
  }
}

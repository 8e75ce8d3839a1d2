import { Inject, Injectable } from '@nestjs/common';
import { ServiceNames, Subjects, type ServiceName } from '@mt5/contracts';
import { NatsService, requestQuery, subjectIn } from '@mt5/infra/nats';
import { DependencyHealth } from '@mt5/infra/health';
import { GATEWAY_OPTIONS, type GatewayOptions } from '../../gateway.tokens.js';

export interface ServiceHealth {
  readonly service: ServiceName;
  readonly status: 'ok' | 'degraded' | 'down';
  readonly latencyMs?: number;
  readonly checks?: Record<string, { status: string; [key: string]: unknown }>;
  readonly uptimeSeconds?: number;
  readonly error?: string;
}

export interface SystemHealth {
  readonly status: 'ok' | 'degraded' | 'down';
  /** 0..100: share of services answering ok, weighted with the gateway's own dependencies. */
  readonly score: number;
  readonly figures: { servicesOk: number; servicesDegraded: number; servicesDown: number; dependenciesUp: number; dependenciesDown: number };
  readonly services: readonly ServiceHealth[];
  readonly gateway: Record<string, { status: string; [key: string]: unknown }>;
}

/** Gathers the health of every service over NATS request/reply (`<prefix>.qry.health`). */
@Injectable()
export class SystemHealthUseCase {
  constructor(
    private readonly nats: NatsService,
    @Inject(DependencyHealth) private readonly dependencies: DependencyHealth,
    @Inject(GATEWAY_OPTIONS) private readonly options: GatewayOptions,
  ) {}

  async execute(timeoutMs = 1500): Promise<SystemHealth> {
    const [gateway, services] = await Promise.all([
      this.dependencies.run(),
      Promise.all(ServiceNames.filter((s) => s !== 'ops-gateway').map((s) => this.ask(s, timeoutMs))),
    ]);
    const gatewayDown = Object.values(gateway).filter((c) => c.status === 'down').length;
    const all: ServiceHealth[] = [{ service: 'ops-gateway', status: gatewayDown ? 'degraded' : 'ok', checks: gateway }, ...services];
    const ok = all.filter((s) => s.status === 'ok').length;
    const degraded = all.filter((s) => s.status === 'degraded').length;
    const down = all.length - ok - degraded;
    const dependencyChecks = Object.values(gateway);
    const dependenciesUp = dependencyChecks.filter((c) => c.status === 'up').length;
    // Services count 80%, the gateway's own dependencies 20%; a degraded service counts half.
    const score = Math.round(80 * ((ok + degraded / 2) / all.length) + 20 * (dependencyChecks.length ? dependenciesUp / dependencyChecks.length : 1));
    return {
      status: down === 0 && degraded === 0 ? 'ok' : ok === 0 ? 'down' : 'degraded',
      score,
      figures: { servicesOk: ok, servicesDegraded: degraded, servicesDown: down, dependenciesUp, dependenciesDown: dependencyChecks.length - dependenciesUp },
      services: all,
      gateway,
    };
  }

  private async ask(service: ServiceName, timeoutMs: number): Promise<ServiceHealth> {
    const started = performance.now();
    try {
      const reply = await requestQuery<{ status: 'ok' | 'degraded'; checks: ServiceHealth['checks']; uptimeSeconds: number }>(
        this.nats.nc, subjectIn(Subjects.health(service), this.options.provision), {}, timeoutMs,
      );
      const latencyMs = Math.round((performance.now() - started) * 100) / 100;
      if (!reply.ok) return { service, status: 'degraded', latencyMs, error: reply.error.message };
      return { service, status: reply.data.status, latencyMs, checks: reply.data.checks, uptimeSeconds: reply.data.uptimeSeconds };
    } catch (error) {
      return { service, status: 'down', error: (error as Error).message };
    }
  }
}

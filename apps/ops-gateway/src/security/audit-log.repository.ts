import { Inject, Injectable } from '@nestjs/common';
import { Prisma, PrismaService } from '@mt5/infra/prisma';

/** Anything that can run Prisma queries: the client or an interactive transaction. */
export type PrismaRunner = Pick<PrismaService, 'auditLog' | 'apiKey'> | Prisma.TransactionClient;

/** One row of `audit_log`: who did what, with which parameters, and what came of it. */
export interface AuditEntry {
  /** API key name (or the CLI user). */
  readonly actor: string;
  readonly role: string;
  /** Stable action name, e.g. `api.orders.place`, `keys.create`. */
  readonly action: string;
  readonly params: Record<string, unknown>;
  /** `ok`, `ok: <summary>`, `denied: <code>` or `error: <code>`. */
  readonly result: string;
  readonly traceId: string | null;
}

/** Longest `params` JSON kept; a larger body is cut to its keys (the log is for people, not replay). */
const MAX_PARAMS_CHARS = 8000;

export function boundedParams(params: Record<string, unknown>): Prisma.InputJsonObject {
  const json = JSON.stringify(params);
  if (json.length <= MAX_PARAMS_CHARS) return JSON.parse(json) as Prisma.InputJsonObject;
  return { truncated: true, keys: Object.keys(params) };
}

/** Writes audit rows, alone or inside the caller's transaction (the one that makes the effect). */
@Injectable()
export class AuditLogRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  async write(entry: AuditEntry, runner: PrismaRunner = this.prisma): Promise<void> {
    await runner.auditLog.create({
      data: {
        actor: entry.actor.slice(0, 128), role: entry.role, action: entry.action, params: boundedParams(entry.params),
        result: entry.result.slice(0, 500), traceId: entry.traceId,
      },
    });
  }

  /** Runs `work` and writes its audit row in one transaction: both commit or neither does. */
  transaction<T>(work: (tx: Prisma.TransactionClient) => Promise<T>, timeoutMs = 30_000): Promise<T> {
    return this.prisma.$transaction(work, { timeout: timeoutMs, maxWait: 5_000 });
  }
}

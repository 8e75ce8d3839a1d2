import { Prisma, PrismaService } from '@mt5/infra/prisma';
import { generateApiKey, type Role } from './api-key.js';
import { boundedParams } from './audit-log.repository.js';

/** A key as listed: never its hash, never the secret. */
export interface ApiKeyView {
  readonly id: string;
  readonly name: string;
  readonly role: string;
  readonly prefix: string;
  readonly createdAt: Date;
  readonly revokedAt: Date | null;
  readonly lastUsedAt: Date | null;
}

/** The identity a request runs as once its key checked out. */
export interface KeyIdentity {
  readonly id: string;
  readonly name: string;
  readonly role: string;
}

/** Who runs the CLI, for the audit row of a key change. */
export interface CliActor {
  readonly name: string;
  readonly traceId: string | null;
}

export class KeyCommandError extends Error {
  override readonly name = 'KeyCommandError';
  constructor(readonly code: 'OPS.CONFLICT' | 'OPS.NOT_FOUND', message: string) {
    super(message);
  }
}

const view = (row: ApiKeyView): ApiKeyView => ({
  id: row.id, name: row.name, role: row.role, prefix: row.prefix, createdAt: row.createdAt, revokedAt: row.revokedAt, lastUsedAt: row.lastUsedAt,
});

/**
 * `api_keys`: creation and revocation write their audit row in the same transaction as the
 * change, so a key never exists (or stops existing) without a record of who did it.
 */
export class ApiKeysRepository {
  constructor(private readonly prisma: PrismaService) {}

  async create(name: string, role: Role, actor: CliActor): Promise<{ key: string; view: ApiKeyView }> {
    const fresh = generateApiKey();
    try {
      return await this.prisma.$transaction(async (tx) => {
        const row = await tx.apiKey.create({ data: { name, role, keyHash: fresh.hash, prefix: fresh.prefix } });
        await tx.auditLog.create({
          data: { actor: actor.name, role: 'admin', action: 'keys.create', params: boundedParams({ name, role, prefix: fresh.prefix }), result: 'ok', traceId: actor.traceId },
        });
        return { key: fresh.key, view: view(row) };
      });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
        throw new KeyCommandError('OPS.CONFLICT', `a key named ${JSON.stringify(name)} already exists (names are unique, also after revocation)`);
      }
      throw error;
    }
  }

  async revoke(prefix: string, actor: CliActor, reason: string | undefined, now: Date): Promise<ApiKeyView> {
    return this.prisma.$transaction(async (tx) => {
      const rows = await tx.apiKey.findMany({ where: { prefix } });
      if (rows.length === 0) throw new KeyCommandError('OPS.NOT_FOUND', `no key with prefix ${prefix}`);
      if (rows.length > 1) throw new KeyCommandError('OPS.CONFLICT', `${rows.length} keys share prefix ${prefix}; revoke by a longer one is not possible, rotate them`);
      const [row] = rows;
      if (row.revokedAt !== null) throw new KeyCommandError('OPS.CONFLICT', `key ${prefix} (${row.name}) was already revoked at ${row.revokedAt.toISOString()}`);
      const updated = await tx.apiKey.update({ where: { id: row.id }, data: { revokedAt: now } });
      await tx.auditLog.create({
        data: {
          actor: actor.name, role: 'admin', action: 'keys.revoke', params: boundedParams({ prefix, name: row.name, ...(reason ? { reason } : {}) }),
          result: 'ok', traceId: actor.traceId,
        },
      });
      return view(updated);
    });
  }

  async list(): Promise<ApiKeyView[]> {
    const rows = await this.prisma.apiKey.findMany({ orderBy: { createdAt: 'asc' } });
    return rows.map(view);
  }

  /** The live key with this hash, or null (unknown or revoked). */
  async findActive(hash: string): Promise<KeyIdentity | null> {
    const row = await this.prisma.apiKey.findUnique({ where: { keyHash: hash }, select: { id: true, name: true, role: true, revokedAt: true } });
    return row && row.revokedAt === null ? { id: row.id, name: row.name, role: row.role } : null;
  }

  async touch(id: string, at: Date): Promise<void> {
    await this.prisma.apiKey.update({ where: { id }, data: { lastUsedAt: at } });
  }
}

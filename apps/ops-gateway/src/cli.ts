// API keys from the command line, straight against Postgres (the gateway need not run):
//   node dist/apps/ops-gateway/src/cli.js keys create --name <name> --role viewer|operator|admin
//   node dist/apps/ops-gateway/src/cli.js keys revoke <prefix> [--reason <text>]
//   node dist/apps/ops-gateway/src/cli.js keys list
// DATABASE_URL (and ?schema=) select the database, as for the service. The secret of a new key is
// printed once and never stored; the audit row of a create or revoke commits with the change.
import { userInfo } from 'node:os';
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { createPgPool, PrismaService } from '@mt5/infra/prisma';
import { loadServiceConfig } from './config.js';
import { isRole, Roles, type Role } from './security/api-key.js';
import { ApiKeysRepository, KeyCommandError, type ApiKeyView } from './security/api-keys.repository.js';

export const USAGE = [
  'usage: cli.js keys create --name <name> --role viewer|operator|admin [--actor <who>]',
  '       cli.js keys revoke <prefix> [--reason <text>] [--actor <who>]',
  '       cli.js keys list',
].join('\n');

export type KeysCommand =
  | { readonly kind: 'create'; readonly name: string; readonly role: Role; readonly actor?: string }
  | { readonly kind: 'revoke'; readonly prefix: string; readonly reason?: string; readonly actor?: string }
  | { readonly kind: 'list' };

/** Parses the arguments, or lists every problem with them. */
export function parseKeysArgs(argv: readonly string[]): { ok: true; command: KeysCommand } | { ok: false; problems: string[] } {
  const [group, verb, ...rest] = argv;
  const problems: string[] = [];
  if (group !== 'keys') return { ok: false, problems: [`unknown command ${JSON.stringify(group ?? '')}`] };
  const positional: string[] = [];
  const flags = new Map<string, string>();
  const allowed: Record<string, string[]> = { create: ['--name', '--role', '--actor'], revoke: ['--reason', '--actor'], list: [] };
  if (!verb || !(verb in allowed)) return { ok: false, problems: [`unknown keys command ${JSON.stringify(verb ?? '')} (create, revoke, list)`] };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const value = rest[i + 1];
    if (!allowed[verb]!.includes(arg)) problems.push(`unknown option ${arg}`);
    else if (value === undefined || value.startsWith('--')) problems.push(`${arg} needs a value`);
    else flags.set(arg.slice(2), value);
    i++;
  }
  if (verb === 'create') {
    const name = flags.get('name');
    const role = flags.get('role');
    if (!name) problems.push('--name is required');
    else if (!/^[A-Za-z0-9_.@-]{1,64}$/.test(name)) problems.push('--name: 1..64 characters of letters, digits and _ . @ -');
    if (!role) problems.push('--role is required');
    else if (!isRole(role)) problems.push(`--role must be one of ${Roles.join(', ')}`);
    if (positional.length) problems.push(`unexpected argument ${positional[0]}`);
    if (problems.length) return { ok: false, problems };
    return { ok: true, command: { kind: 'create', name: name!, role: role as Role, actor: flags.get('actor') } };
  }
  if (verb === 'revoke') {
    if (positional.length !== 1) problems.push('revoke takes exactly one key prefix (as `keys list` shows it)');
    if (problems.length) return { ok: false, problems };
    return { ok: true, command: { kind: 'revoke', prefix: positional[0]!, reason: flags.get('reason'), actor: flags.get('actor') } };
  }
  if (positional.length) problems.push(`unexpected argument ${positional[0]}`);
  return problems.length ? { ok: false, problems } : { ok: true, command: { kind: 'list' } };
}

const row = (key: ApiKeyView) =>
  [key.prefix, key.name.padEnd(24), key.role.padEnd(8), key.createdAt.toISOString(), key.revokedAt ? `revoked ${key.revokedAt.toISOString()}` : 'active',
    key.lastUsedAt ? `last used ${key.lastUsedAt.toISOString()}` : 'never used'].join('  ');

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Runs one command; exit code 0, 1 for a refused change, 2 for bad arguments. */
export async function runKeysCommand(argv: readonly string[], env: Record<string, string | undefined> = process.env, io: CliIo = {
  stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text),
}): Promise<number> {
  const parsed = parseKeysArgs(argv);
  if (!parsed.ok) {
    io.stderr(`${parsed.problems.join('\n')}\n${USAGE}\n`);
    return 2;
  }
  const config = loadServiceConfig(env);
  const url = config.DATABASE_URL;
  const prisma = new PrismaService({ url }, createPgPool({ url, poolMax: 1, applicationName: 'ops-gateway-cli' }));
  await prisma.onModuleInit();
  const keys = new ApiKeysRepository(prisma);
  const command = parsed.command;
  const actor = { name: (command.kind !== 'list' && command.actor) || `${userInfo().username}@cli`, traceId: randomBytes(16).toString('hex') };
  try {
    if (command.kind === 'create') {
      const created = await keys.create(command.name, command.role, actor);
      io.stdout(`created key ${created.view.prefix} for ${created.view.name} (${created.view.role})\n`);
      io.stdout(`${created.key}\n`);
      io.stderr('the key is shown this once: store it now; only its hash is kept\n');
    } else if (command.kind === 'revoke') {
      const revoked = await keys.revoke(command.prefix, actor, command.reason, new Date());
      io.stdout(`revoked key ${revoked.prefix} (${revoked.name}); gateways stop accepting it within OPS_KEY_CACHE_SECONDS\n`);
    } else {
      const list = await keys.list();
      io.stdout(list.length ? `${list.map(row).join('\n')}\n` : 'no keys\n');
    }
    return 0;
  } catch (error) {
    if (error instanceof KeyCommandError) {
      io.stderr(`${error.code}: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await prisma.onApplicationShutdown();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await runKeysCommand(process.argv.slice(2)).catch((error: Error) => {
    process.stderr.write(`keys: ${error.message}\n`);
    return 1;
  });
}

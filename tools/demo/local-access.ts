import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Output and exit code of a finished child process. */
export interface ChildResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to completion, capturing its output (stdin closed). */
export function runChild(command: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv; echo?: boolean }): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (options.echo) process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (options.echo) process.stderr.write(chunk);
    });
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
  });
}

export interface AdminKey {
  readonly key: string;
  readonly name: string;
  readonly file: string;
  /** Created by this run (else: the saved one still works). */
  readonly created: boolean;
}

/** Whether the gateway accepts `key` (an authenticated read; 401/403 means no). */
export async function gatewayAccepts(gatewayUrl: string, key: string): Promise<boolean> {
  try {
    const response = await fetch(`${gatewayUrl}/api/v1/strategies`, { headers: { 'X-API-Key': key }, signal: AbortSignal.timeout(5_000) });
    return response.ok;
  } catch {
    return false;
  }
}

/**
 * An admin API key for the local install. The gateway keeps only hashes, so the run command keeps
 * the key it created in `<data>/demo/local-admin.key` (mode 0600, under the git-ignored .data/)
 * and reuses it while the gateway accepts it; otherwise it creates one with the gateway's keys CLI
 * (`keys create --name local-admin --role admin`; names are unique, so a later one gets a date).
 */
export async function ensureAdminKey(options: { root: string; dataDir: string; gatewayUrl: string; env: NodeJS.ProcessEnv; now: Date }): Promise<AdminKey> {
  const file = path.join(options.dataDir, 'demo', 'local-admin.key');
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { key?: string; name?: string };
    if (saved.key && (await gatewayAccepts(options.gatewayUrl, saved.key))) return { key: saved.key, name: saved.name ?? 'local-admin', file, created: false };
  }
  const cli = path.join(options.root, 'dist/apps/ops-gateway/src/cli.js');
  if (!existsSync(cli)) throw new Error(`${path.relative(options.root, cli)} is missing (ops-gateway's keys CLI): no admin key could be made`);
  const stamp = options.now.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  for (const name of ['local-admin', `local-admin-${stamp}`]) {
    const result = await runChild(process.execPath, [cli, 'keys', 'create', '--name', name, '--role', 'admin', '--actor', 'run-command'], { cwd: options.root, env: options.env });
    const key = /\bmt5_[A-Za-z0-9_-]{43}\b/.exec(result.stdout)?.[0];
    if (result.code === 0 && key) {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, `${JSON.stringify({ name, key, createdAt: options.now.toISOString() })}\n`, { mode: 0o600 });
      chmodSync(file, 0o600);
      return { key, name, file, created: true };
    }
    if (!/OPS\.CONFLICT/.test(result.stderr)) throw new Error(`keys create failed (exit ${result.code}): ${result.stderr.trim() || result.stdout.trim()}`);
  }
  throw new Error('keys create: both names are taken');
}

/** Writes the HTML report with reporting's CLI; returns its absolute path. */
export async function writeHtmlReport(options: { root: string; env: NodeJS.ProcessEnv; account: string; from?: number; to?: number; out: string }): Promise<string> {
  const cli = path.join(options.root, 'dist/apps/reporting/src/cli.js');
  const args = [cli, 'report', '--account', options.account, '--out', options.out];
  if (options.from !== undefined) args.push('--from', new Date(options.from).toISOString());
  if (options.to !== undefined) args.push('--to', new Date(options.to).toISOString());
  const result = await runChild(process.execPath, args, { cwd: options.root, env: options.env });
  if (result.code !== 0) throw new Error(`reporting CLI failed (exit ${result.code}): ${result.stderr.trim()}`);
  return path.resolve(options.root, options.out);
}

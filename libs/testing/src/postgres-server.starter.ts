import { spawn, spawnSync } from 'node:child_process';
import { accessSync, chownSync, constants, existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './free-port.js';

export interface PostgresServerOptions {
  /** Folder with initdb, pg_ctl and postgres. Default PG_BIN_DIR or /usr/lib/postgresql/15/bin. */
  binDir?: string;
  /** User, password and database the cluster is made with. Default `mt5` for all three. */
  user?: string;
  password?: string;
  database?: string;
  /** Extra `-c name=value` server settings, e.g. `{ max_connections: '200' }`. */
  settings?: Readonly<Record<string, string>>;
  /** How long `pg_ctl start` may wait for the server to accept connections. Default 60 s. */
  startTimeoutMs?: number;
}

/**
 * A throwaway Postgres cluster in a temporary directory, on a free loopback port, with its unix
 * socket in that directory. {@link stop} and {@link start} keep the data (a test can take the
 * database away and bring it back); {@link destroy} stops it and deletes everything.
 */
export interface PostgresTestServer {
  /** `postgresql://user:password@127.0.0.1:<port>/<database>`. */
  readonly url: string;
  readonly port: number;
  /** The temporary directory: `data/` (the cluster), the socket and `postgres.log`. */
  readonly dir: string;
  readonly running: boolean;
  /** `pg_ctl stop`; `fast` (default) disconnects clients and shuts down cleanly, `immediate` is a crash. */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
  /** The server log's last lines, for failure messages. */
  log(): string;
}

const clusters = new Set<{ dataDir: string; pgCtl: string; asUser: string | undefined }>();
let exitHookInstalled = false;

/**
 * Starts a private Postgres 15 cluster (initdb, then pg_ctl start), for tests that stop Postgres
 * or must not touch the shared server. Authentication is `trust` on loopback only: the password is
 * accepted and ignored. Postgres refuses to run as root, so under root (CI, containers) the
 * cluster belongs to the `postgres` user (the Debian package creates it) and runs through runuser.
 */
export async function startPostgresServer(options: PostgresServerOptions = {}): Promise<PostgresTestServer> {
  const { user = 'mt5', password = 'mt5', database = 'mt5', settings = {}, startTimeoutMs = 60_000 } = options;
  const binDir = options.binDir ?? process.env.PG_BIN_DIR ?? '/usr/lib/postgresql/15/bin';
  for (const tool of ['initdb', 'pg_ctl', 'postgres', 'createdb']) {
    try {
      accessSync(path.join(binDir, tool), constants.X_OK);
    } catch {
      throw new Error(`startPostgresServer: ${path.join(binDir, tool)} not found (apt-get install postgresql-15, or set PG_BIN_DIR)`);
    }
  }
  const asUser = process.getuid?.() === 0 ? 'postgres' : undefined;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mt5-pg-'));
  const dataDir = path.join(dir, 'data');
  const logFile = path.join(dir, 'postgres.log');
  if (asUser) {
    const owner = spawnSync('id', ['-u', asUser], { encoding: 'utf8' });
    const group = spawnSync('id', ['-g', asUser], { encoding: 'utf8' });
    if (owner.status !== 0) throw new Error(`startPostgresServer: running as root and there is no '${asUser}' user to run Postgres as`);
    chownSync(dir, Number(owner.stdout.trim()), Number(group.stdout.trim()));
  }
  const port = await freePort();
  const run = (tool: string, args: readonly string[]) => runTool(path.join(binDir, tool), args, asUser);

  const init = await run('initdb', ['-D', dataDir, '-U', user, '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
  if (init.code !== 0) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`startPostgresServer: initdb failed (exit ${init.code}):\n${init.output}`);
  }
  const serverOptions = [
    `-p ${port}`, `-k ${dir}`, '-c listen_addresses=127.0.0.1',
    ...Object.entries({ max_connections: '200', ...settings }).map(([name, value]) => `-c ${name}=${value}`),
  ].join(' ');
  const cluster = { dataDir, pgCtl: path.join(binDir, 'pg_ctl'), asUser };
  let running = false;

  const start = async () => {
    const started = await run('pg_ctl', ['-D', dataDir, '-l', logFile, '-w', '-t', String(Math.ceil(startTimeoutMs / 1000)), '-o', serverOptions, 'start']);
    if (started.code !== 0) throw new Error(`startPostgresServer: pg_ctl start failed (exit ${started.code}):\n${started.output}\n${tail(logFile)}`);
    running = true;
    clusters.add(cluster);
    installExitHook();
  };
  const stop = async (mode: 'fast' | 'immediate' = 'fast') => {
    if (!running) return;
    const stopped = await run('pg_ctl', ['-D', dataDir, '-m', mode, '-w', '-t', '60', 'stop']);
    if (stopped.code !== 0) throw new Error(`startPostgresServer: pg_ctl stop failed (exit ${stopped.code}):\n${stopped.output}`);
    running = false;
    clusters.delete(cluster);
  };

  try {
    await start();
    if (database !== 'postgres') {
      const created = await run('createdb', ['-h', dir, '-p', String(port), '-U', user, database]);
      if (created.code !== 0) throw new Error(`startPostgresServer: createdb ${database} failed (exit ${created.code}):\n${created.output}`);
    }
  } catch (error) {
    await stop('immediate').catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `postgresql://${user}:${password}@127.0.0.1:${port}/${database}`,
    port,
    dir,
    get running() {
      return running;
    },
    stop,
    start,
    async destroy() {
      await stop('immediate').catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
    log: () => tail(logFile),
  };
}

function tail(file: string, lines = 30): string {
  if (!existsSync(file)) return '';
  return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}

/** Runs a Postgres tool to completion (as `asUser` through runuser when given), capturing its output. */
function runTool(binary: string, args: readonly string[], asUser: string | undefined): Promise<{ code: number; output: string }> {
  const [command, argv] = asUser ? ['runuser', ['-u', asUser, '--', binary, ...args]] : [binary, [...args]];
  return new Promise((resolve, reject) => {
    // pg_ctl's server inherits these pipes: it gets /dev/null for stdout/stderr through `-l`, but
    // stdin must not be a pipe we wait on.
    const child = spawn(command as string, argv as string[], { stdio: ['ignore', 'pipe', 'pipe'], cwd: os.tmpdir() });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

/** A test that forgets destroy() must not leave a postmaster behind when the worker exits. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const { dataDir, pgCtl, asUser } of clusters) {
      const args = ['-D', dataDir, '-m', 'immediate', 'stop'];
      spawnSync(asUser ? 'runuser' : pgCtl, asUser ? ['-u', asUser, '--', pgCtl, ...args] : args, { stdio: 'ignore' });
    }
  });
}

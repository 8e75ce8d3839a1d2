import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './free-port.js';

export interface RedisServerOptions {
  /** Extra redis-server arguments (`['--maxmemory', '10mb']`). */
  args?: readonly string[];
  /** How long to wait for PONG. Default 15 s. */
  startTimeoutMs?: number;
}

/**
 * A throwaway redis-server on a free loopback port, without persistence (no RDB, no AOF), so a
 * restart starts empty, as Redis is meant to be used here (only what can be rebuilt).
 * {@link stop} and {@link start} keep the port; {@link destroy} stops it and deletes its folder.
 */
export interface RedisTestServer {
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  readonly running: boolean;
  /** SIGTERM (default) or SIGKILL (a crash); either way the data is gone. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Starts a private redis-server (REDIS_SERVER_BIN or `redis-server` on the PATH or in /usr/bin). */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisTestServer> {
  const { args = [], startTimeoutMs = 15_000 } = options;
  const binary = findRedisServer();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mt5-redis-'));
  const port = await freePort();
  const argv = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no', ...args];
  let child: ChildProcess | undefined;

  const start = async () => {
    if (child) return;
    const launched = spawn(binary, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = launched;
    running.add(launched);
    installExitHook();
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4_000);
    };
    launched.stdout!.on('data', keep);
    launched.stderr!.on('data', keep);
    launched.once('exit', () => {
      running.delete(launched);
      if (child === launched) child = undefined;
    });
    const deadline = performance.now() + startTimeoutMs;
    while (performance.now() < deadline) {
      if (launched.exitCode !== null || launched.signalCode !== null) break;
      if (await ping(port)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    launched.kill('SIGKILL');
    throw new Error(`startRedisServer: redis-server on port ${port} did not answer PING:\n${output}`);
  };
  const stop = async (signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM') => {
    const current = child;
    if (!current) return;
    const exited = new Promise<void>((resolve) => current.once('exit', () => resolve()));
    current.kill(signal);
    const timer = setTimeout(() => current.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };

  try {
    await start();
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    get running() {
      return child !== undefined;
    },
    stop,
    start,
    async destroy() {
      await stop('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** One RESP PING on a fresh connection: true on `+PONG`. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

function findRedisServer(): string {
  if (process.env.REDIS_SERVER_BIN) return process.env.REDIS_SERVER_BIN;
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/bin', '/usr/local/bin', '/usr/sbin'];
  for (const dir of dirs.filter(Boolean)) {
    const candidate = path.join(dir, 'redis-server');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  throw new Error('startRedisServer: redis-server not found (apt-get install redis-server, or set REDIS_SERVER_BIN)');
}

/** A test that forgets destroy() must not leave a redis-server behind when the worker exits. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

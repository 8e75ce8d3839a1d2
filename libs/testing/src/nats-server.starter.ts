import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './free-port.js';

export interface NatsServerOptions {
  /** Enable JetStream with a store in the server's own temporary directory. Default true. */
  jetstream?: boolean;
  /** nats-server configuration text (accounts, limits, …); ports and store dir still come from here. */
  config?: string;
  /** Extra command-line arguments for nats-server. */
  args?: readonly string[];
  /** How long to wait for the server to report healthy. Default 15 s. */
  startTimeoutMs?: number;
}

export interface RestartOptions {
  /** SIGTERM (default) lets the server shut down cleanly; SIGKILL simulates a crash. */
  signal?: 'SIGTERM' | 'SIGKILL';
}

/** A throwaway nats-server. Ports and store survive {@link restart}; {@link stop} deletes the store. */
export interface NatsTestServer {
  readonly url: string;
  readonly monitorUrl: string;
  readonly port: number;
  readonly monitorPort: number;
  readonly storeDir: string;
  stop(): Promise<void>;
  restart(options?: RestartOptions): Promise<void>;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/**
 * Starts a private nats-server on free loopback ports, for tests that restart NATS, crash it or
 * need a special configuration (the shared server from the global setup is for everything else).
 * The binary is NATS_SERVER_BIN or `nats-server` on the PATH (Debian puts it in /usr/sbin).
 */
export async function startNatsServer(options: NatsServerOptions = {}): Promise<NatsTestServer> {
  const { jetstream = true, config, args = [], startTimeoutMs = 15_000 } = options;
  const binary = findNatsServer();
  const storeDir = await mkdtemp(path.join(os.tmpdir(), 'mt5-nats-'));
  const port = await freePort();
  const monitorPort = await freePort();
  const argv = ['-a', '127.0.0.1', '-p', String(port), '-m', String(monitorPort)];
  if (jetstream) argv.push('-js', '-sd', storeDir);
  if (config !== undefined) {
    const file = path.join(storeDir, 'nats.conf');
    await writeFile(file, config);
    argv.push('-c', file);
  }
  argv.push(...args);
  const monitorUrl = `http://127.0.0.1:${monitorPort}`;
  const healthUrl = `${monitorUrl}/healthz${jetstream ? '?js-enabled-only=true' : ''}`;

  let child: ChildProcess | undefined;
  const launch = async () => {
    child = spawn(binary, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    await untilHealthy(child, healthUrl, startTimeoutMs);
  };
  const halt = async (signal: NodeJS.Signals) => {
    if (child) await terminate(child, signal);
    child = undefined;
  };

  try {
    await launch();
  } catch (error) {
    await halt('SIGKILL');
    await rm(storeDir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `nats://127.0.0.1:${port}`,
    monitorUrl,
    port,
    monitorPort,
    storeDir,
    async stop() {
      await halt('SIGTERM');
      await rm(storeDir, { recursive: true, force: true });
    },
    async restart({ signal = 'SIGTERM' } = {}) {
      await halt(signal);
      await launch();
    },
  };
}

function findNatsServer(): string {
  if (process.env.NATS_SERVER_BIN) return process.env.NATS_SERVER_BIN;
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/local/sbin', '/usr/local/bin'];
  for (const dir of dirs.filter(Boolean)) {
    const candidate = path.join(dir, 'nats-server');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  throw new Error('startNatsServer: nats-server not found (apt-get install nats-server, or set NATS_SERVER_BIN)');
}


async function untilHealthy(child: ChildProcess, healthUrl: string, timeoutMs: number): Promise<void> {
  running.add(child);
  installExitHook();
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(...chunk.toString().split('\n').filter(Boolean));
    output.splice(0, Math.max(0, output.length - 30));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited: string | undefined;
  child.once('exit', (code, signal) => {
    running.delete(child);
    exited = `exited (code ${code}, signal ${signal})`;
  });
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (exited) break;
    try {
      const response = await fetch(healthUrl, { signal: AbortSignal.timeout(1_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`startNatsServer: nats-server ${exited ?? `not healthy after ${timeoutMs} ms`}:\n${output.join('\n')}`);
}

async function terminate(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
  running.delete(child);
}

/** A test that forgets stop() must not leave a nats-server behind when the worker exits. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

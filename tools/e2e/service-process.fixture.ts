import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@mt5/testing';

export const workspaceRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export { freePort };

/** One platform service as a child process (`node dist/apps/<name>/src/main.js`), as the stack runs it. */
export interface ServiceProcess {
  readonly name: string;
  readonly httpPort: number;
  /** The running process's id; undefined between a kill and the restart. */
  readonly pid: number | undefined;
  /** The last lines it wrote (stdout and stderr), for failure messages; kept across restarts. */
  output(): string;
  stop(): Promise<void>;
  /** Sends `signal` (default SIGKILL: a crash, no shutdown hooks) and waits for the process to exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /**
   * Starts it again with the same environment and HTTP port (stopping it first with SIGTERM if it
   * still runs) and waits until it is ready, as {@link startService} does.
   */
  restart(timeoutMs?: number): Promise<void>;
}

/**
 * Starts a built service with exactly `env` (plus PATH) and waits until `/health/ready` answers
 * 200. Throws with the service's output when it exits or is not ready in time.
 */
export async function startService(name: string, env: Record<string, string>, timeoutMs = 90_000): Promise<ServiceProcess> {
  const main = path.join(workspaceRoot, 'dist/apps', name, 'src/main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: build first (node tools/build.mjs)`);
  const httpPort = Number(env.HTTP_PORT ?? (await freePort()));
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8_000);
  };
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const alive = (process: ChildProcess | undefined): boolean => process !== undefined && process.exitCode === null && process.signalCode === null;

  const launch = () => {
    const launched = spawn(process.execPath, ['--enable-source-maps', main], {
      cwd: workspaceRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '', ...env, HTTP_PORT: String(httpPort) },
    });
    launched.stdout!.on('data', keep);
    launched.stderr!.on('data', keep);
    exited = new Promise<void>((resolve) => launched.once('exit', () => resolve()));
    child = launched;
  };
  const halt = async (signal: NodeJS.Signals, graceMs: number) => {
    const current = child;
    if (!current || !alive(current)) return;
    current.kill(signal);
    const timer = setTimeout(() => current.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  const untilReady = async (limitMs: number) => {
    const deadline = performance.now() + limitMs;
    while (performance.now() < deadline) {
      const current = child;
      if (!alive(current)) throw new Error(`${name} exited (${current?.exitCode ?? current?.signalCode ?? 'not started'}):\n${output}`);
      try {
        const response = await fetch(`http://127.0.0.1:${httpPort}/health/ready`, { signal: AbortSignal.timeout(2_000) });
        if (response.status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await halt('SIGTERM', 20_000);
    throw new Error(`${name} not ready on port ${httpPort} after ${limitMs} ms:\n${output}`);
  };

  const service: ServiceProcess = {
    name, httpPort, output: () => output,
    get pid() {
      return alive(child) ? child?.pid : undefined;
    },
    stop: () => halt('SIGTERM', 20_000),
    kill: (signal = 'SIGKILL') => halt(signal, 5_000),
    async restart(limitMs = timeoutMs) {
      await halt('SIGTERM', 20_000);
      output += `\n--- ${name} restarted ---\n`;
      launch();
      await untilReady(limitMs);
    },
  };
  launch();
  await untilReady(timeoutMs);
  return service;
}

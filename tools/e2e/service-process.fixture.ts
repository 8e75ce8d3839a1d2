import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const workspaceRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A port the kernel just handed out (bound a moment later by the service: a race, rarely lost). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** One platform service as a child process (`node dist/apps/<name>/src/main.js`), as the stack runs it. */
export interface ServiceProcess {
  readonly name: string;
  readonly httpPort: number;
  /** The last lines it wrote (stdout and stderr), for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts a built service with exactly `env` (plus PATH) and waits until `/health/ready` answers
 * 200. Throws with the service's output when it exits or is not ready in time.
 */
export async function startService(name: string, env: Record<string, string>, timeoutMs = 90_000): Promise<ServiceProcess> {
  const main = path.join(workspaceRoot, 'dist/apps', name, 'src/main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: build first (node tools/build.mjs)`);
  const httpPort = Number(env.HTTP_PORT ?? (await freePort()));
  const child: ChildProcess = spawn(process.execPath, ['--enable-source-maps', main], {
    cwd: workspaceRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '', ...env, HTTP_PORT: String(httpPort) },
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const service: ServiceProcess = {
    name, httpPort, output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${name} exited (${child.exitCode ?? child.signalCode}):\n${output}`);
    try {
      const response = await fetch(`http://127.0.0.1:${httpPort}/health/ready`, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) return service;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await service.stop();
  throw new Error(`${name} not ready on port ${httpPort} after ${timeoutMs} ms:\n${output}`);
}

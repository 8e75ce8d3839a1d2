import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** The users of deploy/nats/accounts.conf, each with a `NATS_PASSWORD_<USER>` variable. */
export const NatsUsers = ['market-data', 'signal-engine', 'risk-guard', 'execution', 'reporting', 'ops-gateway', 'mt5-simulator', 'ops', 'sys'] as const;
export type NatsUser = (typeof NatsUsers)[number];
export const natsPasswordVariable = (user: string) => `NATS_PASSWORD_${user.toUpperCase().replace(/-/g, '_')}`;

export interface DeployNatsServer {
  readonly url: string;
  /** Random per run, one per user. */
  readonly passwords: Readonly<Record<NatsUser, string>>;
  /** The environment the server runs with (passwords), for `nats-server -t` checks. */
  readonly env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

/** A port the kernel just handed out; the server binds it a moment later (a race, rarely lost). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Runs deploy/nats/nats-server.conf unchanged (it includes accounts.conf, the file Kubernetes
 * mounts too) on free loopback ports, with test passwords and a temporary store. The shared
 * starter in @mt5/testing cannot pass an environment, and this configuration reads its store
 * directory and passwords from the environment.
 */
export async function startDeployNatsServer(root: string): Promise<DeployNatsServer> {
  const passwords = Object.fromEntries(NatsUsers.map((user) => [user, `test-${user}-${randomUUID()}`])) as Record<NatsUser, string>;
  const storeDir = await mkdtemp(path.join(os.tmpdir(), 'mt5-deploy-nats-'));
  const env: NodeJS.ProcessEnv = { ...process.env, ...Object.fromEntries(NatsUsers.map((user) => [natsPasswordVariable(user), passwords[user]])) };
  const [port, monitorPort] = [await freePort(), await freePort()];
  const child: ChildProcess = spawn(process.env.NATS_SERVER_BIN ?? 'nats-server',
    ['-c', path.join(root, 'deploy', 'nats', 'nats-server.conf'), '-a', '127.0.0.1', '-p', String(port), '-m', String(monitorPort)],
    { env: { ...env, NATS_STORE_DIR: storeDir }, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4_000);
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await rm(storeDir, { recursive: true, force: true });
  };
  const deadline = performance.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`nats-server exited (${child.exitCode}): ${log}`);
    }
    const healthy = await fetch(`http://127.0.0.1:${monitorPort}/healthz?js-enabled-only=true`).then((r) => r.ok, () => false);
    if (healthy) break;
    if (performance.now() > deadline) {
      await stop();
      throw new Error(`nats-server not healthy after 15 s: ${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { url: `nats://127.0.0.1:${port}`, passwords, env, stop };
}

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { testEnv, waitFor } from '@mt5/testing';
import { freePort, startDeployNatsServer, type DeployNatsServer } from './validate-deploy/deploy-nats-server.js';
import { MetricsContract, requiredMetricFamilies, ServicePorts, type Service } from './validate-deploy.js';

// Every service, started the way its container starts (deploy/docker/entrypoint.mjs serve, from
// dist/: run after `node tools/build.mjs`, as tools/test.sh does), logs in to a NATS server
// running the deploy configuration (deploy/nats: one user per service, production permissions),
// so a service that needs a permission accounts.conf does not grant fails to boot here. Then each
// /metrics is scraped for every metric family the dashboards and alert rules use, and each
// service must stop cleanly on SIGTERM within its Kubernetes grace period.
const root = path.resolve(import.meta.dirname, '..');
const services = Object.keys(ServicePorts) as Service[];
const ACCOUNT = 'deploy-test';
const GRACE_SECONDS = 45;

interface Running { readonly service: Service; readonly port: number; readonly child: ChildProcess; log: string }
let nats: DeployNatsServer;
const running: Running[] = [];

async function start(service: Service, bridgePort: number): Promise<Running> {
  const env = testEnv();
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(root, 'deploy', 'docker', 'entrypoint.mjs'), 'serve'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH, SERVICE: service, HTTP_PORT: String(port), HTTP_HOST: '127.0.0.1', LOG_LEVEL: 'warn',
      NATS_URL: nats.url, NATS_USER: service, NATS_PASSWORD: nats.passwords[service as keyof DeployNatsServer['passwords']],
      DATABASE_URL: env.databaseUrl, REDIS_URL: env.redisUrl, REDIS_KEY_PREFIX: `deploy-test-${process.pid}:`,
      OTEL_SDK_DISABLED: 'true', SHUTDOWN_DRAIN_SECONDS: '10', TRADING_MODE: 'paper',
      ACCOUNT_ID: ACCOUNT, BRIDGE_HOST: '127.0.0.1', BRIDGE_PORT: String(bridgePort),
    },
  });
  const entry: Running = { service, port, child, log: '' };
  const keep = (chunk: Buffer) => {
    entry.log = (entry.log + chunk.toString()).slice(-4_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  running.push(entry);
  return entry;
}

async function ready(entry: Running): Promise<void> {
  await waitFor(async () => {
    if (entry.child.exitCode !== null) throw new Error(`${entry.service} exited with ${entry.child.exitCode}: ${entry.log}`);
    return (await fetch(`http://127.0.0.1:${entry.port}/health/live`)).ok;
  }, { timeoutMs: 90_000, intervalMs: 250, description: `${entry.service} live` }).catch((error: Error) => {
    throw new Error(`${error.message}\n--- ${entry.service} output ---\n${entry.log}`);
  });
}

beforeAll(async () => {
  nats = await startDeployNatsServer(root);
  const bridgePort = await freePort();
  // execution listens for the bridge before the simulator dials it, as in the compose file.
  const execution = await start('execution', bridgePort);
  await ready(execution);
  const others = await Promise.all(services.filter((s) => s !== 'execution').map((s) => start(s, bridgePort)));
  await Promise.all(others.map(ready));
}, 180_000);

afterAll(async () => {
  for (const entry of running) if (entry.child.exitCode === null && entry.child.signalCode === null) entry.child.kill('SIGKILL');
  await nats?.stop();
});

describe('services under the deploy configuration', () => {
  it.each(services)('%s boots under its own NATS user and exports every metric the dashboards and alerts use', async (service) => {
    const entry = running.find((r) => r.service === service)!;
    const exposition = await (await fetch(`http://127.0.0.1:${entry.port}/metrics`)).text();
    const types = new Map([...exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map(([, name, type]) => [name!, type!]));
    const contract = MetricsContract as Record<string, { type: string }>;
    const missing = requiredMetricFamilies(root).filter((family) => types.get(family) !== contract[family]!.type);
    expect({ service, missing }).toEqual({ service, missing: [] });
  });

  it('stops every service cleanly on SIGTERM within the Kubernetes grace period', async () => {
    const outcomes = await Promise.all(running.map(async (entry) => {
      // Nest re-raises the signal once its shutdown hooks ran, so a clean stop is exit code 0 or
      // "terminated by SIGTERM" (143 in Kubernetes), never a crash code or the grace deadline.
      const exited = new Promise<string>((resolve) => entry.child.once('exit', (code, signal) => resolve(signal ?? `exit ${code}`)));
      entry.child.kill('SIGTERM');
      const timeout = new Promise<string>((resolve) => setTimeout(() => resolve('still running'), GRACE_SECONDS * 1000).unref());
      const outcome = await Promise.race([exited, timeout]);
      return { service: entry.service, clean: outcome === 'exit 0' || outcome === 'SIGTERM' ? 'clean' : outcome };
    }));
    expect(outcomes).toEqual(running.map((entry) => ({ service: entry.service, clean: 'clean' })));
  }, (GRACE_SECONDS + 15) * 1000);
});

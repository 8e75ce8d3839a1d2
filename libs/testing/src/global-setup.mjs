// Jest global setup for integration tests (jest.integration.config.js). Makes sure NATS
// (JetStream), Postgres (with the project's role) and Redis answer, starting the project's local
// stack with `bash tools/stack.sh up infra` (which also builds and migrates) when any does not,
// then hands their addresses to the test workers through process.env. Servers started here are
// left running for the next run; `bash tools/stack.sh down` (or tools/test.sh) stops them.
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const VARIABLES = ['NATS_URL', 'NATS_MONITOR_URL', 'DATABASE_URL', 'REDIS_URL'];

/** The defaults live in one place, tools/lib/env.sh; values already in the environment win. */
function stackEnv() {
  const script = `source tools/lib/env.sh && printf '%s\\0' ${VARIABLES.map((name) => `"${name}=\${${name}}"`).join(' ')}`;
  const result = spawnSync('bash', ['-c', script], { cwd: root, env: process.env, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`global-setup: could not read tools/lib/env.sh: ${result.stderr}`);
  return Object.fromEntries(result.stdout.split('\0').filter(Boolean).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
}

function tcpReachable(url, defaultPort) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || defaultPort) });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2_000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function postgresLogin(databaseUrl) {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

async function problems(env) {
  const [nats, monitor, postgres, redis] = await Promise.all([
    tcpReachable(env.NATS_URL, 4222),
    tcpReachable(env.NATS_MONITOR_URL, 8222),
    postgresLogin(env.DATABASE_URL),
    tcpReachable(env.REDIS_URL, 6379),
  ]);
  return [
    !nats && `NATS ${env.NATS_URL}`,
    !monitor && `NATS monitor ${env.NATS_MONITOR_URL}`,
    !postgres && `Postgres ${env.DATABASE_URL.replace(/:[^:@/]*@/, ':***@')}`,
    !redis && `Redis ${env.REDIS_URL}`,
  ].filter(Boolean);
}

export default async function globalSetup() {
  const env = stackEnv();
  const missing = await problems(env);
  if (missing.length > 0) {
    console.log(`\n[global-setup] not reachable: ${missing.join(', ')}; running bash tools/stack.sh up infra`);
    const result = spawnSync('bash', ['tools/stack.sh', 'up', 'infra'], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
    if (result.status !== 0) throw new Error(`global-setup: bash tools/stack.sh up infra failed (exit ${result.status ?? result.signal}); see its output above`);
    const still = await problems(env);
    if (still.length > 0) throw new Error(`global-setup: still not reachable after tools/stack.sh up infra: ${still.join(', ')}`);
  }
  Object.assign(process.env, env);
}

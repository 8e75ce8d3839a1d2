// Benchmark: `GET /api/v1/positions` through the whole ops gateway (API key check, Redis token
// bucket in one Lua call, Helmet, the positions cache) beside a bare NestJS endpoint that returns
// the same JSON as a constant, both measured in the same run with autocannon at 50 connections.
// Targets: gateway ≥ 0.5 × the bare endpoint's requests/s, gateway p99 < 20 ms.
//
//   node tools/build.mjs && node dist/tools/bench-gateway.js [--rounds 3] [--duration 10] [--connections 50]
//
// Each server runs in its own child process (the load generator stays in this one); rounds
// alternate which goes first so machine noise hits both alike; medians are reported. The gateway's
// rate limit is raised for the run (every request still takes a token from Redis). No execution
// service runs here: this process answers `exec.qry.positions` itself, on a NATS namespace of its
// own, with three positions; the gateway caches that answer for OPS_POSITIONS_CACHE_MS (500 ms).
// Servers: DATABASE_URL, REDIS_URL and NATS_URL (default: the local stack).
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Subjects } from '@mt5/contracts';
import { connectNats, serveQuery, subjectIn } from '@mt5/infra/nats';
import { applyMigrations, createPgPool } from '@mt5/infra/prisma';
import { createRedis } from '@mt5/infra/redis';
import { pino } from 'pino';
import { runKeysCommand } from '../apps/ops-gateway/src/cli.js';
import { loadServiceConfig } from '../apps/ops-gateway/src/config.js';
import { configureHttp } from '../apps/ops-gateway/src/http/configure-http.js';
import { OpsGatewayModule } from '../apps/ops-gateway/src/ops-gateway.module.js';

interface AutocannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number; average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
const autocannon = createRequire(import.meta.url)('autocannon') as (options: Record<string, unknown>) => Promise<AutocannonResult>;

const { values: flags } = parseArgs({
  options: {
    serve: { type: 'string' }, port: { type: 'string', default: '0' }, namespace: { type: 'string' }, database: { type: 'string' }, prefix: { type: 'string' },
    rounds: { type: 'string', default: '3' }, duration: { type: 'string', default: '10' }, connections: { type: 'string', default: '50' },
  },
});
const env = {
  NATS_URL: process.env.NATS_URL ?? 'nats://127.0.0.1:4222',
  DATABASE_URL: process.env.DATABASE_URL ?? 'postgresql://mt5:mt5@127.0.0.1:5432/mt5',
  REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
};
const POSITIONS = [1, 2, 3].map((n) => ({
  account: 'paper-1', positionId: `70000${n}`, symbol: ['EURUSD', 'GBPUSD', 'USDJPY'][n - 1], side: n === 2 ? 'SELL' : 'BUY', volume: '0.10',
  openPrice: '1.08500', currentPrice: '1.08620', stopLoss: '1.08000', takeProfit: null, profit: '12.00', swap: '0', openTime: '2024-03-04T09:00:00.000Z',
  magic: 770001, comment: `c${n}`, external: false, snapshotTime: '2024-03-04T10:00:00.000Z', strategyId: 'ma-cross',
}));

@Controller()
class ConstantController {
  private readonly body = { positions: POSITIONS, asOf: '2024-03-04T10:00:00.000Z' };

  @Get('bare')
  get() {
    return this.body;
  }
}

@Module({ controllers: [ConstantController] })
class BareModule {}

/** Child role: one server, announcing its port on stdout. */
async function serve(kind: string): Promise<void> {
  const logger = pino({ level: 'silent' });
  let app;
  if (kind === 'bare') {
    app = await NestFactory.create(BareModule, { logger: false });
  } else {
    const config = loadServiceConfig({
      ...env, DATABASE_URL: flags.database!, REDIS_KEY_PREFIX: flags.prefix!, LOG_LEVEL: 'silent',
      OPS_RATE_READ_PER_KEY: '1000000000', OPS_RATE_READ_PER_IP: '1000000000',
    });
    app = await NestFactory.create(OpsGatewayModule.forRoot(config, logger, { provision: { namespace: { stream: `${flags.namespace!.toUpperCase()}_`, subject: `${flags.namespace!}.` } } }) as never, { logger: false });
    configureHttp(app, config, logger);
  }
  await app.listen(Number(flags.port), '127.0.0.1');
  process.stdout.write(`listening ${(app.getHttpServer().address() as AddressInfo).port}\n`);
  process.on('SIGTERM', () => void app.close().finally(() => process.exit(0)));
}

function startChild(args: string[]): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening (\d+)/.exec(out);
      if (match) resolve({ child, port: Number(match[1]) });
    });
    child.once('exit', (code) => reject(new Error(`server ${args.join(' ')} exited with ${code} before listening`)));
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function load(url: string, headers: Record<string, string>, seconds: number): Promise<AutocannonResult> {
  const result = await autocannon({ url, headers, connections: Number(flags.connections), duration: seconds });
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts: the numbers would not measure the endpoint`);
  }
  return result;
}

async function main(): Promise<void> {
  const tag = `bench_gw_${process.pid}_${Date.now().toString(36)}`;
  const database = new URL(env.DATABASE_URL);
  database.searchParams.set('schema', tag);
  await applyMigrations({ connectionString: env.DATABASE_URL, schema: tag });
  const out: string[] = [];
  await runKeysCommand(['keys', 'create', '--name', 'bench', '--role', 'viewer'], { ...env, DATABASE_URL: database.toString() }, { stdout: (text) => out.push(text), stderr: () => undefined });
  const key = out.join('').split('\n')[1]!.trim();
  const nats = await connectNats({ url: env.NATS_URL, name: 'bench-gateway' });
  let responderQueries = 0;
  // Stands in for execution: it is not part of what is measured (the gateway serves from its cache).
  const responder = serveQuery(nats.nc, { subject: subjectIn(Subjects.query('execution', 'positions'), { namespace: { stream: '', subject: `${tag}.` } }), handle: () => {
    responderQueries++;
    return POSITIONS;
  } }, pino({ level: 'silent' }));
  const children: ChildProcess[] = [];
  try {
    const bare = await startChild(['--serve', 'bare']);
    children.push(bare.child);
    const gateway = await startChild(['--serve', 'gateway', '--namespace', tag, '--database', database.toString(), '--prefix', `${tag}:`]);
    children.push(gateway.child);
    const targets = {
      bare: { url: `http://127.0.0.1:${bare.port}/bare`, headers: {} },
      gateway: { url: `http://127.0.0.1:${gateway.port}/api/v1/positions`, headers: { 'x-api-key': key } },
    };
    const check = await fetch(targets.gateway.url, { headers: targets.gateway.headers });
    const body = (await check.json()) as { positions?: unknown[] };
    if (check.status !== 200 || body.positions?.length !== 3) throw new Error(`gateway answered ${check.status}: ${JSON.stringify(body)}`);
    for (const target of Object.values(targets)) await load(target.url, target.headers, 2); // warm-up, discarded
    const runs: Record<'bare' | 'gateway', AutocannonResult[]> = { bare: [], gateway: [] };
    const rounds = Math.max(1, Number(flags.rounds));
    for (let round = 0; round < rounds; round++) {
      const order: ('bare' | 'gateway')[] = round % 2 === 0 ? ['bare', 'gateway'] : ['gateway', 'bare'];
      for (const name of order) runs[name].push(await load(targets[name].url, targets[name].headers, Number(flags.duration)));
    }
    const summary = (name: 'bare' | 'gateway') => ({
      rps: median(runs[name].map((r) => r.requests.average)), p50: median(runs[name].map((r) => r.latency.p50)), p99: median(runs[name].map((r) => r.latency.p99)),
    });
    const b = summary('bare');
    const g = summary('gateway');
    const row = (label: string, s: { rps: number; p50: number; p99: number }) => `${label.padEnd(46)}${Math.round(s.rps).toLocaleString('en-US').padStart(10)}${s.p50.toFixed(1).padStart(9)}${s.p99.toFixed(1).padStart(9)}`;
    console.log(`autocannon, ${flags.connections} connections, ${rounds} × ${flags.duration} s per endpoint (medians)`);
    console.log(`${'endpoint'.padEnd(46)}${'req/s'.padStart(10)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}`);
    console.log(row('bare NestJS endpoint (constant JSON)', b));
    console.log(row('GET /api/v1/positions (key, Redis limiter, cache)', g));
    console.log(`ratio ${(g.rps / b.rps).toFixed(2)} (target >= 0.5), gateway p99 ${g.p99.toFixed(1)} ms (target < 20 ms); execution stand-in queried ${responderQueries} times`);
  } finally {
    for (const child of children) child.kill('SIGTERM');
    responder.unsubscribe();
    await nats.nc.drain();
    const pool = createPgPool({ url: env.DATABASE_URL, poolMax: 1 });
    await pool.query(`DROP SCHEMA IF EXISTS "${tag}" CASCADE`).finally(() => pool.end());
    const redis = createRedis({ url: env.REDIS_URL, keyPrefix: '' });
    await new Promise((resolve) => redis.once('ready', resolve));
    const keys = await redis.keys(`${tag}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  }
}

if (flags.serve) await serve(flags.serve);
else await main();

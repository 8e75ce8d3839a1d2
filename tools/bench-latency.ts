// Benchmark: command-to-fill latency through the execution gateway and the simulator, on
// loopback, at a steady rate, printed beside the core NATS request/reply round trip of the same run.
//
//   node tools/build.mjs && node dist/tools/bench-latency.js [--rate 200] [--seconds 10] [--warmup 2]
//
// Both services run as they do in the stack (dist/apps/<service>/src/main.js, one process each) on
// a private nats-server, an own Postgres schema (migrated here, dropped after) and an own Redis key
// prefix; the local stack's Postgres and Redis must be up (bash tools/stack.sh up infra). The
// simulator nets (one EURUSD position flips between long and flat), so thousands of orders never
// run out of margin. Latency is measured from publishing the `exec.submit-order` command to
// receiving its `exec.order.filled` event: JetStream in, the order row and SUBMITTED committed, the
// trade request over the bridge, the deal read back, the fill committed, the events out.
//
// The figure, signal-to-fill through risk-guard as well, is tools/bench-signal-to-fill.ts;
// this tool measures the execution leg alone, which is what this gateway controls.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createMessage, Subjects, SubmitOrderMessage, type Envelope } from '@mt5/contracts';
import { connectNats, publishEnvelope, requestQuery, type NatsHandles } from '@mt5/infra/nats';
import { applyMigrations } from '@mt5/infra/prisma';
import { freePort, startNatsServer, type NatsTestServer } from '@mt5/testing';
import pg from 'pg';

const root = path.resolve(import.meta.dirname, '..', '..');
const ACCOUNT = 'bench-1';
const SECRET = 'bench-latency-secret-000';
const MONDAY_10 = Date.UTC(2022, 0, 10, 10, 0);

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const ms = (value: number) => `${value.toFixed(3)} ms`;

function spawnService(service: string, env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, [path.join(root, 'dist', 'apps', service, 'src', 'main.js')], {
    cwd: root, stdio: ['ignore', 'ignore', 'pipe'], env: { PATH: process.env.PATH, OTEL_SDK_DISABLED: 'true', LOG_LEVEL: 'warn', ...env },
  });
  child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(`[${service}] ${chunk}`));
  return child;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`bench-latency: ${what} did not happen within ${timeoutMs} ms`);
}

/** Core NATS request/reply round trip to an echo responder on the same server. */
async function natsRoundTrip(handles: NatsHandles, count: number): Promise<number[]> {
  const echo = handles.nc.subscribe('bench.echo', { callback: (_error, msg) => { msg.respond(msg.data); } });
  const payload = new TextEncoder().encode(JSON.stringify({ ping: 'x'.repeat(200) }));
  for (let i = 0; i < 200; i++) await handles.nc.request('bench.echo', payload, { timeout: 2000 });
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await handles.nc.request('bench.echo', payload, { timeout: 2000 });
    samples.push(performance.now() - started);
  }
  echo.unsubscribe();
  return samples.sort((a, b) => a - b);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rate: { type: 'string', default: '200' }, seconds: { type: 'string', default: '10' }, warmup: { type: 'string', default: '2' } } });
  const rate = Number(values.rate);
  const seconds = Number(values.seconds);
  const warmupSeconds = Number(values.warmup);
  const databaseUrl = process.env.DATABASE_URL ?? 'postgresql://mt5:mt5@127.0.0.1:5432/mt5';
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const schema = `bench_${Date.now().toString(36)}`;
  let nats: NatsTestServer | undefined;
  const children: ChildProcess[] = [];
  try {
    nats = await startNatsServer();
    await applyMigrations({ connectionString: databaseUrl, schema });
    const url = new URL(databaseUrl);
    url.searchParams.set('schema', schema);
    const bridgePort = await freePort();
    const common = { NATS_URL: nats.url, ACCOUNT_ID: ACCOUNT, BRIDGE_HOST: '127.0.0.1', BRIDGE_PORT: String(bridgePort), BRIDGE_SHARED_SECRET: SECRET };
    children.push(spawnService('execution', {
      ...common, HTTP_PORT: String(await freePort()), DATABASE_URL: url.toString(), REDIS_URL: redisUrl, REDIS_KEY_PREFIX: `${schema}:`,
      RATE_LIMIT_BURST: '10000', RATE_LIMIT_PER_SECOND: '10000', TICK_SYMBOLS: 'EURUSD',
    }));
    const handles = await connectNats({ url: nats.url, name: 'bench-latency' });
    await until('execution listening', async () => (await requestQuery(handles.nc, Subjects.query('execution', 'bridge-health'), {}, 500)).ok);
    children.push(spawnService('mt5-simulator', {
      ...common, HTTP_PORT: String(await freePort()), SIM_FEED: 'driven', SIM_MD_VENUE: 'NOFEED', SIM_MARGIN_MODE: 'NETTING', SIM_BALANCE: '100000000',
    }));
    await until('terminal connected and reconciled', async () => {
      const health = await requestQuery<{ connected: boolean; reconciling: boolean }>(handles.nc, Subjects.query('execution', 'bridge-health'), {}, 500);
      return health.ok && health.data.connected && !health.data.reconciling;
    });
    const quote = await requestQuery(handles.nc, Subjects.command('mt5-simulator', 'quote'), { symbol: 'EURUSD', bid: 1.1, ask: 1.10008, time: MONDAY_10 });
    if (!quote.ok) throw new Error(`quote refused: ${quote.error.message}`);

    const rtt = await natsRoundTrip(handles, 2000);

    const sentAt = new Map<string, number>();
    const latencies: { at: number; ms: number }[] = [];
    let refused = 0;
    const decoder = new TextDecoder();
    const events = handles.nc.subscribe(Subjects.executionEvent(ACCOUNT, 'order'), {
      callback: (_error, msg) => {
        const envelope = JSON.parse(decoder.decode(msg.data)) as Envelope<{ clientOrderId: string; status: string }>;
        const started = sentAt.get(envelope.data.clientOrderId);
        if (started === undefined) return;
        if (envelope.data.status === 'FILLED') latencies.push({ at: started, ms: performance.now() - started });
        else if (envelope.data.status !== 'SUBMITTED') refused++;
        if (envelope.data.status !== 'SUBMITTED') sentAt.delete(envelope.data.clientOrderId);
      },
    });
    const total = Math.round(rate * (seconds + warmupSeconds));
    const begin = performance.now();
    const measuredFrom = begin + warmupSeconds * 1000;
    for (let i = 0; i < total; i++) {
      const due = begin + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      const clientOrderId = `b-${schema.slice(6)}-${i}`;
      const command = createMessage(SubmitOrderMessage, {
        id: `cmd-${clientOrderId}`, tsEvent: new Date(), tsInit: new Date(),
        data: {
          clientOrderId, account: ACCOUNT, symbol: 'EURUSD', side: i % 2 === 0 ? 'BUY' : 'SELL', orderType: 'MARKET', volume: '0.01', magic: 990001,
          comment: clientOrderId, validUntil: new Date(Date.now() + 60_000).toISOString(),
        },
      });
      sentAt.set(clientOrderId, performance.now());
      void publishEnvelope(handles.js, SubmitOrderMessage.subject(command.data), command);
    }
    const sentFor = (performance.now() - begin) / 1000;
    await until('every order final', async () => sentAt.size === 0, 60_000).catch(() => undefined);
    events.unsubscribe();
    const measured = latencies.filter((l) => l.at >= measuredFrom).map((l) => l.ms).sort((a, b) => a - b);
    console.log(`execution + simulator, command to fill, ${rate}/s for ${seconds} s after ${warmupSeconds} s warm-up (sent in ${sentFor.toFixed(1)} s)`);
    console.log(`  fills measured ${measured.length}, refused ${refused}, unfinished ${sentAt.size}`);
    console.log(`  p50 ${ms(percentile(measured, 50))}  p90 ${ms(percentile(measured, 90))}  p99 ${ms(percentile(measured, 99))}  max ${ms(percentile(measured, 100))}`);
    console.log(`core NATS request/reply round trip (2000 after 200 warm-up, same server): p50 ${ms(percentile(rtt, 50))}  p99 ${ms(percentile(rtt, 99))}`);
    await handles.nc.drain();
  } finally {
    for (const child of children.reverse()) child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await nats?.stop();
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  }
}

await main();

// Benchmark: signal-to-fill latency through risk-guard, execution and the simulator on loopback, at
// a steady rate, printed beside the core NATS request/reply round trip of the same run (issue #6:
// target p50 under 2 ms, p99 under 5 ms).
//
//   node tools/build.mjs && node dist/tools/bench-signal-to-fill.js [--rate 200] [--seconds 20] [--warmup 3] [--cpu-prof <dir>]
//
// risk-guard, execution, market-data and mt5-simulator run as they do in the stack (built
// dist/apps/<service>/src/main.js, one process each) on a private nats-server, their own Postgres
// schema (migrated here, dropped after), Redis key prefix, HTTP and bridge ports and account; the
// local Postgres and Redis must be up (bash tools/stack.sh up infra). market-data is the real
// path of the quote risk-guard sizes on: the simulator's tick goes over the bridge to execution,
// out on `md.tick.MT5.EURUSD`, and market-data caches it in Redis (`md:quote:MT5:EURUSD`).
//
// Each signal is a valid `sig.signal` on `sig.evt.<strategy>.EURUSD` (the SIGNALS stream, consumed
// by risk-guard-signals). BUY and SELL alternate; sizing is capped at MAX_LOTS_PER_ORDER, so on the
// simulator's NETTING account the position flips between 2 lots long and flat and margin never
// runs out. Latency is publish → the `exec.order.filled` event on `exec.evt.<account>.order`
// (matched through the order command's signalId → clientOrderId). The limits that would stop 200
// signals a second are opened up, and printed.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createMessage, SignalMessage, Subjects, type Envelope } from '@mt5/contracts';
import { connectNats, publishEnvelope, requestQuery, type NatsHandles } from '@mt5/infra/nats';
import { applyMigrations } from '@mt5/infra/prisma';
import { createRedis } from '@mt5/infra/redis';
import { freePort, startNatsServer, type NatsTestServer } from '@mt5/testing';
import pg from 'pg';
import { demoServiceEnv, writeAlwaysOpenCatalogue } from './demo/demo-settings.js';

/** The workspace root, from dist/tools/ (built) or tools/ (the source). */
const root = path.resolve(import.meta.dirname, import.meta.dirname.includes(`${path.sep}dist${path.sep}`) ? '../..' : '..');
const STRATEGY = 'bench-s2f';
const SECRET = 'bench-signal-to-fill-secret';
/** Monday 2022-01-10 10:00 UTC: the simulator's (history) clock, inside the EURUSD session. */
const MONDAY_10 = Date.UTC(2022, 0, 10, 10, 0);
const BID = 1.1;
const ASK = 1.10008;

/** What makes 200 signals a second possible; everything else keeps its default. */
const RISK_OVERRIDES: Readonly<Record<string, string>> = {
  RATE_LIMIT_CAPACITY: '1000000', RATE_LIMIT_REFILL_PER_SECOND: '1000000',
  MAX_OPEN_POSITIONS: '1000000', MAX_OPEN_POSITIONS_PER_SYMBOL: '1000000',
  // Every round trip loses the spread: the default streak of 4 would cool the strategy down.
  LOSING_STREAK_MAX: '1000000000',
};
const EXECUTION_OVERRIDES: Readonly<Record<string, string>> = { RATE_LIMIT_BURST: '1000000', RATE_LIMIT_PER_SECOND: '1000000' };

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

interface ServiceProcess {
  readonly name: string;
  readonly httpPort: number;
  readonly pid: number;
  stop(): Promise<void>;
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); NaN elsewhere. */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** Mean time each service spent handling one message per consumer (`mt5_message_handle_duration_seconds` sum / count). */
async function handleTimes(services: readonly ServiceProcess[]): Promise<string[]> {
  const lines: string[] = [];
  for (const service of services) {
    const text = await fetch(`http://127.0.0.1:${service.httpPort}/metrics`).then((r) => r.text(), () => '');
    const sums = new Map<string, number>();
    const counts = new Map<string, number>();
    for (const match of text.matchAll(/^mt5_message_handle_duration_seconds_(sum|count)\{[^}]*consumer="([^"]+)"[^}]*\} ([0-9.e+-]+)$/gm)) {
      (match[1] === 'sum' ? sums : counts).set(match[2]!, Number(match[3]));
    }
    for (const [consumer, count] of counts) {
      if (count > 0) lines.push(`${service.name} ${consumer}: ${count} messages, mean ${ms((sums.get(consumer)! / count) * 1000)} each`);
    }
  }
  return lines;
}

/** A built service as a child process with exactly `env` (plus PATH), once `/health/ready` answers 200. */
async function startService(name: string, env: Record<string, string>, nodeFlags: readonly string[], timeoutMs = 90_000): Promise<ServiceProcess> {
  const main = path.join(root, 'dist/apps', name, 'src/main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: build first (node tools/build.mjs)`);
  const httpPort = await freePort();
  const child = spawn(process.execPath, [...nodeFlags, main], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], env: { PATH: process.env.PATH ?? '', ...env, HTTP_PORT: String(httpPort) } });
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8_000);
    process.stderr.write(`[${name}] ${chunk}`);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const service = {
    name, httpPort, pid: child.pid ?? 0,
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
    const ready = await fetch(`http://127.0.0.1:${httpPort}/health/ready`, { signal: AbortSignal.timeout(2_000) }).then((r) => r.status === 200, () => false);
    if (ready) return service;
    await sleep(250);
  }
  await service.stop();
  throw new Error(`${name} not ready on port ${httpPort} after ${timeoutMs} ms:\n${output}`);
}

const ms = (value: number) => `${value.toFixed(2)} ms`;
const load = () => os.loadavg().map((value) => value.toFixed(2)).join(' ');
const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis));

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(100);
  }
  throw new Error(`bench-signal-to-fill: ${what} did not happen within ${timeoutMs} ms`);
}

/** Round trips of `once`, one at a time, sorted; `pauseMs` between them (a quiet peer wakes up for each). */
async function timed(count: number, once: () => Promise<unknown>, pauseMs = 0): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await once();
    samples.push(performance.now() - started);
    if (pauseMs > 0) await sleep(pauseMs);
  }
  return samples.sort((a, b) => a - b);
}

/** Round trips to a trivial responder on the same server, one at a time. */
function roundTrips(handles: NatsHandles, subject: string, count: number, pauseMs = 0): Promise<number[]> {
  const payload = new TextEncoder().encode(JSON.stringify({ ping: 'x'.repeat(200) }));
  return timed(count, () => handles.nc.request(subject, payload, { timeout: 2000 }), pauseMs);
}

function summary(sorted: readonly number[]): string {
  return `p50 ${ms(percentile(sorted, 50))}  p95 ${ms(percentile(sorted, 95))}  p99 ${ms(percentile(sorted, 99))}  max ${ms(percentile(sorted, 100))}`;
}

function signal(runId: string, i: number, now: Date): Envelope {
  const buy = i % 2 === 0;
  return createMessage(SignalMessage, {
    id: `sigmsg-${runId}-${i}`, tsEvent: now, tsInit: now,
    data: {
      signalId: `s2f-${runId}-${i}`, strategyId: STRATEGY, strategyKind: 'bench', symbol: 'EURUSD', venue: 'MT5', timeframe: 'M1',
      barTime: new Date(MONDAY_10 - 60_000).toISOString(), side: buy ? 'BUY' : 'SELL', strength: 1, reason: 'latency benchmark',
      price: buy ? String(ASK) : String(BID), stopLoss: buy ? '1.09500' : '1.10500',
    },
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rate: { type: 'string', default: '200' }, seconds: { type: 'string', default: '20' }, warmup: { type: 'string', default: '3' },
      'cpu-prof': { type: 'string' },
    },
  });
  const rate = Number(values.rate);
  const seconds = Number(values.seconds);
  const warmupSeconds = Number(values.warmup);
  const databaseUrl = process.env.DATABASE_URL ?? 'postgresql://mt5:mt5@127.0.0.1:5432/mt5';
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const runId = Date.now().toString(36);
  const schema = `bench_s2f_${runId}`;
  const account = `s2f-${runId}`;
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'mt5-bench-s2f-'));
  const services: ServiceProcess[] = [];
  let nats: NatsTestServer | undefined;
  const redis = createRedis({ url: redisUrl, keyPrefix: `${schema}:` });
  try {
    nats = await startNatsServer();
    await applyMigrations({ connectionString: databaseUrl, schema });
    const url = new URL(databaseUrl);
    url.searchParams.set('schema', schema);
    const common: Record<string, string> = {
      NATS_URL: nats.url, DATABASE_URL: url.toString(), REDIS_URL: redisUrl, REDIS_KEY_PREFIX: `${schema}:`, LOG_LEVEL: 'warn', OTEL_SDK_DISABLED: 'true',
      ...demoServiceEnv({ live: false, account, catalogue: writeAlwaysOpenCatalogue(tmp) }, {}),
      BRIDGE_HOST: '127.0.0.1', BRIDGE_PORT: String(await freePort()), BRIDGE_SHARED_SECRET: SECRET, TICK_SYMBOLS: 'EURUSD',
      // The simulator follows no bars (the benchmark sets its one quote) and nets, with a deep pocket.
      SIM_SYMBOLS: 'EURUSD', SIM_MD_VENUE: 'NOFEED', SIM_MARGIN_MODE: 'NETTING', SIM_BALANCE: '100000000',
      ...RISK_OVERRIDES, ...EXECUTION_OVERRIDES,
    };
    const names = ['risk-guard', 'execution', 'market-data', 'mt5-simulator'];
    const nodeFlags = values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(values['cpu-prof'])}`] : [];
    const started = await Promise.allSettled(names.map((name) => startService(name, { ...common, OTEL_SERVICE_NAME: name }, nodeFlags)));
    for (const result of started) if (result.status === 'fulfilled') services.push(result.value);
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;

    const handles = await connectNats({ url: nats.url, name: 'bench-signal-to-fill' });
    const responder = await connectNats({ url: nats.url, name: 'bench-signal-to-fill-echo' });
    responder.nc.subscribe('bench.echo', { callback: (_error, msg) => { msg.respond(msg.data); } });
    await responder.nc.flush();
    await until('terminal connected and reconciled', async () => {
      const health = await requestQuery<{ connected: boolean; reconciling: boolean }>(handles.nc, Subjects.query('execution', 'bridge-health'), { account }, 500);
      return health.ok && health.data.connected && !health.data.reconciling;
    });
    // Sent again until it is cached: the gateway subscribes the terminal's ticks just after the gate opens.
    await until('market-data cached the quote', async () => {
      const quote = await requestQuery(handles.nc, Subjects.command('mt5-simulator', 'quote'), { symbol: 'EURUSD', bid: BID, ask: ASK, time: MONDAY_10 });
      if (!quote.ok) throw new Error(`quote refused: ${quote.error.message}`);
      await sleep(400);
      return (await redis.hget('md:quote:MT5:EURUSD', 'v')) !== null;
    });
    await until('risk-guard holds an account snapshot', async () => {
      const state = await requestQuery<{ snapshot: unknown }>(handles.nc, Subjects.query('risk-guard', 'state'), { account }, 1000);
      return state.ok && state.data.snapshot !== null;
    });

    const idleRtt = await roundTrips(handles, 'bench.echo', 2000);
    // What one step of the path costs on this machine before any signal: the floor the figures stand on.
    const probeDb = new pg.Client({ connectionString: url.toString() });
    await probeDb.connect();
    await probeDb.query(`CREATE TABLE "${schema}".bench_probe (id serial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())`);
    const commit = () => probeDb.query(`BEGIN; INSERT INTO "${schema}".bench_probe DEFAULT VALUES; COMMIT`);
    const floor = {
      natsPaced: await roundTrips(handles, 'bench.echo', 200, 20),
      commit: await timed(500, commit), commitPaced: await timed(200, commit, 20),
      redis: await timed(500, () => redis.get('probe')), redisPaced: await timed(200, () => redis.get('probe'), 20),
    };
    await probeDb.end();

    let begin = Number.POSITIVE_INFINITY;
    let lastFillAt = Number.NaN;
    let measuredFrom = Number.POSITIVE_INFINITY;
    const sentAt = new Map<string, number>();
    const orderOf = new Map<string, string>();
    const signalOf = new Map<string, string>();
    const latencies: { at: number; ms: number }[] = [];
    /** Arrival times at this process of the order command and the SUBMITTED event, per signal: the stages. */
    const commandAt = new Map<string, number>();
    const submittedAt = new Map<string, number>();
    const stages = { risk: [] as number[], accept: [] as number[], bridge: [] as number[] };
    const outcomes = new Map<string, number>();
    const count = (what: string) => outcomes.set(what, (outcomes.get(what) ?? 0) + 1);
    const decoder = new TextDecoder();
    const commands = handles.nc.subscribe(Subjects.accountCommands(account), {
      callback: (_error, msg) => {
        const envelope = JSON.parse(decoder.decode(msg.data)) as Envelope<{ clientOrderId: string; signalId?: string }>;
        if (envelope.data.signalId) {
          commandAt.set(envelope.data.signalId, performance.now());
          orderOf.set(envelope.data.clientOrderId, envelope.data.signalId);
          signalOf.set(envelope.data.signalId, envelope.data.clientOrderId);
        }
      },
    });
    const denials = handles.nc.subscribe(Subjects.riskEvent('denied'), {
      callback: (_error, msg) => {
        const envelope = JSON.parse(decoder.decode(msg.data)) as Envelope<{ signalId?: string; code: string }>;
        if (envelope.data.signalId && sentAt.delete(envelope.data.signalId)) count(`denied ${envelope.data.code}`);
      },
    });
    const events = handles.nc.subscribe(Subjects.executionEvent(account, 'order'), {
      callback: (_error, msg) => {
        const arrived = performance.now();
        const envelope = JSON.parse(decoder.decode(msg.data)) as Envelope<{ clientOrderId: string; status: string }>;
        const signalId = orderOf.get(envelope.data.clientOrderId);
        const started = signalId === undefined ? undefined : sentAt.get(signalId);
        if (signalId === undefined || started === undefined) return;
        const { status } = envelope.data;
        if (status === 'SUBMITTED' && !submittedAt.has(signalId)) submittedAt.set(signalId, arrived);
        if (status === 'FILLED') {
          lastFillAt = arrived;
          latencies.push({ at: started, ms: arrived - started });
          const command = commandAt.get(signalId);
          const submitted = submittedAt.get(signalId);
          if (started >= measuredFrom && command !== undefined && submitted !== undefined) {
            stages.risk.push(command - started);
            stages.accept.push(submitted - command);
            stages.bridge.push(arrived - submitted);
          }
        }
        if (status === 'SUBMITTED' || status === 'ACCEPTED' || status === 'PARTIALLY_FILLED') return;
        count(status === 'FILLED' ? 'filled' : status.toLowerCase());
        sentAt.delete(signalId);
      },
    });
    await handles.nc.flush();

    const total = Math.round(rate * (seconds + warmupSeconds));
    const cpuBefore = services.map((service) => cpuSeconds(service.pid));
    const loadBefore = load();
    begin = performance.now();
    measuredFrom = begin + warmupSeconds * 1000;
    // The NATS round trip under the same load: one request every 20 ms while the signals flow.
    let probing = true;
    const busyRtt: number[] = [];
    const probe = (async () => {
      await sleep(warmupSeconds * 1000);
      while (probing) busyRtt.push(...await roundTrips(handles, 'bench.echo', 1, 20));
    })();
    for (let i = 0; i < total; i++) {
      const due = begin + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
      const envelope = signal(runId, i, new Date());
      sentAt.set((envelope.data as { signalId: string }).signalId, performance.now());
      void publishEnvelope(handles.js, Subjects.signal(STRATEGY, 'EURUSD'), envelope).catch((error) => console.error(`publish failed: ${(error as Error).message}`));
    }
    const sentFor = (performance.now() - begin) / 1000;
    const loadDuring = load();
    await until('every signal decided and its order final', async () => sentAt.size === 0, 90_000).catch(() => undefined);
    probing = false;
    await probe;
    const cpuUsed = services.map((service, i) => ({ name: service.name, seconds: cpuSeconds(service.pid) - cpuBefore[i]! }));
    commands.unsubscribe();
    denials.unsubscribe();
    events.unsubscribe();
    const measured = latencies.filter((l) => l.at >= measuredFrom).map((l) => l.ms).sort((a, b) => a - b);
    const busy = busyRtt.sort((a, b) => a - b);
    const signalsMeasured = Math.round(rate * seconds);
    console.log(`signal → fill through risk-guard, execution and mt5-simulator (+ market-data for the quote), loopback`);
    console.log(`  offered ${rate}/s for ${seconds} s after ${warmupSeconds} s warm-up: ${total} signals sent in ${sentFor.toFixed(2)} s (${(total / sentFor).toFixed(1)}/s achieved)`);
    const filledCount = outcomes.get('filled') ?? 0;
    console.log(`  throughput: ${filledCount} fills in ${((lastFillAt - begin) / 1000).toFixed(1)} s from the first signal = ${(filledCount / ((lastFillAt - begin) / 1000)).toFixed(1)} fills/s`);
    console.log(`  outcomes (all ${total}): ${[...outcomes].map(([what, n]) => `${what} ${n}`).join(', ') || 'none'}; unfinished ${sentAt.size}`);
    console.log(`  fills measured (after warm-up) ${measured.length} of ${signalsMeasured}: ${summary(measured)}`);
    const sorted = (values: number[]) => values.sort((a, b) => a - b);
    console.log(`  stages (as seen here): signal → order command ${summary(sorted(stages.risk))}`);
    console.log(`                         command → SUBMITTED event ${summary(sorted(stages.accept))}`);
    console.log(`                         SUBMITTED → FILLED event  ${summary(sorted(stages.bridge))}`);
    const decided = total - sentAt.size;
    console.log(`  CPU per signal (user + system, whole run, ${decided} signals): ${cpuUsed.map(({ name, seconds }) => `${name} ${ms((seconds * 1000) / decided)}`).join(', ')}`
      + `; together ${ms((cpuUsed.reduce((sum, used) => sum + used.seconds, 0) * 1000) / decided)} (nats-server, Postgres and Redis not counted)`);
    const context = new pg.Client({ connectionString: url.toString() });
    await context.connect();
    const size = (await context.query<{ bytes: number; pending: number; closed: number }>(
      `SELECT length(counters::text) AS bytes, (SELECT count(*) FROM jsonb_object_keys(counters->'pendingOrders'))::int AS pending,
         jsonb_array_length(counters->'closedPositions') AS closed FROM "${schema}".breaker_states WHERE account = $1 AND kind = 'ACCOUNT_CONTEXT'`, [account],
    )).rows[0];
    await context.end();
    console.log(`  risk-guard account context after the run: ${size?.bytes ?? 0} bytes of JSON, ${size?.pending ?? 0} pending orders, ${size?.closed ?? 0} closed position ids`);
    for (const line of await handleTimes(services)) console.log(`  handled (whole run, warm-up included): ${line}`);
    console.log(`core NATS request/reply round trip, same server: idle before the run (2000): p50 ${ms(percentile(idleRtt, 50))}  p99 ${ms(percentile(idleRtt, 99))};`
      + ` during the run (${busy.length}, one per 20 ms): p50 ${ms(percentile(busy, 50))}  p99 ${ms(percentile(busy, 99))}`);
    const pair = (label: string, back: number[], paced: number[]) =>
      `${label} p50 ${ms(percentile(back, 50))} p99 ${ms(percentile(back, 99))} back to back, p50 ${ms(percentile(paced, 50))} p99 ${ms(percentile(paced, 99))} one per 20 ms`;
    console.log(`one step on this machine, before the run: ${pair('NATS request/reply', idleRtt, floor.natsPaced)};`
      + ` ${pair('Postgres INSERT + COMMIT', floor.commit, floor.commitPaced)}; ${pair('Redis GET', floor.redis, floor.redisPaced)}`);
    console.log(`load average (1 5 15 min): before ${loadBefore}, at the end of sending ${loadDuring}, after ${load()}; ${os.cpus().length} CPUs`);
    console.log(`limits opened up: risk-guard ${Object.entries(RISK_OVERRIDES).map(([k, v]) => `${k}=${v}`).join(' ')};`
      + ` execution ${Object.entries(EXECUTION_OVERRIDES).map(([k, v]) => `${k}=${v}`).join(' ')};`
      + ` replay allowances of tools/demo/demo-settings.ts (STALE_QUOTE_SECONDS and MAX_ACCOUNT_SNAPSHOT_AGE_SECONDS very large, every session open),`
      + ` since the simulator's clock stands on ${new Date(MONDAY_10).toISOString()}`);
    await handles.nc.drain();
    await responder.nc.drain();
  } finally {
    await Promise.all(services.map((service) => service.stop()));
    await nats?.stop();
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
    const keys = await redis.keys(`${schema}:*`).catch(() => [] as string[]);
    // keys() answers with the prefix; del() adds it again.
    if (keys.length > 0) await redis.del(...keys.map((key) => key.slice(schema.length + 1)));
    redis.disconnect();
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();

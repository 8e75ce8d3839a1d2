// Benchmark: bars per second through the whole running platform during a full-speed replay, beside a
// raw JetStream publish of the same bar payloads in the same run, and the signal-to-fill latency
// during the replay.
//
//   node tools/build.mjs && node dist/tools/bench-pipeline.js [--symbols GBPUSD,USDJPY] [--from 2021-01-25] [--days 2]
//        [--data ../shared/data/market] [--breakers] [--in-flight 512] [--pace max|lockstep]
//
// Six services run as processes (dist/apps/*/src/main.js, as the stack runs them) on a private
// nats-server, their own Postgres schema, Redis key prefix, HTTP and bridge ports and account (as
// tools/e2e/platform.fixture.ts isolates them; that fixture resolves dist/ from its source folder,
// so it is not usable from dist/tools), with the run command's replay settings (tools/demo/demo-settings.ts);
// the local stack's Postgres and Redis must be up (bash tools/stack.sh up infra). The M1 files of the
// symbols are imported, the default strategies seeded and enabled, and `[from, from + days)` is
// replayed through market-data (`md.ctl.replay`, speed max) in one burst, as `--pace max` does; with
// `--pace lockstep`, through the run command's own ReplayDriver (forecast, cut at signal bars, drain
// after each segment; the forecast's bar reads are part of the time).
//
// - end to end: bars replayed / time from the replay request until every consumer on the path
//   (signal-engine bars, market-data ticks, risk-guard signals, execution, risk-guard and reporting
//   events) has no backlog and every allowed order is final; each consumer's own drain time and
//   peak backlog are printed, and each service's CPU seconds, which show where the time goes.
// - raw: the very bar messages the replay put on MD_BARS, published again with js.publish and the
//   same number of acks in flight to a scratch stream.
// - signal to fill: the signal envelope's tsInit to the FILLED order event's tsInit (both stamped by
//   the services on this machine), per filled order; orders that did not fill, and denials, by reason.
//
// By default the risk breakers are opened up (daily loss and drawdown 100 %, losing streak 1,000,000) so the
// orders keep flowing and the latency has samples; `--breakers` keeps the run command's defaults.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Subjects, type ConsumerSpec } from '@mt5/contracts';
import { connectNats, type NatsHandles } from '@mt5/infra/nats';
import { applyMigrations, createPgPool } from '@mt5/infra/prisma';
import { createRedis } from '@mt5/infra/redis';
import { freePort, startNatsServer, uniqueName } from '@mt5/testing';
import { demoServiceEnv, writeAlwaysOpenCatalogue } from './demo/demo-settings.js';
import { findSymbolFiles, importHistory } from './demo/history-import.js';
import { allConsumers, OrderFlowTracker, readBacklog } from './demo/pipeline-watch.js';
import { PlatformClient, type ReplayStatus } from './demo/platform-client.js';
import { ReplayDriver } from './demo/replay-driver.js';
import { describeTradingState, readTradingState } from './demo/trading-state.js';

const workspaceRoot = path.resolve(import.meta.dirname, '..', '..');

const { values } = parseArgs({
  options: {
    symbols: { type: 'string', default: 'GBPUSD,USDJPY' },
    from: { type: 'string', default: '2021-01-25' },
    days: { type: 'string', default: '2' },
    data: { type: 'string', default: path.resolve(workspaceRoot, '../shared/data/market') },
    breakers: { type: 'boolean', default: false },
    'in-flight': { type: 'string', default: '512' },
    pace: { type: 'string', default: 'max' },
  },
});
const symbols = values.symbols.split(',').map((symbol) => symbol.trim().toUpperCase()).filter(Boolean);
const from = Date.parse(values.from.length === 10 ? `${values.from}T00:00:00Z` : values.from);
const to = from + Number(values.days) * 86_400_000;
const inFlight = Number(values['in-flight']);
const SERVICES = ['reporting', 'risk-guard', 'execution', 'signal-engine', 'market-data', 'mt5-simulator'] as const;
const TAG = 'bench';
const POLL_MS = 100;
const DRAIN_TIMEOUT_MS = 20 * 60_000;

// The integration servers' defaults (tools/lib/env.sh), for testEnv() outside jest.
process.env.NATS_URL ??= 'nats://127.0.0.1:4222';
process.env.NATS_MONITOR_URL ??= 'http://127.0.0.1:8222';
process.env.DATABASE_URL ??= 'postgresql://mt5:mt5@127.0.0.1:5432/mt5';
process.env.REDIS_URL ??= 'redis://127.0.0.1:6379';

const load = () => os.loadavg().map((value) => value.toFixed(2)).join(' ');
const rate = (count: number, ms: number) => Math.round(count / (ms / 1000)).toLocaleString('en-US');
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const decoder = new TextDecoder();

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** CPU seconds (user + system) of each service process of this platform, found by its NATS_URL. */
function serviceCpu(natsUrl: string): Map<string, number> {
  const out = new Map<string, number>();
  const tick = 100; // USER_HZ on Linux
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const service = /dist\/apps\/([a-z0-9-]+)\/src\/main\.js/.exec(cmdline)?.[1];
      if (!service || !readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`NATS_URL=${natsUrl}`)) continue;
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      out.set(service, (Number(fields[11]) + Number(fields[12])) / tick);
    } catch {
      // the process ended, or is not ours to read
    }
  }
  return out;
}

/** Signal → order → FILLED (or not) as the services stamped them, from core NATS. */
function followLatency(nats: NatsHandles, account: string) {
  const signalAt = new Map<string, number>();
  const orderSignal = new Map<string, string>();
  const latencies: number[] = [];
  const notFilled = new Map<string, number>();
  const listen = (subject: string, handle: (envelope: { tsInit: string; data: Record<string, unknown> }) => void) => nats.nc.subscribe(subject, {
    callback: (error, msg) => {
      if (error) return;
      try {
        handle(JSON.parse(decoder.decode(msg.data)));
      } catch {
        // not an envelope
      }
    },
  });
  const subscriptions = [
    listen(Subjects.allSignals(), (envelope) => {
      if (typeof envelope.data.signalId === 'string') signalAt.set(envelope.data.signalId, Date.parse(envelope.tsInit));
    }),
    listen(Subjects.riskEvent('decision'), (envelope) => {
      if (typeof envelope.data.clientOrderId === 'string' && typeof envelope.data.signalId === 'string') orderSignal.set(envelope.data.clientOrderId, envelope.data.signalId);
    }),
    listen(Subjects.executionEvent(account, 'order'), (envelope) => {
      const { status, clientOrderId } = envelope.data;
      const signalId = typeof clientOrderId === 'string' ? orderSignal.get(clientOrderId) : undefined;
      const sent = signalId === undefined ? undefined : signalAt.get(signalId);
      if (status === 'FILLED' && sent !== undefined) latencies.push(Date.parse(envelope.tsInit) - sent);
      if (status === 'REJECTED' || status === 'CANCELLED' || status === 'EXPIRED' || status === 'UNKNOWN') {
        // By retcode, not by message: the message carries the prices.
        const why = `${status} ${String(envelope.data.retcodeName ?? envelope.data.retcode ?? String(envelope.data.reason ?? '').slice(0, 60))}`.trim();
        notFilled.set(why, (notFilled.get(why) ?? 0) + 1);
      }
    }),
  ];
  return { latencies, notFilled, stop: () => subscriptions.forEach((subscription) => subscription.unsubscribe()) };
}

interface ConsumerWatch {
  lastBusy: number;
  peak: number;
}

/** Polls every consumer's backlog until the replay is done and everything has drained (and stays so for a second). */
async function watchDrain(platform: Isolated, consumers: readonly ConsumerSpec[], started: number, replayDone: () => boolean, tracker: OrderFlowTracker) {
  const watches = new Map<string, ConsumerWatch>(consumers.map((spec) => [`${spec.stream}/${spec.durable}`, { lastBusy: started, peak: 0 }]));
  let quietSince: number | undefined;
  for (;;) {
    const backlog = await readBacklog(platform.client, consumers);
    const now = performance.now();
    for (const [name, count] of backlog.byConsumer) {
      const watch = watches.get(name)!;
      watch.peak = Math.max(watch.peak, count);
      if (count > 0) watch.lastBusy = now;
    }
    const idle = backlog.total === 0 && tracker.counts().unfinished === 0 && replayDone();
    quietSince = idle ? (quietSince ?? now) : undefined;
    if (quietSince !== undefined && now - quietSince >= 1_000) return { watches, drained: true, at: quietSince };
    if (now - started > DRAIN_TIMEOUT_MS) return { watches, drained: false, at: now };
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** The bar messages this run's replay put on MD_BARS (message id tagged), in stream order. */
async function replayedBars(nats: NatsHandles): Promise<Array<{ subject: string; data: Uint8Array; id: string }>> {
  const { state } = await nats.jsm.streams.info('MD_BARS');
  const consumer = await nats.js.consumers.get('MD_BARS');
  const out: Array<{ subject: string; data: Uint8Array; id: string }> = [];
  const messages = await consumer.consume();
  for await (const msg of messages) {
    const id = msg.headers?.get('Nats-Msg-Id') ?? '';
    if (id.endsWith(`:${TAG}`)) out.push({ subject: msg.subject, data: msg.data, id });
    if (msg.info.streamSequence >= state.last_seq) break;
  }
  await messages.close();
  return out;
}

/** js.publish of the same payloads to a scratch stream with `inFlight` acks outstanding; returns the time taken. */
async function rawPublish(nats: NatsHandles, bars: ReadonlyArray<{ subject: string; data: Uint8Array; id: string }>): Promise<number> {
  await nats.jsm.streams.add({ name: 'BENCH_RAW', subjects: ['bench.raw.>'], duplicate_window: 600_000_000_000 });
  const started = performance.now();
  let outstanding = 0;
  let wake: (() => void) | undefined;
  let failure: unknown;
  for (const bar of bars) {
    outstanding++;
    nats.js.publish(`bench.raw.${bar.subject}`, bar.data, { msgID: `raw:${bar.id}` }).then(undefined, (error: unknown) => {
      failure ??= error;
    }).finally(() => {
      outstanding--;
      wake?.();
    });
    while (outstanding >= inFlight) await new Promise<void>((resolve) => (wake = resolve));
  }
  while (outstanding > 0) await new Promise<void>((resolve) => (wake = resolve));
  const elapsed = performance.now() - started;
  if (failure) throw failure;
  await nats.jsm.streams.delete('BENCH_RAW');
  return elapsed;
}

interface Isolated {
  readonly account: string;
  readonly env: Record<string, string>;
  readonly client: NatsHandles;
  stop(): Promise<void>;
}

/** The services as processes on a private NATS, an own schema, Redis prefix, ports and account. */
async function startIsolated(env: Record<string, string>): Promise<Isolated> {
  const schema = uniqueName('bench_pipeline');
  const account = schema.replaceAll('_', '-');
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'mt5-bench-pipeline-'));
  const nats = await startNatsServer();
  const client = await connectNats({ url: nats.url, name: 'bench-pipeline' });
  const base = process.env.DATABASE_URL!;
  await applyMigrations({ connectionString: base, schema });
  const all: Record<string, string> = {
    PATH: process.env.PATH ?? '', NATS_URL: nats.url, DATABASE_URL: `${base}${base.includes('?') ? '&' : '?'}schema=${schema}`, REDIS_URL: process.env.REDIS_URL!,
    REDIS_KEY_PREFIX: `${schema}:`, LOG_LEVEL: 'warn',
    ...demoServiceEnv({ live: false, account, catalogue: writeAlwaysOpenCatalogue(tmp) }, {}),
    BRIDGE_HOST: '127.0.0.1', BRIDGE_PORT: String(await freePort()), BRIDGE_SHARED_SECRET: 'bench-pipeline-bridge-secret',
    TICK_SYMBOLS: symbols.join(','), SIM_SYMBOLS: symbols.join(','), ...env,
  };
  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(children.map((child) => new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 20_000).unref();
    })));
    await client.nc.drain().catch(() => undefined);
    await nats.stop();
    const pool = createPgPool({ url: base, poolMax: 1, applicationName: 'bench-pipeline-cleanup' });
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).finally(() => pool.end());
    const redis = createRedis({ url: process.env.REDIS_URL!, keyPrefix: '' });
    if (redis.status !== 'ready') await new Promise((resolve, reject) => redis.once('ready', resolve).once('error', reject));
    const keys = await redis.keys(`${schema}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    rmSync(tmp, { recursive: true, force: true });
  };
  try {
    await Promise.all(SERVICES.map(async (service) => {
      const port = await freePort();
      const child = spawn(process.execPath, [path.join(workspaceRoot, 'dist/apps', service, 'src/main.js')], {
        cwd: workspaceRoot, stdio: ['ignore', 'ignore', 'pipe'], env: { ...all, HTTP_PORT: String(port), OTEL_SERVICE_NAME: service },
      });
      children.push(child);
      child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(`[${service}] ${chunk}`));
      for (const deadline = performance.now() + 120_000; ;) {
        if (child.exitCode !== null) throw new Error(`${service} exited with ${child.exitCode}`);
        const ready = await fetch(`http://127.0.0.1:${port}/health/ready`, { signal: AbortSignal.timeout(2_000) }).then((r) => r.status === 200, () => false);
        if (ready) return;
        if (performance.now() > deadline) throw new Error(`${service} not ready after 120 s`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }));
  } catch (error) {
    await stop();
    throw error;
  }
  return { account, env: all, client, stop };
}

async function waitForBridge(client: PlatformClient): Promise<void> {
  for (const deadline = performance.now() + 90_000; performance.now() < deadline;) {
    const health = await client.ask<{ connected: boolean; reconciling: boolean }>(Subjects.query('execution', 'bridge-health'), {}).catch(() => undefined);
    if (health?.connected && !health.reconciling) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('the simulator did not connect to execution within 90 s');
}

/** One `md.ctl.replay` of the whole range at full speed; resolves with the bars published once it completed. */
async function burst(client: PlatformClient): Promise<number> {
  let status: ReplayStatus = await client.startReplay(symbols, from, to, TAG);
  while (status.state === 'running') {
    await new Promise((resolve) => setTimeout(resolve, 20));
    status = await client.replayStatus(status.replayId);
  }
  if (status.state !== 'completed') throw new Error(`replay ${status.state}: ${status.error ?? ''}`);
  return status.result?.published ?? status.published;
}

/** The run command's lockstep pace (tools/demo/replay-driver.ts), progress on stderr. */
async function lockstep(client: PlatformClient, platform: Isolated, tracker: OrderFlowTracker): Promise<number> {
  const strategies = (await client.strategies()).filter((strategy) => strategy.enabled && strategy.status.state === 'running');
  const driver = new ReplayDriver({
    client, nats: platform.client, tracker, account: platform.account, sink: process.stderr, log: (line) => console.log(line), tag: TAG, signal: new AbortController().signal,
  });
  const outcome = await driver.run([{ symbols, from, to }], 'lockstep', strategies);
  console.log(`lockstep: ${outcome.segments} segments, ${seconds(outcome.publishMs)} publishing, ${seconds(outcome.drainMs)} waiting for the pipeline${outcome.drained ? '' : ' (NOT drained)'}`);
  return outcome.published;
}

async function main(): Promise<void> {
  console.log(`bench-pipeline: ${symbols.join(',')} ${new Date(from).toISOString().slice(0, 16)} → ${new Date(to).toISOString().slice(0, 16)} UTC; load average ${load()}`);
  const { found, missing } = findSymbolFiles(values.data, symbols);
  if (missing.length > 0) throw new Error(`no <SYMBOL>_M1*.csv in ${values.data} for ${missing.join(', ')}`);
  const relaxed: Record<string, string> = values.breakers ? {} : { DAILY_LOSS_PERCENT: '100', MAX_DRAWDOWN_PERCENT: '100', LOSING_STREAK_MAX: '1000000' };
  const platform = await startIsolated(relaxed);
  try {
    for (const line of await importHistory({ root: workspaceRoot, env: platform.env, files: found })) console.log(line);
    const client = new PlatformClient(platform.client);
    await client.seedDefaultStrategies();
    await waitForBridge(client);
    const tracker = new OrderFlowTracker(platform.client, platform.account);
    tracker.start();
    const latency = followLatency(platform.client, platform.account);
    const consumers = allConsumers(platform.account);
    const cpuBefore = serviceCpu(platform.env.NATS_URL!);
    const loadBefore = load();

    const started = performance.now();
    let replayMs = 0;
    let published = 0;
    let finished = false;
    const replaying = values.pace === 'lockstep' ? lockstep(client, platform, tracker) : burst(client);
    const done = replaying.then((count) => {
      published = count;
      replayMs = performance.now() - started;
      finished = true;
    }, (error: unknown) => {
      finished = true;
      throw error;
    });
    const drain = await watchDrain(platform, consumers, started, () => finished, tracker);
    await done;
    const endToEndMs = Math.max(...[...drain.watches.values()].map((watch) => watch.lastBusy), started + replayMs) - started;
    const cpuAfter = serviceCpu(platform.env.NATS_URL!);
    const loadAfter = load();
    latency.stop();
    tracker.stop();
    const ticks = (await platform.client.jsm.streams.info('MD_TICKS')).state.messages;

    const bars = await replayedBars(platform.client);
    const rawMs = await rawPublish(platform.client, bars);

    const flow = tracker.counts();
    const tradingState = describeTradingState(await readTradingState(client, platform.account));
    const sorted = [...latency.latencies].sort((a, b) => a - b);
    const ticksWatch = drain.watches.get('MD_TICKS/market-data-ticks');
    console.log(`\nload average before ${loadBefore}, after ${loadAfter} (1, 5, 15 min; 2 shared cores)`);
    console.log(`replay finished after             ${published.toLocaleString('en-US')} bars in ${seconds(replayMs)}: ${rate(published, replayMs)} bars/s`);
    console.log(`end to end (every consumer idle)  ${published.toLocaleString('en-US')} bars in ${seconds(endToEndMs)}: ${rate(published, endToEndMs)} bars/s${drain.drained ? '' : ' (NOT drained: stopped waiting)'}`);
    console.log(`raw js.publish, same ${bars.length.toLocaleString('en-US')} payloads, ${inFlight} in flight: ${seconds(rawMs)}: ${rate(bars.length, rawMs)} bars/s`);
    if (ticksWatch) console.log(`market-data ticks                 ${ticks.toLocaleString('en-US')} ticks, drained after ${seconds(ticksWatch.lastBusy - started)}: ${rate(ticks, ticksWatch.lastBusy - started)} ticks/s`);
    console.log('\nconsumer                                   drained after   peak backlog');
    for (const [name, watch] of drain.watches) console.log(`  ${name.padEnd(40)} ${seconds(watch.lastBusy - started).padStart(12)}   ${watch.peak.toLocaleString('en-US').padStart(10)}`);
    console.log('\nservice CPU during the run (user + system)');
    for (const service of SERVICES) console.log(`  ${service.padEnd(14)} ${((cpuAfter.get(service) ?? 0) - (cpuBefore.get(service) ?? 0)).toFixed(1).padStart(6)} s`);
    console.log(`\nsignals ${flow.signals}, allowed ${flow.allowed}, denied ${flow.denied} (${[...flow.denialsByCode].map(([code, n]) => `${code} ${n}`).join(', ') || 'none'})`);
    console.log(`orders ${[...flow.ordersByState].map(([state, n]) => `${state} ${n}`).join(', ') || 'none'}`);
    for (const [why, n] of latency.notFilled) console.log(`  not filled: ${n} × ${why}`);
    console.log(`signal to fill (${sorted.length} fills): p50 ${percentile(sorted, 50).toFixed(0)} ms, p99 ${percentile(sorted, 99).toFixed(0)} ms, max ${(sorted.at(-1) ?? Number.NaN).toFixed(0)} ms`);
    console.log(`trading state after the run: ${tradingState}`);
    console.log(`pace ${values.pace}; breakers ${values.breakers ? 'as the run command (defaults)' : 'opened up (DAILY_LOSS_PERCENT=100, MAX_DRAWDOWN_PERCENT=100, LOSING_STREAK_MAX=1000000)'}`);
  } finally {
    await platform.stop();
  }
}

main().then(() => process.exit(0), (error: unknown) => {
  console.error(error);
  process.exit(1);
});

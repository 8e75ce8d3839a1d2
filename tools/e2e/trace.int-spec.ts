// One trace per order: a replayed bar, the signal it causes, the risk decision, the order command,
// the bridge request, the fill and the reporting write share one trace id and form one tree.
//
// The services run as processes (dist/apps/*/src/main.js, built first) on a private NATS server,
// their own Postgres schema, Redis key prefix, HTTP and bridge ports and a unique account, and
// export their spans as OTLP/JSON to a receiver this test starts. The bar is replayed through
// market-data (`md.ctl.replay`) with a W3C traceparent the test made up, so the trace id is known.
// TRACE_TREE_OUT=<file> writes the collected trace as an indented tree (what a reader sees in Jaeger).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { headers as natsHeaders } from '@nats-io/nats-core';
import { Subjects } from '@mt5/contracts';
import { connectNats, requestQuery, type NatsHandles } from '@mt5/infra/nats';
import { applyMigrations } from '@mt5/infra/prisma';
import { startNatsServer, testEnv, uniqueName, waitFor, type NatsTestServer } from '@mt5/testing';
import { dropTestData } from './platform.fixture.js';
import { demoServiceEnv, writeAlwaysOpenCatalogue } from '../demo/demo-settings.js';
import { allConsumers, OrderFlowTracker, tradingConsumers, waitForDrain } from '../demo/pipeline-watch.js';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from './otlp-receiver.fixture.js';
import { freePort, startService, workspaceRoot, type ServiceProcess } from './service-process.fixture.js';
import { runChild } from '../demo/local-access.js';
import { checkChain, detached, renderTree, type ChainStep } from './trace-tree.fixture.js';

const STRATEGY = 'trace-cross';
/**
 * EURUSD M1 on Monday 2021-01-25 (sessions open on the simulator's history clock). With SMA(1)
 * against SMA(2) the closes fall, fall, then jump: the bar of 10:01 crosses upwards (a BUY) and
 * ATR(1) on it is 64 points, so the stop and target sit far outside the stops level.
 */
const BARS_CSV = [
  '2021-01-25 09:58,1.10100,1.10120,1.10080,1.10100,10',
  '2021-01-25 09:59,1.10000,1.10110,1.09980,1.10000,10',
  '2021-01-25 10:00,1.09900,1.10010,1.09880,1.09900,10',
  '2021-01-25 10:01,1.10500,1.10520,1.09890,1.10500,10',
].join('\n');
const SIGNAL_BAR = Date.UTC(2021, 0, 25, 10, 1);
const FIRST_BAR = Date.UTC(2021, 0, 25, 9, 58);

let receiver: OtlpReceiver;
let nats: NatsTestServer;
let client: NatsHandles;
let tmp: string;
let schema: string;
let account: string;
const services: ServiceProcess[] = [];
/** The trace the signal bar is replayed in, and the made-up span that "sent" it. */
const traceId = randomBytes(16).toString('hex');
const rootParentSpanId = randomBytes(8).toString('hex');
let traceSpans: ReceivedSpan[] = [];

async function ask<T>(subject: string, body: unknown, timeoutMs = 15_000): Promise<T> {
  const reply = await requestQuery<T>(client.nc, subject, body, timeoutMs);
  if (!reply.ok) throw new Error(`${subject}: ${reply.error.code} ${reply.error.message}`);
  return reply.data;
}

/** `md.ctl.replay` of `[from, to)` carrying `traceparent` (requestQuery would inject the test's none). */
async function replay(from: number, to: number, traceparent?: string): Promise<void> {
  const headers = natsHeaders();
  if (traceparent) headers.set('traceparent', traceparent);
  const body = { symbols: ['EURUSD'], from: new Date(from).toISOString(), to: new Date(to).toISOString(), speed: 'max', tag: 'trace' };
  const msg = await client.nc.request(Subjects.command('market-data', 'replay'), JSON.stringify(body), { timeout: 15_000, headers });
  const reply = JSON.parse(msg.string()) as { ok: boolean; data?: { replayId: string }; error?: { message: string } };
  if (!reply.ok) throw new Error(`md.ctl.replay: ${reply.error?.message}`);
  await waitFor(async () => {
    const status = await ask<{ replays: { state: string; error: string | null }[] }>(Subjects.query('market-data', 'replay-status'), { replayId: reply.data!.replayId });
    if (status.replays[0]!.state === 'failed') throw new Error(`replay failed: ${status.replays[0]!.error}`);
    return status.replays[0]!.state === 'completed';
  }, { timeoutMs: 30_000, intervalMs: 50, description: 'replay completed' });
}

beforeAll(async () => {
  const env = testEnv();
  receiver = await startOtlpReceiver();
  nats = await startNatsServer();
  client = await connectNats({ url: nats.url, name: 'trace-e2e' });
  schema = uniqueName('e2e_trace');
  account = schema.replaceAll('_', '-');
  await applyMigrations({ connectionString: env.databaseUrl, schema });
  tmp = mkdtempSync(path.join(os.tmpdir(), 'mt5-trace-'));
  const csv = path.join(tmp, 'EURUSD_M1.csv');
  writeFileSync(csv, BARS_CSV);
  const databaseUrl = `${env.databaseUrl}${env.databaseUrl.includes('?') ? '&' : '?'}schema=${schema}`;
  const common: Record<string, string> = {
    NATS_URL: nats.url, DATABASE_URL: databaseUrl, REDIS_URL: env.redisUrl, REDIS_KEY_PREFIX: `${schema}:`, LOG_LEVEL: 'warn',
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: '200',
    ...demoServiceEnv({ live: false, account, catalogue: writeAlwaysOpenCatalogue(tmp) }, {}),
    BRIDGE_HOST: '127.0.0.1', BRIDGE_PORT: String(await freePort()), BRIDGE_SHARED_SECRET: 'trace-e2e-bridge-secret', TICK_SYMBOLS: 'EURUSD', SIM_SYMBOLS: 'EURUSD',
  };
  const imported = await runChild(process.execPath, [path.join(workspaceRoot, 'dist/apps/market-data/src/cli.js'), 'import', csv, '--symbol', 'EURUSD', '--json'], {
    cwd: workspaceRoot, env: { PATH: process.env.PATH ?? '', ...common },
  });
  if (imported.code !== 0) throw new Error(`import failed: ${imported.stderr}`);
  // Consumers before the producers' first messages; the simulator dials execution's bridge and retries.
  const names = ['reporting', 'risk-guard', 'execution', 'signal-engine', 'market-data', 'mt5-simulator'];
  const started = await Promise.allSettled(names.map((name) => startService(name, { ...common, OTEL_SERVICE_NAME: name })));
  // Keep every one that did start, so afterAll stops it even when another failed.
  for (const result of started) if (result.status === 'fulfilled') services.push(result.value);
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;

  await ask(`${Subjects.command('signal-engine', 'strategies')}.upsert`, {
    id: STRATEGY,
    config: {
      kind: 'ma-crossover', name: 'trace test: SMA 1/2', venue: 'MT5', symbols: ['EURUSD'], timeframe: 'M1', params: { fast: 1, slow: 2, atrPeriod: 1 },
      enabled: true, magic: 4711, account: null, riskPerTradePct: '0.5', maxOpenPositions: 1, maxVolume: null,
    },
  });
  await waitFor(async () => {
    const health = await ask<{ connected: boolean; reconciling: boolean }>(Subjects.query('execution', 'bridge-health'), {});
    return health.connected && !health.reconciling;
  }, { timeoutMs: 60_000, intervalMs: 250, description: 'the simulator connected and reconciled' });

  // The bars before the signal bar first, and every quote they cause cached, as the run command
  // does before a signal bar: risk-guard sizes the order on the last cached quote.
  const tracker = new OrderFlowTracker(client, account);
  tracker.start();
  await replay(FIRST_BAR, SIGNAL_BAR);
  await waitForDrain(client, { consumers: tradingConsumers(account), tracker, quietMs: 300, timeoutMs: 60_000 });
  await waitFor(async () => (await ask<{ snapshot: unknown }>(Subjects.query('risk-guard', 'state'), { account }).catch(() => ({ snapshot: null }))).snapshot !== null,
    { timeoutMs: 30_000, intervalMs: 250, description: 'risk-guard holds an account snapshot' });

  await replay(SIGNAL_BAR, SIGNAL_BAR + 60_000, `00-${traceId}-${rootParentSpanId}-01`);
  const drained = await waitForDrain(client, { consumers: allConsumers(account), tracker, quietMs: 500, timeoutMs: 60_000 });
  const flow = tracker.counts();
  tracker.stop();
  if (flow.signals !== 1 || !drained.drained || flow.ordersByState.get('FILLED') !== 1) {
    throw new Error(`the signal bar did not lead to one filled order: ${JSON.stringify({ ...flow, denialsByCode: [...flow.denialsByCode], ordersByState: [...flow.ordersByState] })}`);
  }
  // Spans leave in batches every 200 ms; the reporting write of the deal is the last one expected.
  await waitFor(() => receiver.spans().some((span) => span.traceId === traceId && span.service === 'reporting' && String(span.attributes['messaging.destination.name']).endsWith('.deal')),
    { timeoutMs: 30_000, intervalMs: 100, description: 'reporting exported the span of the deal it wrote' }).catch(() => undefined);
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  traceSpans = receiver.spans().filter((span) => span.traceId === traceId);
  if (process.env.TRACE_TREE_OUT) writeFileSync(process.env.TRACE_TREE_OUT, `${renderTree(traceSpans)}\n`);
}, 300_000);

afterAll(async () => {
  await Promise.all(services.map((service) => service.stop()));
  await client?.nc.drain().catch(() => undefined);
  await nats?.stop();
  await receiver?.close();
  if (schema) await dropTestData(schema);
  if (tmp) rmSync(tmp, { recursive: true, force: true });
}, 60_000);

describe('one trace per order', () => {
  it('follows the replayed bar to the signal, the risk decision, the order command, the bridge request, the fill and the reporting write, each a descendant of the one before', () => {
    const steps: ChainStep[] = [
      { what: 'bar published by market-data (the replay request it runs in)', service: 'market-data', name: 'query md.ctl.replay' },
      { what: 'bar consumed by signal-engine', service: 'signal-engine', name: 'consume signal-engine-bars' },
      { what: 'signal published', service: 'signal-engine', name: `signal ${STRATEGY} EURUSD` },
      { what: 'signal consumed by risk-guard', service: 'risk-guard', name: 'consume risk-guard-signals' },
      { what: 'risk decision', service: 'risk-guard', name: 'risk.decide' },
      { what: 'order command consumed by execution', service: 'execution', name: `consume execution-${account}` },
      { what: 'bridge request to the terminal', service: 'execution', name: 'bridge trade_request' },
    ];
    const fill: ChainStep[] = [
      steps[5]!,
      { what: 'fill (the deal) written by reporting', service: 'reporting', name: 'consume reporting-exec-events', where: (span) => String(span.attributes['messaging.destination.name']) === `exec.evt.${account}.deal` },
    ];
    const found = { order: checkChain(traceSpans, steps), fill: checkChain(traceSpans, fill).slice(1) };
    const expected = {
      order: steps.map((step) => ({ what: step.what, span: `${step.service}: ${step.name}`, descendsFromPrevious: true })),
      fill: [{ what: fill[1]!.what, span: `reporting: consume reporting-exec-events`, descendsFromPrevious: true }],
    };
    expect({ ...found, tree: found.order.every((c) => c.descendsFromPrevious) ? 'ok' : renderTree(traceSpans) }).toEqual({ ...expected, tree: 'ok' });
  });

  it('links every span of that trace to a parent in the trace, up to the request that replayed the bar', () => {
    expect(traceSpans.length).toBeGreaterThanOrEqual(8);
    expect(detached(traceSpans, rootParentSpanId)).toEqual([]);
    expect(receiver.problems()).toEqual([]);
  });

  it('holds exactly one order: one signal, one decision, one command, one bridge request', () => {
    const count = (service: string, name: string) => traceSpans.filter((span) => span.service === service && span.name === name).length;
    expect({
      signals: count('signal-engine', `signal ${STRATEGY} EURUSD`), decisions: count('risk-guard', 'risk.decide'),
      commands: count('execution', `consume execution-${account}`), bridgeRequests: count('execution', 'bridge trade_request'),
    }).toEqual({ signals: 1, decisions: 1, commands: 1, bridgeRequests: 1 });
  });
});

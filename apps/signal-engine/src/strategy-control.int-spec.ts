// Strategy configs changed at run time over NATS request/reply, against the running service
// (Nest app, real NATS/Postgres/Redis): seed, upsert, set-params with validation errors, disable;
// queries of strategies and signals; a signal's span in the trace of the bar that caused it.
// Real GBPUSD M1 bars, stored before they are published (market-data's order).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Consumers, signalEnvelopeSchema, Streams, Subjects } from '@mt5/contracts';
import { importBarText, type ImportedBar } from '@mt5/domain/market';
import { buildStrategy, completeSignal } from '@mt5/domain/strategies';
import { connectNats, publishEnvelope, requestQuery, subjectIn, type NatsHandles, type ProvisionOptions, type QueryReply } from '@mt5/infra/nats';
import { applyMigrations, createPgPool } from '@mt5/infra/prisma';
import { currentTraceId, startTelemetry, withSpan } from '@mt5/infra/telemetry';
import { testEnv, uniqueName, waitFor } from '@mt5/testing';
import type pg from 'pg';
import { pino } from 'pino';
import type { StrategyView } from './adapters/nats/control.handlers.js';
import { SignalEngineSubjects, type StrategyControlOp } from './adapters/nats/control.schemas.js';
import { loadServiceConfig } from './config.js';
import { SignalEngineModule } from './signal-engine.module.js';
import { barMessage, SHARED_MARKET_DIR } from './testing/engine-fakes.fixture.js';

startTelemetry('signal-engine-control-test');

const env = testEnv();
const tag = uniqueName('sigctl');
const provision: ProvisionOptions = { namespace: { stream: `${tag.toUpperCase()}_`, subject: `${tag}.` } };
const databaseUrl = (() => {
  const url = new URL(env.databaseUrl);
  url.searchParams.set('schema', tag);
  return url.toString();
})();
const BARS: ImportedBar[] = importBarText(readFileSync(path.join(SHARED_MARKET_DIR, 'GBPUSD_M1.csv'), 'utf8'), { venue: 'MT5', symbol: 'GBPUSD', timeframe: 'M1' }).bars.slice(0, 900);

let pool: pg.Pool;
let nats: NatsHandles;
let engine: INestApplicationContext;
let delivered = 0;

const request = <T>(subject: string, body: unknown = {}) => requestQuery<T>(nats.nc, subjectIn(subject, provision), body, 15_000);
const control = <T = StrategyView>(op: StrategyControlOp, body: unknown) => request<T>(SignalEngineSubjects.strategyControl(op), body);
const data = <T>(reply: QueryReply<T>): T => {
  if (!reply.ok) throw new Error(`${reply.error.code}: ${reply.error.message}`);
  return reply.data;
};

async function consumerIdle(): Promise<boolean> {
  const info = await nats.jsm.consumers.info(`${provision.namespace!.stream}MD_BARS`, Consumers.signalEngineBars.durable);
  return info.num_pending === 0 && info.num_ack_pending === 0;
}

/** Stores the next `count` bars and publishes them, as market-data does; waits until the engine handled them. */
async function deliver(count: number): Promise<void> {
  const bars = BARS.slice(delivered, delivered + count);
  delivered += bars.length;
  await pool.query(
    `INSERT INTO bars (venue, symbol, timeframe, open_time, open, high, low, close, tick_volume)
     SELECT 'MT5', 'GBPUSD', 'M1', t, o::numeric, h::numeric, l::numeric, c::numeric, v
     FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[]) AS x(t, o, h, l, c, v)`,
    [bars.map((b) => new Date(b.openTime).toISOString()), bars.map((b) => b.openText), bars.map((b) => b.highText), bars.map((b) => b.lowText),
      bars.map((b) => b.closeText), bars.map((b) => b.tickVolume)],
  );
  for (const bar of bars) await publishEnvelope(nats.js, subjectIn(Subjects.bar('MT5', 'GBPUSD', 'M1'), provision), barMessage(bar));
  await waitFor(consumerIdle, { timeoutMs: 60_000, description: 'bars handled' });
}

/** Signal ids of a strategy run straight over bars [0, upTo), kept from bar index `from` on. */
function directIds(strategyId: string, params: object, from: number, upTo: number): string[] {
  const built = buildStrategy('ma-crossover', params);
  if (!built.ok) throw new Error(built.problems.join('; '));
  return BARS.slice(0, upTo).flatMap((bar, index) => {
    const draft = built.instance.onBar(bar);
    return draft && index >= from ? [completeSignal(draft, { strategyId, strategyKind: 'ma-crossover', venue: 'MT5', symbol: 'GBPUSD', timeframe: 'M1' }).signalId] : [];
  });
}

/** The SIGNALS stream message of a signal id. */
async function streamedSignal(signalId: string) {
  const stream = `${provision.namespace!.stream}${Streams.SIGNALS.name}`;
  const { state } = await nats.jsm.streams.info(stream);
  for (let seq = state.first_seq; seq <= state.last_seq; seq++) {
    const message = await nats.jsm.streams.getMessage(stream, { seq });
    if (message && signalEnvelopeSchema.parse(message.json()).id === signalId) return message;
  }
  throw new Error(`${signalId} is not on the SIGNALS stream`);
}

async function storedSignalIds(strategyId: string): Promise<string[]> {
  const reply = await request<{ signals: { signalId: string }[] }>(SignalEngineSubjects.signalsQuery(), { strategyId, limit: 1_000 });
  return data(reply).signals.map((signal) => signal.signalId).reverse();
}

beforeAll(async () => {
  await applyMigrations({ connectionString: env.databaseUrl, schema: tag });
  pool = createPgPool({ url: databaseUrl, poolMax: 2 });
  nats = await connectNats({ url: env.natsUrl, name: tag });
  const config = loadServiceConfig({ NATS_URL: env.natsUrl, DATABASE_URL: databaseUrl, REDIS_URL: env.redisUrl, REDIS_KEY_PREFIX: `${tag}:`, LOG_LEVEL: 'warn' });
  engine = await NestFactory.createApplicationContext(SignalEngineModule.forRoot(config, pino({ level: 'warn' }), { provision }), { logger: false });
}, 120_000);

afterAll(async () => {
  await engine?.close();
  for (const name of ['MD_BARS', 'SIGNALS', 'DLQ']) await nats?.jsm.streams.delete(`${provision.namespace!.stream}${name}`).catch(() => undefined);
  await nats?.nc.drain();
  await pool?.query(`DROP SCHEMA IF EXISTS "${tag}" CASCADE`);
  await pool?.end();
}, 60_000);

describe('strategy configs over sig.ctl.* and sig.qry.*', () => {
  it('seeds the default set (disabled) once, and lists it with what the engine does with each', async () => {
    const seeded = data(await request<{ created: string[]; strategies: StrategyView[] }>(SignalEngineSubjects.seedDefaults(), {}));
    expect(seeded.created).toEqual(['ma-crossover-m1', 'rsi-reversion-m1']);
    expect(data(await request<{ created: string[] }>(SignalEngineSubjects.seedDefaults(), {})).created).toEqual([]);
    const listed = data(await request<{ strategies: StrategyView[] }>(SignalEngineSubjects.strategiesQuery()));
    expect(listed.strategies.map((s) => [s.id, s.kind, s.symbols.join(','), s.timeframe, s.enabled, s.status.state])).toEqual([
      ['ma-crossover-m1', 'ma-crossover', 'EURUSD,GBPUSD,USDJPY', 'M1', false, 'disabled'],
      ['rsi-reversion-m1', 'rsi-reversion', 'EURUSD,GBPUSD,USDJPY', 'M1', false, 'disabled'],
    ]);
  });

  it('answers invalid parameters with every problem, a malformed request with a schema violation, an unknown id with not found', async () => {
    expect(await control('set-params', { id: 'ma-crossover-m1', params: { fast: 50, stopLossAtr: 0 } })).toEqual({
      ok: false,
      error: { code: 'OPS.INVALID_REQUEST', retryable: false, message: 'OPS.INVALID_REQUEST: params.stopLossAtr: must be a number in (0, 100], got 0' },
    });
    expect(await control('set-params', { id: 'ma-crossover-m1', params: { fast: 50 } })).toMatchObject({
      ok: false, error: { code: 'OPS.INVALID_REQUEST', message: 'OPS.INVALID_REQUEST: params.fast: must be below slow, got fast=50, slow=30' },
    });
    expect(await control('enable', { expectedVersion: 1 })).toMatchObject({ ok: false, error: { code: 'MSG.SCHEMA_VIOLATION' } });
    expect(await control('enable', { id: 'nope' })).toMatchObject({ ok: false, error: { code: 'OPS.NOT_FOUND', message: 'OPS.NOT_FOUND: strategy=nope' } });
  });

  it('runs a strategy created at run time; its signals are stored, queryable and published in the trace of their bar', async () => {
    const created = data(await control('upsert', {
      id: 'gbp-ma', config: { kind: 'ma-crossover', symbols: ['GBPUSD'], timeframe: 'M1', params: { fast: 10, slow: 30 }, enabled: true, magic: 77 },
    }));
    expect(created).toMatchObject({ id: 'gbp-ma', venue: 'MT5', enabled: true, version: 1, status: { state: 'running' } });
    const expected = directIds('gbp-ma', { fast: 10, slow: 30 }, 0, 400);
    expect(expected.length).toBeGreaterThan(3);
    // Publish the bar of the third signal inside a span of its own: the signal must join that trace.
    const tracedIndex = BARS.findIndex((bar) => expected[2]!.endsWith(`-${bar.openTime}`));
    await deliver(tracedIndex);
    const traced = BARS[tracedIndex]!;
    const traceId = await withSpan('publish test bar', { kind: 'producer' }, async () => {
      await pool.query(`INSERT INTO bars (venue, symbol, timeframe, open_time, open, high, low, close) VALUES ('MT5', 'GBPUSD', 'M1', $1, $2, $3, $4, $5)`,
        [new Date(traced.openTime).toISOString(), traced.openText, traced.highText, traced.lowText, traced.closeText]);
      await publishEnvelope(nats.js, subjectIn(Subjects.bar('MT5', 'GBPUSD', 'M1'), provision), barMessage(traced));
      return currentTraceId();
    });
    delivered++;
    await deliver(400 - delivered);

    expect(await storedSignalIds('gbp-ma')).toEqual(expected);
    const published = await streamedSignal(expected[2]!);
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(published.header?.get('traceparent')).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-0[01]$`));
    expect(published.header?.get('Nats-Msg-Id')).toBe(expected[2]);
  });

  it('applies new parameters without a restart, from the newest stored bar on', async () => {
    const before = data(await request<{ strategies: StrategyView[] }>(SignalEngineSubjects.strategiesQuery())).strategies.find((s) => s.id === 'gbp-ma')!;
    const changed = data(await control('set-params', { id: 'gbp-ma', params: { fast: 5 }, expectedVersion: before.version }));
    expect(changed).toMatchObject({ version: before.version + 1, params: { fast: 5, slow: 30 }, status: { state: 'running' } });
    expect(await control('set-params', { id: 'gbp-ma', params: { fast: 6 }, expectedVersion: before.version })).toMatchObject({ ok: false, error: { code: 'OPS.CONFLICT' } });
    await deliver(300);
    const fromChange = directIds('gbp-ma', { fast: 5, slow: 30 }, 400, 700);
    expect(fromChange.length).toBeGreaterThan(3);
    expect(await storedSignalIds('gbp-ma')).toEqual([...directIds('gbp-ma', { fast: 10, slow: 30 }, 0, 400), ...fromChange]);
  });

  it('stops evaluating a disabled strategy at once', async () => {
    const disabled = data(await control('disable', { id: 'gbp-ma' }));
    expect(disabled).toMatchObject({ enabled: false, status: { state: 'disabled' } });
    const count = (await storedSignalIds('gbp-ma')).length;
    await deliver(200);
    expect(directIds('gbp-ma', { fast: 5, slow: 30 }, 700, 900).length).toBeGreaterThan(0);
    expect((await storedSignalIds('gbp-ma')).length).toBe(count);
  });
});

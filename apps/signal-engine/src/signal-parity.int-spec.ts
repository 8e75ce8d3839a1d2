// Parity (issue 4): real EURUSD M1 bars imported into Postgres and replayed onto JetStream by
// market-data's own code give, through the running signal-engine (Nest app, durable consumer,
// real NATS/Postgres/Redis), exactly the signals the backtester finds on the same bars, even when
// the engine is stopped mid-stream and a new instance, warmed from the database, takes over.
// Each run owns a Postgres schema, a stream/subject namespace and a Redis key prefix.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Consumers, signalEnvelopeSchema, Streams, type Signal } from '@mt5/contracts';
import { runBacktest, type BacktestInstrument } from '@mt5/domain/backtest';
import { connectNats, type NatsHandles, type ProvisionOptions } from '@mt5/infra/nats';
import { applyMigrations, createPgPool } from '@mt5/infra/prisma';
import { createRedis } from '@mt5/infra/redis';
import { testEnv, uniqueName, waitFor } from '@mt5/testing';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import { pino } from 'pino';
// The parity test drives market-data's real import and replay code, not a copy of it.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { loadServiceConfig as loadMarketDataConfig } from '../../market-data/src/config.js';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { composeMarketData, type MarketData } from '../../market-data/src/market-data.composition.js';
import { BarHistoryRepository } from './adapters/db/bar-history.repository.js';
import { StrategyConfigsRepository } from './adapters/db/strategy-configs.repository.js';
import { computedPrice } from './adapters/signal-message.mapper.js';
import { loadServiceConfig } from './config.js';
import { SignalEngineModule } from './signal-engine.module.js';
import { SHARED_MARKET_DIR } from './testing/engine-fakes.fixture.js';

const SLICE_BARS = 12_000;
const KEY = { venue: 'MT5', symbol: 'EURUSD', timeframe: 'M1' } as const;
const EURUSD: BacktestInstrument = {
  symbol: 'EURUSD', venue: 'MT5', digits: 5, point: 0.00001, tickSize: 0.00001, tickValue: 1, contractSize: 100_000,
  baseCurrency: 'EUR', profitCurrency: 'USD', marginCurrency: 'EUR', volumeMin: 0.01, volumeMax: 100, volumeStep: 0.01,
  stopsLevel: 0, tradeMode: 'FULL', defaultSpreadPoints: 10,
};

const env = testEnv();
const tag = uniqueName('sigpar');
const schema = tag;
const provision: ProvisionOptions = { namespace: { stream: `${tag.toUpperCase()}_`, subject: `${tag}.` } };
const databaseUrl = (() => {
  const url = new URL(env.databaseUrl);
  url.searchParams.set('schema', schema);
  return url.toString();
})();
const sliceFile = path.join(os.tmpdir(), `${tag}-EURUSD_M1.csv`);
const logger = pino({ level: 'warn' });
const serviceEnv = {
  NATS_URL: env.natsUrl, DATABASE_URL: databaseUrl, REDIS_URL: env.redisUrl, REDIS_KEY_PREFIX: `${tag}:`, LOG_LEVEL: 'warn',
};

let pool: pg.Pool;
let redis: Redis;
let nats: NatsHandles;
let md: MarketData;
let engine: INestApplicationContext | undefined;
let firstBar = 0;
let lastBar = 0;

type SignalFacts = Pick<Signal, 'signalId' | 'side' | 'barTime' | 'price' | 'stopLoss' | 'takeProfit'>;

function startEngine(): Promise<INestApplicationContext> {
  return NestFactory.createApplicationContext(SignalEngineModule.forRoot(loadServiceConfig(serviceEnv), logger, { provision }), { logger: false });
}

async function processedBars(): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM processed_messages WHERE consumer = 'signal-engine:ma-10-30'`);
  return rows[0]!.n;
}

/** The consumer has nothing left to deliver and nothing unacknowledged. */
async function consumerIdle(): Promise<boolean> {
  const info = await nats.jsm.consumers.info(`${provision.namespace!.stream}MD_BARS`, Consumers.signalEngineBars.durable);
  return info.num_pending === 0 && info.num_ack_pending === 0;
}

/** Every message of the run's SIGNALS stream, in stream order. */
async function streamedSignals(): Promise<{ facts: SignalFacts[]; msgIds: string[] }> {
  const stream = `${provision.namespace!.stream}${Streams.SIGNALS.name}`;
  const { state } = await nats.jsm.streams.info(stream);
  const facts: SignalFacts[] = [];
  const msgIds: string[] = [];
  for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq++) {
    const message = await nats.jsm.streams.getMessage(stream, { seq });
    const { data } = signalEnvelopeSchema.parse(message!.json());
    facts.push({ signalId: data.signalId, side: data.side, barTime: data.barTime, price: data.price, stopLoss: data.stopLoss, takeProfit: data.takeProfit });
    msgIds.push(message!.header?.get('Nats-Msg-Id') ?? '');
  }
  return { facts, msgIds };
}

beforeAll(async () => {
  const lines = readFileSync(path.join(SHARED_MARKET_DIR, 'EURUSD_M1.mt5-export.csv'), 'utf8').split('\n');
  writeFileSync(sliceFile, lines.slice(0, SLICE_BARS + 1).join('\n'));
  await applyMigrations({ connectionString: env.databaseUrl, schema });
  pool = createPgPool({ url: databaseUrl, poolMax: 3 });
  redis = createRedis({ url: env.redisUrl, keyPrefix: `${tag}:` });
  nats = await connectNats({ url: env.natsUrl, name: tag });
  const mdConfig = loadMarketDataConfig({ ...serviceEnv, MD_VENUE: 'MT5' });
  md = composeMarketData({ config: mdConfig, logger, pool, nc: nats.nc, js: nats.js, jsm: nats.jsm, redis, provision, clock: { now: () => new Date() } });
  await new StrategyConfigsRepository(pool).upsert('ma-10-30', {
    kind: 'ma-crossover', name: 'SMA 10/30', venue: 'MT5', symbols: ['EURUSD'], timeframe: 'M1', params: { fast: 10, slow: 30 }, enabled: true,
    magic: 4242, account: null, riskPerTradePct: '0.5', maxOpenPositions: 1, maxVolume: null,
  });
}, 120_000);

afterAll(async () => {
  await engine?.close();
  await nats?.jsm.streams.list().next().then(async (streams) => {
    for (const stream of streams.filter((s) => s.config.name.startsWith(provision.namespace!.stream))) await nats.jsm.streams.delete(stream.config.name);
  }).catch(() => undefined);
  await nats?.nc.drain();
  for await (const key of redis.scanStream({ match: `${tag}:*` })) if ((key as string[]).length) await redis.unlink(...(key as string[]).map((k) => k.slice(tag.length + 1)));
  redis?.disconnect();
  await pool?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pool?.end();
  rmSync(sliceFile, { force: true });
}, 60_000);

describe('signals of the replayed pipeline against the backtester, on real EURUSD M1 bars', () => {
  let expected: SignalFacts[];

  it('imports the slice with market-data\'s importer', async () => {
    const result = await md.importBars.execute({ file: sliceFile, venue: 'MT5', symbol: 'EURUSD', timeframe: 'M1', format: 'auto', timeZone: 'UTC', publish: false });
    expect(result).toMatchObject({ accepted: SLICE_BARS, rejected: 0, inserted: SLICE_BARS });
    firstBar = result.firstTime!;
    lastBar = result.lastTime!;
    const bars = await new BarHistoryRepository(pool).lastBars(KEY, SLICE_BARS);
    const backtest = runBacktest(bars, { strategyId: 'ma-10-30', strategyKind: 'ma-crossover', params: { fast: 10, slow: 30 }, instrument: EURUSD, initialBalance: 10_000, riskPercent: 1, commissionPerLotPerSide: 7 });
    const closeAt = new Map(bars.map((bar) => [bar.openTime, bar.close]));
    expected = backtest.signals.map((signal) => ({
      signalId: signal.signalId, side: signal.side, barTime: new Date(signal.barOpenTime).toISOString(), price: String(closeAt.get(signal.barOpenTime)),
      stopLoss: computedPrice(signal.stopLoss), takeProfit: computedPrice(signal.takeProfit!),
    }));
    expect(expected.length).toBeGreaterThan(200);
  }, 120_000);

  it('replays through a running engine, stopped mid-stream and replaced by one warmed from the database: the same signals, each once', async () => {
    const started = performance.now();
    engine = await startEngine();
    const replay = md.replayBars.execute({ venue: 'MT5', symbols: ['EURUSD'], timeframe: 'M1', from: firstBar, to: lastBar + 60_000, speed: { kind: 'max' } });
    await waitFor(async () => (await processedBars()) >= 4_000, { timeoutMs: 150_000, intervalMs: 200, description: 'first engine evaluated 4000 bars' });
    await engine.close();
    engine = undefined;
    const stoppedAt = await processedBars();
    expect(stoppedAt).toBeLessThan(SLICE_BARS);
    expect((await replay).published).toBe(SLICE_BARS);

    engine = await startEngine();
    await waitFor(async () => (await processedBars()) === SLICE_BARS && (await consumerIdle()), { timeoutMs: 240_000, intervalMs: 250, description: 'second engine caught up' });
    process.stderr.write(`parity: ${SLICE_BARS} bars, first engine stopped after ${stoppedAt}, all evaluated in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    const { facts, msgIds } = await streamedSignals();
    expect(facts).toEqual(expected);
    expect(msgIds).toEqual(expected.map((signal) => signal.signalId));
    const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM signals');
    expect(rows[0]!.n).toBe(expected.length);
  }, 420_000);

  it('gives no second signal for a bar delivered again, nor anything for a bar older than the last one', async () => {
    const last = expected.at(-1)!;
    const before = (await streamedSignals()).facts.length;
    const barTime = Date.parse(last.barTime);
    // A deliberate second run (tagged: new message ids, so JetStream does not drop them) of the
    // last signal's bar, and of an hour of older history.
    const again = await md.replayBars.execute({ venue: 'MT5', symbols: ['EURUSD'], timeframe: 'M1', from: barTime, to: barTime + 60_000, speed: { kind: 'max' }, tag: 'again' });
    const older = await md.replayBars.execute({ venue: 'MT5', symbols: ['EURUSD'], timeframe: 'M1', from: firstBar + 3_600_000, to: firstBar + 7_200_000, speed: { kind: 'max' }, tag: 'older' });
    expect(again.published).toBe(1);
    expect(older.published).toBeGreaterThan(30);
    await waitFor(consumerIdle, { timeoutMs: 60_000, description: 'the repeated bars were handled' });
    expect((await streamedSignals()).facts.length).toBe(before);
    expect(await processedBars()).toBe(SLICE_BARS);
  }, 120_000);
});

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createMessage, Subjects, TickMessage, type Tick } from '@mt5/contracts';
import { publishEnvelope, requestQuery, serveQuery, subjectIn } from '@mt5/infra/nats';
import { waitFor } from '@mt5/testing';
import { pino } from 'pino';
import { MarketDataModule } from './market-data.module.js';
import { MARKET_DATA } from './market-data.runtime.js';
import type { MarketData } from './market-data.composition.js';
import { openMarketDataTestKit, SHARED_MARKET_DATA, type MarketDataTestKit } from './market-data-test-kit.fixture.js';

// The service booted as in production (Nest, CoreModule, Prisma, Redis, the ticks consumer), on its
// own schema, streams and key prefix. The clock stands at 10:00:30 on 2021-01-25.
const NOW = Date.UTC(2021, 0, 25, 10, 0, 30);
let kit: MarketDataTestKit;
let app: INestApplicationContext;
let md: MarketData;
let tickCounter = 0;

async function ask<T>(subject: string, body: unknown): Promise<T> {
  const reply = await requestQuery<T>(kit.nats.nc, subjectIn(subject, kit.provision), body, 10_000);
  if (!reply.ok) throw new Error(`${subject}: ${reply.error.code}: ${reply.error.message}`);
  return reply.data;
}

async function tick(symbol: string, time: string, bid: string): Promise<void> {
  const data: Tick = { venue: 'MT5', symbol, time: `2021-01-25T${time}Z`, bid, ask: (Number(bid) + 0.0001).toFixed(5) };
  const envelope = createMessage(TickMessage, { id: `tick-${++tickCounter}`, data, tsEvent: data.time, tsInit: data.time });
  await publishEnvelope(kit.nats.js, subjectIn(Subjects.tick('MT5', symbol), kit.provision), envelope);
}

const storedM1 = async (symbol: string) => (await kit.pool.query(
  `SELECT to_char(open_time AT TIME ZONE 'UTC', 'HH24:MI') AS t, open::float8 AS o, high::float8 AS h, low::float8 AS l, close::float8 AS c, tick_volume::int AS v
   FROM bars WHERE symbol = $1 AND timeframe = 'M1' ORDER BY open_time`, [symbol])).rows;

beforeAll(async () => {
  kit = await openMarketDataTestKit();
  app = await NestFactory.createApplicationContext(
    MarketDataModule.forRoot(kit.config, pino({ level: 'silent' }), { provision: kit.provision, clock: { now: () => new Date(NOW) } }),
    { logger: false },
  );
  md = app.get<MarketData>(MARKET_DATA);
  await md.importBars.execute({ file: path.join(SHARED_MARKET_DATA, 'GBPUSD_M1.csv'), venue: 'MT5', symbol: 'GBPUSD', timeframe: 'M1', format: 'auto', timeZone: 'UTC', publish: false });
});

afterAll(async () => {
  await app?.close();
  await kit?.close();
});

describe('live ticks to closed bars', () => {
  it('stores and publishes each closed minute from md.tick (bid OHLC, tick count), never the forming one', async () => {
    await tick('EURUSD', '10:01:05', '1.13001');
    await tick('EURUSD', '10:01:30', '1.13010');
    await tick('EURUSD', '10:01:45', '1.12995');
    await tick('EURUSD', '10:01:59', '1.13003');
    await tick('EURUSD', '10:02:10', '1.13020');
    await tick('EURUSD', '10:03:00', '1.13030');
    await waitFor(async () => (await storedM1('EURUSD')).length === 2, { timeoutMs: 15_000, description: 'two closed EURUSD minutes stored' });
    expect(await storedM1('EURUSD')).toEqual([
      { t: '10:01', o: 1.13001, h: 1.1301, l: 1.12995, c: 1.13003, v: 4 },
      { t: '10:02', o: 1.1302, h: 1.1302, l: 1.1302, c: 1.1302, v: 1 },
    ]);
    const info = await kit.nats.jsm.streams.info(kit.stream('MD_BARS'), { subjects_filter: '>' });
    expect(info.state.subjects).toEqual({ [subjectIn('md.bar.MT5.EURUSD.M1', kit.provision)]: 2 });
  });

  it('drops the first minute of a symbol when it began before the service listened (its early ticks were missed)', async () => {
    await tick('USDJPY', '10:00:40', '103.770');
    await tick('USDJPY', '10:01:10', '103.775');
    await tick('USDJPY', '10:02:00', '103.780');
    await waitFor(async () => (await storedM1('USDJPY')).length === 1, { timeoutMs: 15_000, description: 'the USDJPY 10:01 minute stored' });
    expect((await storedM1('USDJPY')).map((bar) => bar.t)).toEqual(['10:01']);
  });

  it('answers the last quote and latest closed bar from Redis', async () => {
    const latest = await ask<{ entries: Array<{ symbol: string; quote: Tick | null; bars: Record<string, { openTime: string; close: string }> }> }>(
      Subjects.query('market-data', 'latest'), { venue: 'MT5', symbols: ['EURUSD'] });
    expect(latest.entries).toEqual([expect.objectContaining({
      symbol: 'EURUSD', quote: expect.objectContaining({ bid: '1.13030', time: '2021-01-25T10:03:00Z' }),
      bars: { M1: expect.objectContaining({ openTime: '2021-01-25T10:02:00.000Z', close: '1.13020' }) },
    })]);
  });
});

describe('queries for the gateway', () => {
  it('lists the instruments the service loaded into its empty table at start-up, with versions, under the platform venue', async () => {
    const { instruments } = await ask<{ instruments: Array<{ spec: { venue: string; symbol: string; digits: number }; specVersion: number }> }>(Subjects.query('market-data', 'instruments'), {});
    expect(instruments.map((entry) => `${entry.spec.venue}/${entry.spec.symbol}/${entry.spec.digits}/v${entry.specVersion}`)).toEqual([
      'MT5/EURUSD/5/v1', 'MT5/GBPUSD/5/v1', 'MT5/USDJPY/3/v1', 'MT5/XAUUSD/2/v1', 'binance/BTCUSDT/2/v1',
    ]);
    // Loading the same catalogue again changes nothing and bumps no version.
    expect((await md.instruments.load()).instruments.every((entry) => entry.result === 'unchanged')).toBe(true);
  });

  it('pages through stored bars', async () => {
    const body = { symbol: 'GBPUSD', from: '2021-01-25T02:48:00.000Z', limit: 2 };
    const first = await ask<{ bars: Array<{ openTime: string; open: string }>; next: string | null }>(Subjects.query('market-data', 'bars'), body);
    expect(first.bars.map((bar) => [bar.openTime, bar.open])).toEqual([['2021-01-25T02:48:00.000Z', '1.36977'], ['2021-01-25T02:49:00.000Z', '1.36966']]);
    const second = await ask<{ bars: Array<{ openTime: string }>; next: string | null }>(Subjects.query('market-data', 'bars'), { ...body, after: first.next });
    expect(second.bars[0]!.openTime).toBe('2021-01-25T02:50:00.000Z');
  });

  it('answers coverage per series', async () => {
    const { series } = await ask<{ series: Array<{ symbol: string; timeframe: string; first: string; last: string; bars: number }> }>(Subjects.query('market-data', 'coverage'), { symbols: ['GBPUSD'] });
    expect(series).toEqual([{ venue: 'MT5', symbol: 'GBPUSD', timeframe: 'M1', first: '2021-01-25T02:48:00.000Z', last: '2021-03-12T21:59:00.000Z', bars: 50_000 }]);
  });

  it('finds gaps inside the sessions only: none spans a weekend', async () => {
    const result = await ask<{ gaps: Array<{ from: string; to: string; missingBars: number }>; missingBars: number }>(Subjects.query('market-data', 'gaps'), { symbol: 'GBPUSD', minBars: 1 });
    expect(result.gaps.length).toBeGreaterThan(0);
    for (const gap of result.gaps) {
      expect(gap.missingBars).toBeGreaterThanOrEqual(1);
      // 60 000 ms per M1 bar: a gap is exactly its missing bars long, so it cannot hide a closed market.
      expect(Date.parse(gap.to) - Date.parse(gap.from)).toBe(gap.missingBars * 60_000);
    }
  });

  it('refuses a malformed query with a schema error, not a crash', async () => {
    const reply = await requestQuery<unknown>(kit.nats.nc, subjectIn(Subjects.query('market-data', 'bars'), kit.provision), { symbol: 'GBPUSD', from: 'yesterday' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'MSG.SCHEMA_VIOLATION' } });
  });
});

describe('replay started over NATS', () => {
  it('runs in the service and reports progress until every bar of the range is published', async () => {
    const started = await ask<{ replayId: string; state: string }>(Subjects.command('market-data', 'replay'), {
      symbols: ['GBPUSD'], from: '2021-01-26T00:00:00.000Z', to: '2021-01-27T00:00:00.000Z', tag: 'svc',
    });
    expect(started.state).toBe('running');
    const done = await waitFor(async () => {
      const { replays } = await ask<{ replays: Array<{ state: string; published: number; total: number }> }>(Subjects.query('market-data', 'replay-status'), { replayId: started.replayId });
      return replays[0]!.state === 'completed' ? replays[0] : undefined;
    }, { timeoutMs: 30_000, description: 'replay completed' });
    const { rows } = await kit.pool.query(`SELECT count(*)::int AS n FROM bars WHERE symbol = 'GBPUSD' AND open_time >= '2021-01-26' AND open_time < '2021-01-27'`);
    expect(done).toMatchObject({ published: rows[0].n, total: rows[0].n });
  });
});

describe('backfill requests to the execution gateway', () => {
  const series = { venue: 'MT5', symbol: 'GBPUSD', timeframe: 'M1' as const };
  const gap = { from: Date.UTC(2021, 0, 1, 10), to: Date.UTC(2021, 0, 1, 10, 2), missingBars: 2 };

  it('says plainly that nobody serves history when the gateway is not there', async () => {
    const [outcome] = await md.requestBackfill.execute(series, [gap]);
    expect(outcome).toEqual({ kind: 'no-responders', gap, subject: subjectIn('exec.qry.history', kit.provision) });
  });

  it('stores and publishes the bars the gateway returns', async () => {
    const bar = (minute: number) => ({
      venue: 'MT5', symbol: 'GBPUSD', timeframe: 'M1', openTime: `2021-01-01T10:0${minute}:00.000Z`, closeTime: `2021-01-01T10:0${minute + 1}:00.000Z`,
      open: '1.36', high: '1.37', low: '1.35', close: '1.36', tickVolume: 3,
    });
    const responder = serveQuery(kit.nats.nc, { subject: subjectIn('exec.qry.history', kit.provision), handle: () => ({ bars: [bar(0), bar(1)], truncated: false }) }, pino({ level: 'silent' }));
    // The subscription must reach the server before the request goes out on another connection.
    await kit.nats.nc.flush();
    try {
      const [outcome] = await md.requestBackfill.execute(series, [gap]);
      expect(outcome).toMatchObject({ kind: 'filled', received: 2, inserted: 2, truncated: false });
      expect((await kit.pool.query(`SELECT count(*)::int AS n FROM bars WHERE symbol = 'GBPUSD' AND open_time < '2021-01-02'`)).rows[0].n).toBe(2);
    } finally {
      responder.unsubscribe();
    }
  });
});


import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DeliverPolicy } from '@nats-io/jetstream';
import { openMarketDataTestKit, SHARED_MARKET_DATA, type MarketDataTestKit } from '../../market-data-test-kit.fixture.js';
import { pacer } from './replay-bars.use-case.js';

let kit: MarketDataTestKit;
const decoder = new TextDecoder();

beforeAll(async () => {
  kit = await openMarketDataTestKit();
  for (const [file, symbol] of [['GBPUSD_M1.csv', 'GBPUSD'], ['USDJPY_M1.csv', 'USDJPY']] as const) {
    await kit.md.importBars.execute({ file: path.join(SHARED_MARKET_DATA, file), venue: 'MT5', symbol, timeframe: 'M1', format: 'auto', timeZone: 'UTC', publish: false });
  }
});

afterAll(async () => {
  await kit?.close();
});

/** Reads every message of the namespaced MD_BARS stream with an ordered consumer. */
async function readStream(expected: number): Promise<Array<{ subject: string; id: string; openTime: string; symbol: string }>> {
  const consumer = await kit.nats.js.consumers.get(kit.stream('MD_BARS'), { deliver_policy: DeliverPolicy.All });
  const out: Array<{ subject: string; id: string; openTime: string; symbol: string }> = [];
  const messages = await consumer.fetch({ max_messages: expected, expires: 10_000 });
  for await (const message of messages) {
    const envelope = JSON.parse(decoder.decode(message.data)) as { id: string; data: { openTime: string; symbol: string } };
    out.push({ subject: message.subject, id: envelope.id, openTime: envelope.data.openTime, symbol: envelope.data.symbol });
    if (out.length === expected) break;
  }
  return out;
}

describe('replaying stored bars onto NATS', () => {
  it('puts exactly one message per stored bar of a symbol on the stream, and none more when replayed again', async () => {
    const range = { from: Date.UTC(2021, 0, 1), to: Date.UTC(2021, 3, 1) };
    const progress: number[] = [];
    const result = await kit.md.replayBars.execute({ venue: 'MT5', symbols: ['GBPUSD'], timeframe: 'M1', ...range, speed: { kind: 'max' }, onProgress: (p) => progress.push(p.published) });
    expect(result).toMatchObject({ total: 50_000, published: 50_000, duplicates: 0, cancelled: false });
    expect(progress.at(-1)).toBe(50_000);
    const info = await kit.nats.jsm.streams.info(kit.stream('MD_BARS'), { subjects_filter: '>' });
    expect(info.state.messages).toBe(50_000);
    expect(info.state.subjects).toEqual({ [`${kit.provision.namespace!.subject}md.bar.MT5.GBPUSD.M1`]: 50_000 });

    const again = await kit.md.replayBars.execute({ venue: 'MT5', symbols: ['GBPUSD'], timeframe: 'M1', ...range, speed: { kind: 'max' } });
    expect(again).toMatchObject({ published: 0, duplicates: 50_000 });
    expect((await kit.nats.jsm.streams.info(kit.stream('MD_BARS'))).state.messages).toBe(50_000);
    await kit.nats.jsm.streams.purge(kit.stream('MD_BARS'));
  });

  it('merges symbols into one sequence in time order', async () => {
    const range = { from: Date.UTC(2021, 0, 25), to: Date.UTC(2021, 0, 26) };
    const stored = (await kit.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM bars WHERE open_time >= $1 AND open_time < $2`, [new Date(range.from), new Date(range.to)])).rows[0]!.n;
    const result = await kit.md.replayBars.execute({ venue: 'MT5', symbols: ['GBPUSD', 'USDJPY'], timeframe: 'M1', ...range, speed: { kind: 'max' }, tag: 'merge-test' });
    expect(result).toMatchObject({ total: stored, published: stored });
    const messages = await readStream(stored);
    expect(messages).toHaveLength(stored);
    const times = messages.map((message) => message.openTime);
    expect(times).toEqual([...times].sort());
    expect(new Set(messages.map((message) => message.symbol))).toEqual(new Set(['GBPUSD', 'USDJPY']));
    expect(messages[0]!.id).toMatch(/^bar:MT5:(GBPUSD|USDJPY):M1:\d+:merge-test$/);
    await kit.nats.jsm.streams.purge(kit.stream('MD_BARS'));
  });

  it('paces a replay at a speed factor: ten minutes of history at 600× take about a second', async () => {
    const range = { from: Date.UTC(2021, 0, 25, 10, 0), to: Date.UTC(2021, 0, 25, 10, 11) };
    const started = performance.now();
    const result = await kit.md.replayBars.execute({ venue: 'MT5', symbols: ['GBPUSD'], timeframe: 'M1', ...range, speed: { kind: 'factor', factor: 600 }, tag: 'paced' });
    const seconds = (performance.now() - started) / 1000;
    expect(result.published).toBe(11);
    expect(seconds).toBeGreaterThanOrEqual(0.95);
    expect(seconds).toBeLessThan(5);
  });

  it('caches the newest replayed bar of each series in Redis', async () => {
    const latest = await kit.md.cache!.latest('MT5', ['GBPUSD'], ['M1']);
    expect(latest[0]!.bars.M1).toMatchObject({ symbol: 'GBPUSD', openTime: '2021-03-12T21:59:00.000Z' });
  });
});

describe('replay pacing', () => {
  it('sends the first bar at once and each later one when its history offset, divided by the factor, has passed', async () => {
    let now = 1_000;
    const pace = pacer(6_000, () => now);
    const bar = (minute: number) => ({ venue: 'MT5', symbol: 'X', timeframe: 'M1' as const, openTime: minute * 60_000, open: '1', high: '1', low: '1', close: '1', tickVolume: 0 });
    expect(pace(bar(0))).toBeUndefined();
    // One minute of history at 6000× is 10 ms of wall time.
    const wait = pace(bar(1));
    expect(wait).toBeInstanceOf(Promise);
    await wait;
    now += 10;
    expect(pace(bar(1))).toBeUndefined();
  });
});

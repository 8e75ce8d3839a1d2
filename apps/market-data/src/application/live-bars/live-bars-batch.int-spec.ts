import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Tick } from '@mt5/contracts';
import { subjectIn } from '@mt5/infra/nats';
import { pino } from 'pino';
import { openMarketDataTestKit, type MarketDataTestKit } from '../../market-data-test-kit.fixture.js';
import { LiveBarsUseCase, type SequencedTick } from './live-bars.use-case.js';

// Batches of ticks through the live-bars use case on real Postgres, NATS and Redis (own schema,
// streams and key prefix). The clock stands at 10:00:30 on 2021-01-25, so the 10:01 minute is the
// first one a new instance sees whole. Each test uses its own symbols.
const NOW = Date.UTC(2021, 0, 25, 10, 0, 30);
let kit: MarketDataTestKit;
let sequence = 0;

beforeAll(async () => {
  kit = await openMarketDataTestKit();
});

afterAll(async () => {
  await kit?.close();
});

const live = () => new LiveBarsUseCase(kit.md.bars, kit.md.publisher, kit.md.cache, undefined, { now: () => new Date(NOW) }, 2_000, pino({ level: 'silent' }));

const tick = (symbol: string, time: string, bid: string): SequencedTick => ({
  tick: { venue: 'MT5', symbol, time: `2021-01-25T${time}Z`, bid, ask: (Number(bid) + 0.0001).toFixed(5) } satisfies Tick,
  sequence: ++sequence,
});

const storedM1 = async (symbol: string) => (await kit.pool.query(
  `SELECT to_char(open_time AT TIME ZONE 'UTC', 'HH24:MI') AS t, open::float8 AS o, high::float8 AS h, low::float8 AS l, close::float8 AS c, tick_volume::int AS v
   FROM bars WHERE symbol = $1 AND timeframe = 'M1' ORDER BY open_time`, [symbol])).rows;

/** Open times (HH:MM) of the M1 bars published for a symbol, in stream order (read one by one: the 2.9 server has no multi-filter consumers). */
async function publishedM1(symbol: string): Promise<string[]> {
  const subject = subjectIn(`md.bar.MT5.${symbol}.M1`, kit.provision);
  const { state } = await kit.nats.jsm.streams.info(kit.stream('MD_BARS'));
  const out: string[] = [];
  for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq++) {
    const msg = await kit.nats.jsm.streams.getMessage(kit.stream('MD_BARS'), { seq });
    if (msg?.subject === subject) out.push((msg.json() as { data: { openTime: string } }).data.openTime.slice(11, 16));
  }
  return out;
}

describe('live bars from batches of ticks', () => {
  it('stores every minute a batch closes for several symbols with one insert, publishes each symbol in time order and caches the newest quote', async () => {
    const insert = jest.spyOn(kit.md.bars, 'insertNew');
    const outcome = await live().onTicks([
      tick('EURUSD', '10:01:05', '1.13001'), tick('GBPUSD', '10:01:10', '1.36001'), tick('EURUSD', '10:01:40', '1.13010'),
      tick('EURUSD', '10:02:05', '1.13020'), tick('GBPUSD', '10:02:10', '1.36010'), tick('EURUSD', '10:03:01', '1.13030'),
      tick('GBPUSD', '10:03:02', '1.36020'),
    ]);
    expect(insert).toHaveBeenCalledTimes(1);
    insert.mockRestore();
    expect(outcome).toMatchObject({ accepted: 7, redelivered: 0, stored: 4 });
    expect(await storedM1('EURUSD')).toEqual([
      { t: '10:01', o: 1.13001, h: 1.1301, l: 1.13001, c: 1.1301, v: 2 },
      { t: '10:02', o: 1.1302, h: 1.1302, l: 1.1302, c: 1.1302, v: 1 },
    ]);
    expect((await storedM1('GBPUSD')).map((bar) => bar.t)).toEqual(['10:01', '10:02']);
    expect({ EURUSD: await publishedM1('EURUSD'), GBPUSD: await publishedM1('GBPUSD') }).toEqual({ EURUSD: ['10:01', '10:02'], GBPUSD: ['10:01', '10:02'] });
    const [latest] = await kit.md.cache!.latest('MT5', ['EURUSD'], ['M1']);
    expect(latest!.quote).toMatchObject({ bid: '1.13030', time: '2021-01-25T10:03:01Z' });
  });

  it('does not count a tick redelivered in the middle of a batch (same stream sequence) a second time, nor a whole batch delivered again', async () => {
    const useCase = live();
    const first = tick('USDJPY', '10:01:05', '103.770');
    const second = tick('USDJPY', '10:01:20', '103.790');
    const third = tick('USDJPY', '10:01:50', '103.760');
    const next = tick('USDJPY', '10:02:00', '103.780');
    const outcome = await useCase.onTicks([first, second, third, second, next]);
    expect(outcome).toMatchObject({ accepted: 4, redelivered: 1, stored: 1 });
    const again = await useCase.onTicks([first, second, third, next]);
    expect(again).toMatchObject({ accepted: 0, redelivered: 4, stored: 0 });
    expect(await storedM1('USDJPY')).toEqual([{ t: '10:01', o: 103.77, h: 103.79, l: 103.76, c: 103.76, v: 3 }]);
    expect(await publishedM1('USDJPY')).toEqual(['10:01']);
  });

  it('acknowledges a late tick (for a minute already closed) as ignored, not an error', async () => {
    const outcome = await live().onTicks([tick('XAUUSD', '10:01:05', '1850.10'), tick('XAUUSD', '10:02:05', '1850.20'), tick('XAUUSD', '10:01:59', '1850.30')]);
    expect(outcome).toMatchObject({ accepted: 2, redelivered: 0, stored: 1 });
    expect([...outcome.ignored]).toEqual([['late', 1]]);
  });

  it('keeps the bars a failed store could not write and writes them, once and whole, when the batch comes back redelivered', async () => {
    const useCase = live();
    const batch = [tick('AUDUSD', '10:01:05', '0.77001'), tick('AUDUSD', '10:01:30', '0.77011'), tick('AUDUSD', '10:02:01', '0.77021')];
    const insert = jest.spyOn(kit.md.bars, 'insertNew').mockRejectedValueOnce(Object.assign(new Error('connection terminated'), { retryable: true }));
    await expect(useCase.onTicks(batch)).rejects.toThrow('connection terminated');
    insert.mockRestore();
    expect(await storedM1('AUDUSD')).toEqual([]);
    const retried = await useCase.onTicks(batch);
    expect(retried).toMatchObject({ accepted: 0, redelivered: 3, stored: 1 });
    expect(await storedM1('AUDUSD')).toEqual([{ t: '10:01', o: 0.77001, h: 0.77011, l: 0.77001, c: 0.77011, v: 2 }]);
    expect(await publishedM1('AUDUSD')).toEqual(['10:01']);
  });

  it('publishes on the next batch the bars a failed publish left stored but unsent', async () => {
    const useCase = live();
    const publish = jest.spyOn(kit.md.publisher, 'publish').mockRejectedValueOnce(new Error('no ack within 10000 ms'));
    await expect(useCase.onTicks([tick('NZDUSD', '10:01:05', '0.72001'), tick('NZDUSD', '10:02:01', '0.72011')])).rejects.toThrow('no ack');
    publish.mockRestore();
    expect((await storedM1('NZDUSD')).map((bar) => bar.t)).toEqual(['10:01']);
    expect(await publishedM1('NZDUSD')).toEqual([]);
    await useCase.onTicks([tick('NZDUSD', '10:02:30', '0.72021')]);
    expect(await publishedM1('NZDUSD')).toEqual(['10:01']);
  });
});

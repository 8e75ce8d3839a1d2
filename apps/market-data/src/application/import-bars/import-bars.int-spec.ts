import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openMarketDataTestKit, SHARED_MARKET_DATA, type MarketDataTestKit } from '../../market-data-test-kit.fixture.js';
import type { ImportFileRequest } from './import-bars.use-case.js';

let kit: MarketDataTestKit;
let scratch: string;

beforeAll(async () => {
  kit = await openMarketDataTestKit();
  scratch = await mkdtemp(path.join(os.tmpdir(), 'md-import-'));
});

afterAll(async () => {
  await kit?.close();
  await rm(scratch, { recursive: true, force: true });
});

const request = (file: string, symbol: string, extra: Partial<ImportFileRequest> = {}): ImportFileRequest => ({
  file, venue: 'MT5', symbol, timeframe: 'M1', format: 'auto', timeZone: 'UTC', publish: false, ...extra,
});

const stored = async (venue: string, symbol: string) =>
  (await kit.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM bars WHERE venue = $1 AND symbol = $2', [venue, symbol])).rows[0]!.n;

describe('importing the shared broker files into Postgres', () => {
  // Counts from ../shared/data/README.md; formats as the files were found.
  it.each([
    ['EURUSD_M1.mt5-export.csv', 'EURUSD', 'MT5', 'mt5-export', 49_993],
    ['GBPUSD_M1.csv', 'GBPUSD', 'MT5', 'plain-csv', 50_000],
    ['USDJPY_M1.csv', 'USDJPY', 'MT5', 'plain-csv', 50_000],
    ['XAUUSD_M1.rates.csv', 'XAUUSD', 'MT5', 'mt5-rates', 4_676],
    ['BTCUSDT_1m.binance.csv', 'BTCUSDT', 'binance', 'binance-klines', 1_441],
  ])('stores every bar of %s (%s) with zero rejects', async (file, symbol, venue, format, bars) => {
    const result = await kit.md.importBars.execute(request(path.join(SHARED_MARKET_DATA, file), symbol, { venue }));
    expect(result).toMatchObject({ format, accepted: bars, rejected: 0, duplicates: 0, inserted: bars, alreadyPresent: 0, mode: 'append' });
    expect(result.rejects).toEqual([]);
    expect(await stored(venue, symbol)).toBe(bars);
  });

  it('stores prices exactly as the file wrote them', async () => {
    // First and last lines of GBPUSD_M1.csv: 2021-01-25 02:48,1.36977,1.36984,1.3696,1.36964,47 … 2021-03-12 21:59,…
    const { rows } = await kit.pool.query(
      `SELECT open::text, high::text, low::text, close::text, tick_volume::int FROM bars WHERE symbol = 'GBPUSD' AND open_time = '2021-01-25T02:48:00Z'`);
    expect(rows).toEqual([{ open: '1.3697700000', high: '1.3698400000', low: '1.3696000000', close: '1.3696400000', tick_volume: 47 }]);
    const btc = await kit.pool.query(`SELECT real_volume::text FROM bars WHERE venue = 'binance' AND open_time = '2020-12-01T00:00:00Z'`);
    expect(btc.rows[0].real_volume).toMatch(/^\d+\.\d+$/);
  });

  it('adds nothing when a file is imported again, and says each bar was already stored', async () => {
    const again = await kit.md.importBars.execute(request(path.join(SHARED_MARKET_DATA, 'GBPUSD_M1.csv'), 'GBPUSD'));
    expect(again).toMatchObject({ accepted: 50_000, inserted: 0, alreadyPresent: 50_000, mode: 'merge' });
    expect(await stored('MT5', 'GBPUSD')).toBe(50_000);
    const runs = await kit.pool.query(`SELECT status, rows_read, rows_inserted, rows_duplicate, file_sha256 FROM import_runs WHERE symbol = 'GBPUSD' ORDER BY started_at`);
    expect(runs.rows.map((run) => [run.status, run.rows_read, run.rows_inserted, run.rows_duplicate])).toEqual([['SUCCEEDED', 50_000, 50_000, 0], ['SUCCEEDED', 50_000, 0, 50_000]]);
    expect(runs.rows[0].file_sha256).toBe(runs.rows[1].file_sha256);
  });
});

describe('importing a file with planted bad lines', () => {
  // Real GBPUSD lines with faults planted; the comment names each one (line numbers are the file's).
  const lines = [
    '2021-01-25 02:48,1.36977,1.36984,1.3696,1.36964,47', //   1 ok
    '2021-01-25 02:49,NaN,1.36971,1.36955,1.3697,13', //        2 NaN open
    '2021-01-25 02:50,1.36971,1.36960,1.36968,1.36975,13', //   3 high below low
    '2021-01-25 02:52,1.36971,1.36976,1.36968,1.36975,13', //   4 ok
    '2021-01-25 02:51,1.36971,1.36976,1.36968,1.36975,13', //   5 out of order
    '2021-01-25 02:52,1.36971,1.36976,1.36968,1.36975,13', //   6 duplicate of line 4
    '2021-01-25 02:53,1.3697,1.3698,1.3696,1.3697,5', //        7 ok
  ];
  let file: string;

  beforeAll(async () => {
    file = path.join(scratch, 'GBPUSD_M1.planted.csv');
    await writeFile(file, `${lines.join('\r\n')}\r\n`);
  });

  it('reports each bad line by number and reason, stores the rest, and writes every reject to the rejects file', async () => {
    const rejectsOut = path.join(scratch, 'rejects.tsv');
    const result = await kit.md.importBars.execute(request(file, 'GBPUSD-PLANTED', { rejectsOut }));
    expect(result).toMatchObject({ accepted: 3, rejected: 3, duplicates: 1, inserted: 3 });
    expect(result.rejects.map(({ line, code }) => [line, code])).toEqual([
      [2, 'MD.NON_FINITE_PRICE'], [3, 'MD.HIGH_BELOW_LOW'], [5, 'MD.OUT_OF_ORDER'], [6, 'MD.DUPLICATE'],
    ]);
    const { rows } = await kit.pool.query(`SELECT to_char(open_time AT TIME ZONE 'UTC', 'HH24:MI') AS t FROM bars WHERE symbol = 'GBPUSD-PLANTED' ORDER BY open_time`);
    expect(rows.map((row) => row.t)).toEqual(['02:48', '02:52', '02:53']);
    expect((await readFile(rejectsOut, 'utf8')).split('\n')).toEqual([
      'line\tcode\tmessage',
      '2\tMD.NON_FINITE_PRICE\topen "NaN" is not a finite number',
      '3\tMD.HIGH_BELOW_LOW\thigh 1.36960 is below low 1.36968',
      '5\tMD.OUT_OF_ORDER\topen time 2021-01-25T02:51:00.000Z is before the previous bar 2021-01-25T02:52:00.000Z',
      '6\tMD.DUPLICATE\topen time 2021-01-25T02:52:00.000Z repeats an accepted bar with the same values',
      '',
    ]);
  });

  it('publishes only the bars an import inserted, once', async () => {
    const extra = path.join(scratch, 'GBPUSD_M1.more.csv');
    await writeFile(extra, [...lines, '2021-01-25 02:54,1.3697,1.3698,1.3696,1.3697,5'].join('\n'));
    const result = await kit.md.importBars.execute(request(extra, 'GBPUSD-PLANTED', { publish: true }));
    expect(result).toMatchObject({ accepted: 4, inserted: 1, published: { stored: 1, duplicates: 0 } });
    const info = await kit.nats.jsm.streams.info(kit.stream('MD_BARS'));
    expect(info.state.messages).toBe(1);
  });
});

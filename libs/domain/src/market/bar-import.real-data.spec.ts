import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { importBarText } from './bar-import.js';
import type { BarImportOptions } from './bar-import.types.js';

// The shared broker files, read as they are (tests may do I/O; the library never does).
const MARKET = path.resolve(process.cwd(), '../shared/data/market');
const read = (file: string) => readFileSync(path.join(MARKET, file), 'utf8');

// Expected counts and spans from ../shared/data/README.md.
const cases: Array<[file: string, options: BarImportOptions, format: string, bars: number, first: string, last: string]> = [
  ['EURUSD_M1.mt5-export.csv', { venue: 'mt5-demo', symbol: 'EURUSD' }, 'mt5-export', 49_993, '2022-01-04T18:00:00.000Z', '2022-02-22T15:25:00.000Z'],
  ['GBPUSD_M1.csv', { venue: 'mt5-demo', symbol: 'GBPUSD' }, 'plain-csv', 50_000, '2021-01-25T02:48:00.000Z', '2021-03-12T21:59:00.000Z'],
  ['USDJPY_M1.csv', { venue: 'mt5-demo', symbol: 'USDJPY' }, 'plain-csv', 50_000, '2021-01-24T22:10:00.000Z', '2021-03-12T21:59:00.000Z'],
  ['XAUUSD_M1.rates.csv', { venue: 'mt5-demo', symbol: 'XAUUSD' }, 'mt5-rates', 4_676, '2026-06-28T22:00:00.000Z', '2026-07-02T09:55:00.000Z'],
  ['BTCUSDT_1m.binance.csv', { venue: 'binance', symbol: 'BTCUSDT' }, 'binance-klines', 1_441, '2020-12-01T00:00:00.000Z', '2020-12-02T00:00:00.000Z'],
];

describe('importing the shared broker files as they are', () => {
  it.each(cases)('imports %s with the README bar count and zero rejects', (file, options, format, bars, first, last) => {
    const { bars: imported, summary } = importBarText(read(file), options);
    expect(summary.rejects).toEqual([]);
    expect(summary).toMatchObject({ format, accepted: bars, rejected: 0, duplicates: 0 });
    expect(imported).toHaveLength(bars);
    expect(new Date(summary.firstTime!).toISOString()).toBe(first);
    expect(new Date(summary.lastTime!).toISOString()).toBe(last);
  });
});

import { describe, expect, it } from '@jest/globals';
import { importBarText } from './bar-import.js';
import type { BarFormat, BarImportOptions } from './bar-import.types.js';

const options: BarImportOptions = { venue: 'mt5-demo', symbol: 'EURUSD' };
const iso = (epochMs: number | undefined) => (epochMs === undefined ? undefined : new Date(epochMs).toISOString());

// Small samples in each format, written after the tools' documented output.
const samples: Array<[name: string, format: BarFormat, text: string, firstBar: Record<string, unknown>]> = [
  ['MT5 "Export bars" (quoted, tab-separated, CRLF)', 'mt5-export',
    '"Time\tOpen\tHigh\tLow\tClose\tVolume"\r\n"2022-01-04 18:00:00\t1.12834\t1.1284\t1.12834\t1.12838\t24"\r\n"2022-01-04 18:01:00\t1.1284\t1.1284\t1.12837\t1.12837\t6"\r\n',
    { openTime: '2022-01-04T18:00:00.000Z', highText: '1.1284', tickVolume: 24 }],
  ['MT5 history export with <DATE> <TIME> tags', 'mt5-export',
    '<DATE>\t<TIME>\t<OPEN>\t<HIGH>\t<LOW>\t<CLOSE>\t<TICKVOL>\t<VOL>\t<SPREAD>\n2022.01.04\t18:00:00\t1.12834\t1.12840\t1.12834\t1.12838\t24\t0\t3\n',
    { openTime: '2022-01-04T18:00:00.000Z', tickVolume: 24, realVolume: 0, spreadPoints: 3 }],
  ['MT4 / HistData with commas', 'mt4-csv',
    '2019.07.30,00:00,1.11480,1.11490,1.11470,1.11485,120\n2019.07.30,00:01,1.11485,1.11500,1.11480,1.11495,98\n',
    { openTime: '2019-07-30T00:00:00.000Z', closeText: '1.11485', tickVolume: 120 }],
  ['MT4 with semicolons and seconds', 'mt4-csv',
    '2019.07.30;00:00:00;1.11480;1.11490;1.11470;1.11485;120\n2019.07.30;00:01:00;1.11485;1.11500;1.11480;1.11495;98\n',
    { openTime: '2019-07-30T00:00:00.000Z', tickVolume: 120 }],
  ['HistData ASCII', 'histdata-ascii',
    '20190730 000000;1.114800;1.114900;1.114700;1.114850;0\n20190730 000100;1.114850;1.115000;1.114800;1.114950;0\n',
    { openTime: '2019-07-30T00:00:00.000Z', openText: '1.114800', tickVolume: 0 }],
  ['plain CSV with seconds and no final newline', 'plain-csv',
    '2021-01-25 02:48:00,1.36977,1.36984,1.3696,1.36964,47\r\n2021-01-25 02:49:00,1.36966,1.36971,1.36955,1.3697,13',
    { openTime: '2021-01-25T02:48:00.000Z', tickVolume: 47 }],
  ['MT5 Python rates with epoch seconds and real volume', 'mt5-rates',
    'time,open,high,low,close,tick_volume,spread,real_volume\n1561939200,1.13700,1.13750,1.13680,1.13720,310,2,0\n',
    { openTime: '2019-07-01T00:00:00.000Z', spreadPoints: 2, realVolume: 0 }],
  ['MT5 Python rates saved with the pandas index and an ISO offset', 'mt5-rates',
    ',time,open,high,low,close,tick_volume\n0,2019-07-01 02:00:00+02:00,1.137,1.1375,1.1368,1.1372,310\n',
    { openTime: '2019-07-01T00:00:00.000Z', tickVolume: 310 }],
  ['Binance klines with header and date-time open time', 'binance-klines',
    'Timestamp,Open,High,Low,Close,Volume,Close_time,Quote_av,Trades,Tb_base_av,Tb_quote_av,Ignore\n2020-12-01 00:00:00,19695.87000000,19720.00000000,19675.43000000,19715.93000000,136.10443500,1606780859999,2681137.24094932,1828,72.11361800,1420672.14065551,0\n',
    { openTime: '2020-12-01T00:00:00.000Z', tickVolume: 1828, realVolume: 136.104435, realVolumeText: '136.10443500' }],
  ['Binance klines without header, millisecond open time', 'binance-klines',
    '1606780800000,19695.87000000,19720.00000000,19675.43000000,19715.93000000,136.10443500,1606780859999,2681137.24094932,1828,72.11361800,1420672.14065551,0\n',
    { openTime: '2020-12-01T00:00:00.000Z', tickVolume: 1828 }],
  ['Binance klines without header, microsecond open time (spot files since 2025)', 'binance-klines',
    '1735689600000000,93576.00,93610.93,93537.50,93610.93,8.21827,1735689659999999,768978.66,1673,5.28,494211.33,0\n',
    { openTime: '2025-01-01T00:00:00.000Z' }],
];

describe('detecting the file format from its first line', () => {
  it.each(samples)('recognises %s', (_name, format, text, firstBar) => {
    const { bars, summary } = importBarText(text, options);
    expect(summary.rejects).toEqual([]);
    expect(summary.format).toBe(format);
    const { openTime, ...rest } = firstBar;
    expect(iso(bars[0]?.openTime)).toBe(openTime);
    expect(bars[0]).toMatchObject(rest);
  });

  it('reads a file that starts with a byte order mark', () => {
    const { summary } = importBarText('\uFEFF"Time\tOpen\tHigh\tLow\tClose\tVolume"\r\n"2022-01-04 18:00:00\t1.1\t1.2\t1.0\t1.1\t3"\r\n', options);
    expect(summary).toMatchObject({ format: 'mt5-export', accepted: 1, headerLine: 1, rejected: 0 });
  });

  it('takes an explicit format over detection', () => {
    // Six comma fields with a millisecond time are detected as a short Binance row (volume = base
    // asset); the user says these are MT5 rates, where the sixth column is the tick volume.
    const text = '1561939200000,1.1370,1.1375,1.1368,1.1372,310\n';
    expect(importBarText(text, options).bars[0]).toMatchObject({ tickVolume: 0, realVolume: 310 });
    const explicit = importBarText(text, { ...options, format: 'mt5-rates' });
    expect(explicit.summary).toMatchObject({ format: 'mt5-rates', accepted: 1 });
    expect(explicit.bars[0]).toMatchObject({ tickVolume: 310, realVolume: undefined });
  });

  it('reports lines of an unknown shape instead of guessing', () => {
    const { summary } = importBarText('01/07/2019 00:00|1.1|1.2|1.0|1.1\n', options);
    expect(summary.format).toBeUndefined();
    expect(summary.rejects).toEqual([{ line: 1, code: 'MD.MALFORMED_LINE', message: 'no known bar format starts with "01/07/2019 00:00|1.1|1.2|1.0|1.1"' }]);
  });
});

describe('source time zone', () => {
  const text = '2022-01-04 20:00,1.1,1.2,1.0,1.1,1\n2022-07-04 20:00,1.1,1.2,1.0,1.1,1\n';

  it('converts a broker clock on EET with EU daylight saving to UTC (+2 in winter, +3 in summer)', () => {
    const { bars } = importBarText(text, { ...options, timeZone: 'EET' });
    expect(bars.map((bar) => iso(bar.openTime))).toEqual(['2022-01-04T18:00:00.000Z', '2022-07-04T17:00:00.000Z']);
  });

  it('applies a fixed offset all year', () => {
    const { bars } = importBarText(text, { ...options, timeZone: '+02:00' });
    expect(bars.map((bar) => iso(bar.openTime))).toEqual(['2022-01-04T18:00:00.000Z', '2022-07-04T18:00:00.000Z']);
  });

  it('ignores the option for times that carry their own offset or are epoch numbers', () => {
    const rates = 'time,open,high,low,close,tick_volume\n2026-06-28 22:00:00+00:00,1,1,1,1,1\n1782684060,1,1,1,1,1\n';
    const { bars } = importBarText(rates, { ...options, timeZone: 'EET' });
    expect(bars.map((bar) => iso(bar.openTime))).toEqual(['2026-06-28T22:00:00.000Z', '2026-06-28T22:01:00.000Z']);
  });

  it('rejects a broker time that the spring-forward change skipped', () => {
    const { summary } = importBarText('2022-03-27 03:30,1,1,1,1,1\n', { ...options, timeZone: 'EET' });
    expect(summary.rejects).toEqual([{ line: 1, code: 'MD.INVALID_TIME', message: 'time "2022-03-27 03:30" does not exist on the EET clock (skipped by a daylight-saving change)' }]);
  });

  it('reports the hour the fall-back change repeats as duplicates, not as silently shifted bars', () => {
    // 03:00–03:59 EET happens twice on 2022-10-30; a second 03:00 resolves to the first one.
    const lines = ['2022-10-30 03:00,1,1,1,1,1', '2022-10-30 03:59,1,1,1,1,1', '2022-10-30 03:00,1,1,1,1,1'];
    const { summary } = importBarText(lines.join('\n'), { ...options, timeZone: 'EET' });
    expect(summary.rejects.map((reject) => reject.code)).toEqual(['MD.DUPLICATE']);
  });
});

import path from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { DEFAULT_SIM_SYMBOLS } from '../broker/sim-symbols.js';
import { replayTimeline } from '../feeds/replay-timeline.js';
import { defaultDataDir, loadMarketFiles, type LoadedSeries } from './market-files.loader.js';

describe('loading the shared market files for replay', () => {
  let series: LoadedSeries[];
  beforeAll(() => {
    series = loadMarketFiles(defaultDataDir()!, DEFAULT_SIM_SYMBOLS.map((s) => s.symbol));
  });

  it('finds ../shared/data/market from the project root', () => {
    expect(defaultDataDir()).toBe(path.resolve(process.cwd(), '../shared/data/market'));
  });

  it('loads one series per simulator symbol with the README bar counts and no rejects', () => {
    expect(series.map((s) => [s.symbol, s.bars.length, s.rejected])).toEqual([
      ['EURUSD', 49_993, 0], ['GBPUSD', 50_000, 0], ['USDJPY', 50_000, 0], ['XAUUSD', 4_676, 0], ['BTCUSDT', 1_441, 0],
    ]);
    // XAUUSD's MT5 rates file carries the broker's spread per bar: 136 points on the first bar.
    expect(series[3]!.bars[0]).toEqual({ time: Date.parse('2026-06-28T22:00:00Z'), open: 4082.28, high: 4084.24, low: 4059.43, close: 4079.36, tickVolume: 1171, spreadPoints: 136 });
  });

  it('puts the five files on one timeline where every symbol is quoted from the first EURUSD bar on', () => {
    const timeline = replayTimeline(series);
    expect(timeline.bars).toHaveLength(49_993 + 50_000 + 50_000 + 4_676 + 1_441);
    expect(new Date(timeline.allQuotedAt!).toISOString()).toBe('2022-01-04T18:00:00.000Z');
    const backwards = timeline.bars.filter((item, i) => i > 0 && item.bar.time < timeline.bars[i - 1]!.bar.time);
    expect(backwards).toEqual([]);
  });
});

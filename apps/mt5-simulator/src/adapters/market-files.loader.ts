import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { importBarText } from '@mt5/domain/market';
import type { SimBar } from '../broker/sim-broker.js';

/** The default data directory: the shared market files next to the project, when they exist. */
export function defaultDataDir(cwd = process.cwd()): string | undefined {
  const candidate = path.resolve(cwd, '../shared/data/market');
  return existsSync(candidate) ? candidate : undefined;
}

export interface LoadedSeries {
  readonly symbol: string;
  readonly file: string;
  readonly bars: SimBar[];
  readonly rejected: number;
}

/**
 * Reads one M1 file per symbol from `dataDir` (the first file whose name starts with
 * `<SYMBOL>_`, case-insensitive) through the domain importer, which detects the format (MT5
 * export, plain CSV, MT5 rates, Binance klines). Times are taken as UTC, which is the simulator's
 * server time. Symbols without a file are left out.
 */
export function loadMarketFiles(dataDir: string, symbols: readonly string[]): LoadedSeries[] {
  const files = readdirSync(dataDir).filter((name) => /\.(csv|txt)$/i.test(name)).sort();
  const series: LoadedSeries[] = [];
  for (const symbol of symbols) {
    const file = files.find((name) => name.toUpperCase().startsWith(`${symbol.toUpperCase()}_`));
    if (!file) continue;
    const { bars, summary } = importBarText(readFileSync(path.join(dataDir, file), 'utf8'), { venue: 'MT5', symbol });
    series.push({
      symbol, file, rejected: summary.rejected,
      bars: bars.map((bar) => ({
        time: bar.openTime, open: bar.open, high: bar.high, low: bar.low, close: bar.close, tickVolume: bar.tickVolume,
        ...(bar.spreadPoints === undefined ? {} : { spreadPoints: bar.spreadPoints }),
      })),
    });
  }
  return series;
}

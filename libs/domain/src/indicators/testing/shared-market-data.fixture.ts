// Test support only (imported by *.spec.ts): reads the shared real market data files with the
// market library's importer. Kept out of the library's index so production never pulls in node:fs.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Timeframe } from '@mt5/contracts';
import { importBarText, type Bar } from '../../market/index.js';

/** /work/shared/data/market, found relative to the repository root (`../shared/data/market`). */
export const SHARED_MARKET_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../../../shared/data/market',
);

/** Reads one of the shared files; throws if the importer rejected any line (these files are clean). */
export function readSharedBars(fileName: string, symbol: string, timeframe: Timeframe = 'M1'): Bar[] {
  const text = readFileSync(path.join(SHARED_MARKET_DIR, fileName), 'utf8');
  const { bars, summary } = importBarText(text, { venue: 'shared-data', symbol, timeframe });
  if (summary.rejected > 0 || summary.duplicates > 0) throw new Error(`${fileName}: ${summary.rejected} rejected, ${summary.duplicates} duplicate lines`);
  return bars;
}

let eurusd: Bar[] | undefined;
/** EURUSD M1, 49,993 real bars (2022-01-04 → 2022-02-22, broker time read as UTC), read once per test file. */
export function eurusdM1(): Bar[] {
  eurusd ??= readSharedBars('EURUSD_M1.mt5-export.csv', 'EURUSD');
  return eurusd;
}

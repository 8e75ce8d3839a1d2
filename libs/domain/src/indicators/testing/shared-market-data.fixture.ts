// Test support only (imported by *.spec.ts): reads the shared real market data files. Kept out of
// the library's index so nothing in production pulls in node:fs.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Bar } from '../../market/index.js';
import type { Timeframe } from '@mt5/contracts';

/** /work/shared/data/market, found relative to the repository root (`../shared/data/market`). */
export const SHARED_MARKET_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../../../shared/data/market',
);

/** Parses `YYYY-MM-DD HH:MM[:SS]` as UTC epoch ms (the files carry broker server time; we keep it as is). */
function parseTime(text: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text);
  if (!match) throw new Error(`unreadable time ${JSON.stringify(text)}`);
  const [, y, mo, d, h, mi, s] = match;
  return Date.UTC(+y, +mo - 1, +d, +h, +mi, s ? +s : 0);
}

/**
 * Reads one of the shared files in the MT5 "Export bars" format (quoted, tab-separated, header,
 * CRLF) or the plain `YYYY-MM-DD HH:MM,o,h,l,c,v` format. A minimal reader for tests; the
 * importer with validation belongs to market-data.
 */
export function readSharedBars(fileName: string, symbol: string, timeframe: Timeframe = 'M1'): Bar[] {
  const text = readFileSync(path.join(SHARED_MARKET_DIR, fileName), 'utf8');
  const bars: Bar[] = [];
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.replace(/^"|"$/g, '').trim();
    if (line === '' || line.startsWith('Time')) continue;
    const fields = line.includes('\t') ? line.split('\t') : line.split(',');
    if (fields.length < 6) throw new Error(`unreadable line ${JSON.stringify(rawLine)} in ${fileName}`);
    bars.push({
      venue: 'shared-data',
      symbol,
      timeframe,
      openTime: parseTime(fields[0]),
      open: Number(fields[1]),
      high: Number(fields[2]),
      low: Number(fields[3]),
      close: Number(fields[4]),
      tickVolume: Number(fields[5]),
    });
  }
  return bars;
}

let eurusd: Bar[] | undefined;
/** EURUSD M1, 49,993 real bars (2022-01-04 → 2022-02-22), read once per test file. */
export function eurusdM1(): Bar[] {
  eurusd ??= readSharedBars('EURUSD_M1.mt5-export.csv', 'EURUSD');
  return eurusd;
}

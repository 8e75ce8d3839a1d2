// A minimal bar reader for the backtest CLI and the benchmarks. It knows the three layouts of the
// shared data (MT5 "Export bars", plain `YYYY-MM-DD HH:MM,o,h,l,c,v`, and the MetaTrader5 Python
// `copy_rates` CSV) and nothing else; the validating importer with reject codes belongs to
// market-data. Times are read as UTC (broker server time stays as written).
import { readFileSync } from 'node:fs';
import type { Timeframe } from '@mt5/contracts';
import type { Bar } from '@mt5/domain/market';

export interface CsvBarsOptions {
  readonly venue?: string;
  readonly symbol: string;
  readonly timeframe?: Timeframe;
}

const TIME = /^(\d{4})[-.](\d{2})[-.](\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?(?:\+00:00|Z)?$/;

function parseTime(text: string, line: number): number {
  const match = TIME.exec(text);
  if (!match) throw new Error(`line ${line}: unreadable time ${JSON.stringify(text)}`);
  const [, y, mo, d, h, mi, s] = match;
  return Date.UTC(+y, +mo - 1, +d, +h, +mi, s ? +s : 0);
}

/** Reads bars from CSV text; throws on a line it cannot read (this reader does not skip data). */
export function parseCsvBars(text: string, options: CsvBarsOptions): Bar[] {
  const venue = options.venue ?? 'csv';
  const timeframe = options.timeframe ?? 'M1';
  const bars: Bar[] = [];
  let spreadColumn = -1;
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index].replace(/^"|"$/g, '').trim();
    if (line === '') continue;
    const fields = line.includes('\t') ? line.split('\t') : line.split(',');
    if (!/^\d/.test(fields[0])) {
      // A header line: remember where the MT5 rates `spread` column is.
      spreadColumn = fields.findIndex((name) => name.trim().toLowerCase() === 'spread');
      continue;
    }
    if (fields.length < 5) throw new Error(`line ${index + 1}: expected time,open,high,low,close[,volume]`);
    const spread = spreadColumn >= 0 ? Number(fields[spreadColumn]) : Number.NaN;
    const bar: Bar = {
      venue,
      symbol: options.symbol,
      timeframe,
      openTime: parseTime(fields[0], index + 1),
      open: Number(fields[1]),
      high: Number(fields[2]),
      low: Number(fields[3]),
      close: Number(fields[4]),
      tickVolume: fields.length > 5 ? Number(fields[5]) : 0,
      ...(Number.isFinite(spread) ? { spreadPoints: spread } : {}),
    };
    if (![bar.open, bar.high, bar.low, bar.close].every(Number.isFinite)) throw new Error(`line ${index + 1}: price is not a number`);
    bars.push(bar);
  }
  return bars;
}

/** Reads a CSV file of bars (see {@link parseCsvBars}). */
export function readCsvBars(file: string, options: CsvBarsOptions): Bar[] {
  return parseCsvBars(readFileSync(file, 'utf8'), options);
}

import path from 'node:path';
import type { Timeframe } from '@mt5/contracts';

/** Format tags people (and our shared data) put between the symbol part and `.csv`. */
const FORMAT_TAGS = /\.(mt5-export|mt5|mt4|rates|binance|klines|histdata|ascii|export|bars)$/i;
const DATA_EXTENSIONS = /\.(csv|txt|tsv|dat)$/i;
/** HistData's own names: `DAT_ASCII_EURUSD_M1_2019.csv`, `DAT_MT_EURUSD_M1_201907.csv`. */
const HISTDATA_NAME = /^DAT_(?:ASCII|MT|NT|XLSX)_([A-Za-z0-9]+)_/i;

const MT5_TIMEFRAMES: Readonly<Record<string, Timeframe>> = { m1: 'M1', m5: 'M5', m15: 'M15', m30: 'M30', h1: 'H1', h4: 'H4', d1: 'D1' };
/** Binance interval names, case-sensitive: `1M` is a month there, not a minute. */
const BINANCE_INTERVALS: Readonly<Record<string, Timeframe>> = { '1m': 'M1', '5m': 'M5', '15m': 'M15', '30m': 'M30', '1h': 'H1', '4h': 'H4', '1d': 'D1' };

function stem(file: string): string {
  return path.basename(file).replace(DATA_EXTENSIONS, '').replace(FORMAT_TAGS, '');
}

/**
 * The symbol a history file is named after: the part before the first `_` or space
 * (`EURUSD_M1.mt5-export.csv` → `EURUSD`, `EURUSD.m_M5.csv` → `EURUSD.m`, `XAUUSD_M1.rates.csv`
 * → `XAUUSD`), or the pair in a HistData name. Undefined when nothing symbol-like is there.
 */
export function inferSymbol(file: string): string | undefined {
  const base = path.basename(file);
  const histData = HISTDATA_NAME.exec(base);
  if (histData) return histData[1]!.toUpperCase();
  const first = stem(file).split(/[_\s]/)[0] ?? '';
  return /^[A-Za-z][A-Za-z0-9.#!&-]{1,63}$/.test(first) ? first : undefined;
}

/** The timeframe a file name states (`_M1`, `_H4`, Binance's `_1m`), if any. */
export function inferTimeframe(file: string): Timeframe | undefined {
  const tokens = stem(file).split(/[_\s.-]/).slice(1);
  for (const token of tokens) {
    const timeframe = MT5_TIMEFRAMES[token.toLowerCase()] ?? BINANCE_INTERVALS[token];
    if (timeframe) return timeframe;
  }
  return undefined;
}

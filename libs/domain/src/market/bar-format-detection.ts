import type { BarFormat } from './bar-import.types.js';
import { headerlessLayout, layoutFromHeader, normalizeColumnName, type ColumnLayout } from './bar-layout.js';

/** What the first meaningful line of a file says about it. */
export type FormatDetection =
  | { readonly kind: 'header'; readonly layout: ColumnLayout }
  | { readonly kind: 'data'; readonly layout: ColumnLayout }
  | { readonly kind: 'unknown'; readonly reason: string };

/** Removes the quotes MT5's export wraps around every line. */
export function unquoteLine(line: string): string {
  return line.length >= 2 && line.charCodeAt(0) === 34 && line.charCodeAt(line.length - 1) === 34 ? line.slice(1, -1) : line;
}

const BINANCE_HEADER_NAMES = new Set(['close_time', 'quote_av', 'quote_asset_volume', 'quote_volume', 'trades', 'number_of_trades', 'tb_base_av', 'taker_buy_base_asset_volume', 'ignore']);
const HISTDATA_TIME = /^\d{8} \d{6}$/;
const MT4_DATE = /^\d{4}\.\d{2}\.\d{2}$/;
const CLOCK = /^\d{2}:\d{2}(:\d{2})?$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const EPOCH = /^(\d{10}|\d{13}|\d{16})$/;

function separatorOf(line: string): string {
  if (line.includes('\t')) return '\t';
  if (line.includes(';')) return ';';
  return ',';
}

function headerFormat(names: readonly string[]): BarFormat {
  if (names.some((name) => BINANCE_HEADER_NAMES.has(name))) return 'binance-klines';
  const first = names.find((name) => name !== '');
  if (first === 'timestamp' || first === 'open_time') return 'binance-klines';
  if (first === 'time' && names.some((name) => name === 'tick_volume' || name === 'spread' || name === 'real_volume')) return 'mt5-rates';
  if (first === 'date' && names.includes('time')) return 'mt4-csv';
  if (first === 'time' && !names.includes('volume')) return 'mt5-rates';
  return 'plain-csv';
}

function dataFormat(separator: string, fields: readonly string[]): BarFormat | undefined {
  const first = fields[0] ?? '';
  if (separator === '\t') return 'mt5-export';
  if (HISTDATA_TIME.test(first)) return 'histdata-ascii';
  if (MT4_DATE.test(first) && CLOCK.test(fields[1] ?? '')) return 'mt4-csv';
  // Binance rows have 12 columns (close time, quote volume, trades…); six is the plain OHLCV file.
  if (EPOCH.test(first)) return fields.length >= 12 || first.length !== 10 ? 'binance-klines' : 'mt5-rates';
  if (ISO_DATE_TIME.test(first)) return fields.length >= 12 ? 'binance-klines' : 'plain-csv';
  return undefined;
}

/**
 * Recognises a file from one line (BOM, line end and MT5 quotes already removed): a header names
 * the format and its columns; a data line names the format by its time and separator shape.
 */
export function detectBarFormat(line: string): FormatDetection {
  const text = unquoteLine(line);
  const separator = separatorOf(text);
  const fields = text.split(separator);
  const first = fields[0]?.trim() ?? '';
  const looksLikeHeader = /^[A-Za-z<_"]/.test(first) || (first === '' && fields.length > 4 && /^[A-Za-z<]/.test(fields[1]?.trim() ?? ''));
  if (looksLikeHeader) {
    const format = separator === '\t' ? 'mt5-export' : headerFormat(fields.map(normalizeColumnName));
    const layout = layoutFromHeader(format, separator, fields);
    return typeof layout === 'string' ? { kind: 'unknown', reason: layout } : { kind: 'header', layout };
  }
  const format = dataFormat(separator, fields);
  if (!format) return { kind: 'unknown', reason: `no known bar format starts with "${text.slice(0, 40)}"` };
  const layout = headerlessLayout(format, separator, fields.length);
  return typeof layout === 'string' ? { kind: 'unknown', reason: layout } : { kind: 'data', layout };
}

/**
 * Layout for an explicitly chosen format, from the file's first meaningful line: a header is
 * read for its columns, a data line fixes the separator and field count.
 */
export function layoutForFormat(format: BarFormat, line: string): FormatDetection {
  const text = unquoteLine(line);
  const separator = separatorOf(text);
  const fields = text.split(separator);
  if (/^[A-Za-z<_"]/.test(fields[0]?.trim() ?? '') || (fields[0] === '' && fields.length > 4)) {
    const layout = layoutFromHeader(format, separator, fields);
    return typeof layout === 'string' ? { kind: 'unknown', reason: layout } : { kind: 'header', layout };
  }
  const layout = headerlessLayout(format, separator, fields.length);
  return typeof layout === 'string' ? { kind: 'unknown', reason: layout } : { kind: 'data', layout };
}

import type { BarFormat } from './bar-import.types.js';

/** Where the open time of a bar is in a line. */
export type TimeColumns =
  | { readonly kind: 'date-time'; readonly index: number }
  | { readonly kind: 'date+time'; readonly dateIndex: number; readonly timeIndex: number }
  /** Epoch seconds/ms/µs or a date-time text, decided per value (MT5 rates, Binance). */
  | { readonly kind: 'epoch-or-date-time'; readonly index: number };

/** Column positions of one file, fixed once from the header or the format's known order. */
export interface ColumnLayout {
  readonly format: BarFormat;
  readonly separator: string;
  /** Every data line must have exactly this many fields. */
  readonly fieldCount: number;
  readonly time: TimeColumns;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly tickVolume?: number;
  readonly realVolume?: number;
  readonly spread?: number;
}

/** Line parsing reuses a fixed field buffer of this size. */
export const MAX_COLUMNS = 32;

type Role = 'time' | 'date' | 'timeOfDay' | 'open' | 'high' | 'low' | 'close' | 'tickVolume' | 'realVolume' | 'spread';

const COMMON_ROLES: Readonly<Record<string, Role>> = {
  open: 'open', high: 'high', low: 'low', close: 'close', spread: 'spread', time: 'time', date: 'date', volume: 'tickVolume',
  datetime: 'time', timestamp: 'time', open_time: 'time', opentime: 'time',
  tick_volume: 'tickVolume', tickvol: 'tickVolume', tickvolume: 'tickVolume', tick_vol: 'tickVolume',
  real_volume: 'realVolume', vol: 'realVolume', realvolume: 'realVolume',
};

/** Per-format meaning of the ambiguous names: MT5's "Volume" is ticks, Binance's is base asset. */
const FORMAT_ROLES: Readonly<Partial<Record<BarFormat, Readonly<Record<string, Role>>>>> = {
  'binance-klines': { time: 'time', date: 'time', volume: 'realVolume', trades: 'tickVolume', number_of_trades: 'tickVolume', count: 'tickVolume' },
};

/** `<TICKVOL>` → `tickvol`, `Tick volume` → `tick_volume`, `Unnamed: 0` → ``. */
export function normalizeColumnName(name: string): string {
  const trimmed = name.trim().replace(/^"|"$/g, '').replace(/^<|>$/g, '').trim().toLowerCase();
  return trimmed.startsWith('unnamed') ? '' : trimmed.replace(/[\s-]+/g, '_');
}

/**
 * Builds a layout from a header line's fields. Returns an explanation when the header lacks a
 * required column; unknown columns (Binance's `Quote_av`, a pandas index) are ignored.
 */
export function layoutFromHeader(format: BarFormat, separator: string, header: readonly string[]): ColumnLayout | string {
  if (header.length > MAX_COLUMNS) return `header has ${header.length} columns; at most ${MAX_COLUMNS} are supported`;
  const roles = new Map<Role, number>();
  const formatRoles = FORMAT_ROLES[format] ?? {};
  header.forEach((raw, index) => {
    const name = normalizeColumnName(raw);
    let role = formatRoles[name] ?? COMMON_ROLES[name];
    // MT5 "<DATE>\t<TIME>" and MT4-style "Date,Time": a second time-ish column is the time of day.
    if (role === 'time' && name === 'time' && roles.has('date')) role = 'timeOfDay';
    if (role !== undefined && !roles.has(role)) roles.set(role, index);
  });
  const date = roles.get('date');
  const timeOfDay = roles.get('timeOfDay');
  let time: TimeColumns | undefined;
  if (date !== undefined && timeOfDay !== undefined) time = { kind: 'date+time', dateIndex: date, timeIndex: timeOfDay };
  else if (roles.has('time')) {
    const index = roles.get('time')!;
    time = format === 'mt5-rates' || format === 'binance-klines' ? { kind: 'epoch-or-date-time', index } : { kind: 'date-time', index };
  } else if (date !== undefined) time = { kind: 'date-time', index: date };
  const missing = (['open', 'high', 'low', 'close'] as const).filter((role) => !roles.has(role));
  if (!time) missing.unshift('time' as never);
  if (missing.length > 0 || !time) return `header has no ${missing.join(', ')} column`;
  return {
    format, separator, fieldCount: header.length, time,
    open: roles.get('open')!, high: roles.get('high')!, low: roles.get('low')!, close: roles.get('close')!,
    tickVolume: roles.get('tickVolume'), realVolume: roles.get('realVolume'), spread: roles.get('spread'),
  };
}

/** Column order of files that carry no header, per format (and separator where it varies). */
export function headerlessLayout(format: BarFormat, separator: string, fieldCount: number): ColumnLayout | string {
  const ohlc = (first: number) => ({ open: first, high: first + 1, low: first + 2, close: first + 3 });
  switch (format) {
    case 'mt5-export':
      // Data lines of the tab export without its header: Time, O, H, L, C, Volume.
      if (fieldCount < 5) break;
      return { format, separator, fieldCount, time: { kind: 'date-time', index: 0 }, ...ohlc(1), tickVolume: fieldCount > 5 ? 5 : undefined };
    case 'mt4-csv':
      if (fieldCount < 6) break;
      return { format, separator, fieldCount, time: { kind: 'date+time', dateIndex: 0, timeIndex: 1 }, ...ohlc(2), tickVolume: fieldCount > 6 ? 6 : undefined };
    case 'histdata-ascii':
    case 'plain-csv':
      if (fieldCount < 5) break;
      return { format, separator, fieldCount, time: { kind: 'date-time', index: 0 }, ...ohlc(1), tickVolume: fieldCount > 5 ? 5 : undefined };
    case 'mt5-rates':
      // time, open, high, low, close, tick_volume, spread, real_volume: as many as the frame had.
      if (fieldCount < 5 || fieldCount > 8) break;
      return {
        format, separator, fieldCount, time: { kind: 'epoch-or-date-time', index: 0 }, ...ohlc(1),
        tickVolume: fieldCount > 5 ? 5 : undefined, spread: fieldCount > 6 ? 6 : undefined, realVolume: fieldCount > 7 ? 7 : undefined,
      };
    case 'binance-klines':
      // open_time, open, high, low, close, volume, close_time, quote_volume, count, taker_buy_base, taker_buy_quote, ignore
      if (fieldCount < 6) break;
      return { format, separator, fieldCount, time: { kind: 'epoch-or-date-time', index: 0 }, ...ohlc(1), realVolume: 5, tickVolume: fieldCount > 8 ? 8 : undefined };
  }
  return `${fieldCount} fields is not a ${format} line`;
}

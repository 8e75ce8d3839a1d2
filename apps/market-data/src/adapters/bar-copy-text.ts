import type { Timeframe } from '@mt5/contracts';
import { civilFromDays, MS_PER_DAY, type ImportedBar } from '@mt5/domain/market';
import type { WireBar } from './wire-bar.js';

/** Column order of every COPY into `bars` (snake_case database names). */
export const BAR_COLUMNS = ['venue', 'symbol', 'timeframe', 'open_time', 'open', 'high', 'low', 'close', 'tick_volume', 'spread', 'real_volume'] as const;

const COPY_NULL = '\\N';
const TWO_DIGITS = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0'));

/** Escapes text for COPY's text format (backslash, tab, line ends). Symbols and venues only: prices never need it. */
export function copyText(text: string): string {
  return /[\\\t\n\r]/.test(text) ? text.replace(/[\\\t\n\r]/g, (ch) => (ch === '\\' ? '\\\\' : ch === '\t' ? '\\t' : ch === '\n' ? '\\n' : '\\r')) : text;
}

/**
 * Renders epoch milliseconds as a `timestamptz` literal (`2022-01-04 18:00:00+00`). Bars arrive in
 * time order, so the date part is cached per day: this runs once per imported row.
 */
export class TimestampText {
  private day = Number.NaN;
  private datePrefix = '';

  format(epochMs: number): string {
    const day = Math.floor(epochMs / MS_PER_DAY);
    if (day !== this.day) {
      const { year, month, day: dayOfMonth } = civilFromDays(day);
      this.day = day;
      this.datePrefix = `${String(year).padStart(4, '0')}-${TWO_DIGITS[month]}-${TWO_DIGITS[dayOfMonth]} `;
    }
    const msOfDay = epochMs - day * MS_PER_DAY;
    const seconds = Math.floor(msOfDay / 1000);
    const millis = msOfDay - seconds * 1000;
    const clock = `${TWO_DIGITS[Math.floor(seconds / 3600)]}:${TWO_DIGITS[Math.floor(seconds / 60) % 60]}:${TWO_DIGITS[seconds % 60]}`;
    return millis === 0 ? `${this.datePrefix}${clock}+00` : `${this.datePrefix}${clock}.${String(millis).padStart(3, '0')}+00`;
  }
}

/**
 * Builds COPY lines for one (venue, symbol, timeframe). Prices go in as decimal text: the source
 * file's own text for imported bars, so the database holds exactly what the broker wrote.
 */
export class BarCopyLines {
  private readonly prefix: string;
  private readonly timestamps = new TimestampText();

  constructor(venue: string, symbol: string, timeframe: Timeframe) {
    this.prefix = `${copyText(venue)}\t${copyText(symbol)}\t${timeframe}\t`;
  }

  /** A line from an imported bar (its original price texts). */
  imported(bar: ImportedBar): string {
    return `${this.prefix}${this.timestamps.format(bar.openTime)}\t${bar.openText}\t${bar.highText}\t${bar.lowText}\t${bar.closeText}\t${bar.tickVolume}\t${
      bar.spreadPoints === undefined ? COPY_NULL : bar.spreadPoints}\t${bar.realVolumeText ?? COPY_NULL}\n`;
  }

  /** A line from a bar whose prices are already exact decimal strings. */
  wire(bar: WireBar): string {
    return `${this.prefix}${this.timestamps.format(bar.openTime)}\t${bar.open}\t${bar.high}\t${bar.low}\t${bar.close}\t${bar.tickVolume}\t${
      bar.spread === undefined ? COPY_NULL : bar.spread}\t${bar.realVolume ?? COPY_NULL}\n`;
  }
}

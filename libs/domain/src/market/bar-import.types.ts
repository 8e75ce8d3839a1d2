import type { Timeframe } from '@mt5/contracts';
import type { ImportedBar } from './bar.js';
import type { BarAlignment } from './timeframe.js';

/**
 * File formats the importer reads. Detected from the first non-blank line unless given.
 * - `mt5-export`: MT5 terminal "Export bars": `"Time\tOpen\tHigh\tLow\tClose\tVolume"` with every
 *   line in double quotes, or the `<DATE>\t<TIME>\t<OPEN>…` variant; tab-separated, CRLF.
 * - `mt4-csv`: MT4 / HistData "MetaStock": `2019.07.30,00:00,O,H,L,C,V`, `,` or `;`, optional seconds.
 * - `histdata-ascii`: HistData ASCII `20190730 000000;O;H;L;C;V`.
 * - `plain-csv`: `YYYY-MM-DD HH:MM[:SS],O,H,L,C,V`, no header.
 * - `mt5-rates`: MetaTrader5 Python `copy_rates_*` frame as CSV: header
 *   `time,open,high,low,close[,tick_volume][,spread][,real_volume]`; time in epoch seconds or ISO.
 * - `binance-klines`: `open_time,open,high,low,close,volume,close_time,…` (ms/µs epoch or
 *   date-time open time), with or without header.
 */
export const BarFormats = ['mt5-export', 'mt4-csv', 'histdata-ascii', 'plain-csv', 'mt5-rates', 'binance-klines'] as const;
export type BarFormat = (typeof BarFormats)[number];

/** Why a line was not accepted. Stable strings: tests, CLI output and stored reports use them. */
export const BarRejectCodes = {
  /** Wrong field count, unreadable structure, or a header line where data was expected. */
  MALFORMED_LINE: 'MD.MALFORMED_LINE',
  /** The time field is not a valid date-time of the format (or does not exist in the source zone). */
  INVALID_TIME: 'MD.INVALID_TIME',
  /** A price field is not a plain decimal number (`1.1284`). */
  MALFORMED_PRICE: 'MD.MALFORMED_PRICE',
  /** A price is NaN or infinite (`NaN`, `inf`). */
  NON_FINITE_PRICE: 'MD.NON_FINITE_PRICE',
  /** A price is zero or negative. */
  NON_POSITIVE_PRICE: 'MD.NON_POSITIVE_PRICE',
  /** A volume or spread is not a non-negative number. */
  INVALID_VOLUME: 'MD.INVALID_VOLUME',
  /** `high < low`. */
  HIGH_BELOW_LOW: 'MD.HIGH_BELOW_LOW',
  /** `high < max(open, close)`. */
  HIGH_BELOW_BODY: 'MD.HIGH_BELOW_BODY',
  /** `low > min(open, close)`. */
  LOW_ABOVE_BODY: 'MD.LOW_ABOVE_BODY',
  /** Open time is not a bar start of the timeframe. */
  MISALIGNED: 'MD.MISALIGNED',
  /** Open time is earlier than the last accepted bar and not a duplicate of an accepted one. */
  OUT_OF_ORDER: 'MD.OUT_OF_ORDER',
  /** Same open time as an accepted bar, same values: harmless, not stored twice. */
  DUPLICATE: 'MD.DUPLICATE',
  /** Same open time as an accepted bar, different values: the first one is kept, this one reported. */
  DUPLICATE_CONFLICT: 'MD.DUPLICATE_CONFLICT',
} as const;
export type BarRejectCode = (typeof BarRejectCodes)[keyof typeof BarRejectCodes];

/** One line that was not accepted. `line` is the 1-based physical line number in the source. */
export interface BarReject {
  readonly line: number;
  readonly code: BarRejectCode;
  readonly message: string;
}

/** What happened to one pushed line. Blank lines and the header produce no outcome. */
export type LineOutcome =
  | { readonly kind: 'accepted'; readonly line: number; readonly bar: ImportedBar }
  | ({ readonly kind: 'rejected' } & BarReject)
  | ({ readonly kind: 'duplicate'; readonly identical: boolean } & BarReject);

export interface BarImportOptions {
  readonly venue: string;
  readonly symbol: string;
  /** Timeframe of the file's bars; default `M1`. */
  readonly timeframe?: Timeframe;
  /** Explicit format; default `auto` (detected from the first non-blank line). */
  readonly format?: BarFormat | 'auto';
  /**
   * Time zone of the file's clock: `UTC` (default), a fixed offset `+02:00`, or a DST rule
   * (`EET`, `NY+7`, … see `parseTimeZone`). Times that carry their own offset (ISO `+00:00`,
   * epoch numbers) ignore it.
   */
  readonly timeZone?: string;
  /** Bucket origin for the alignment check of H4/D1 files; default UTC midnight. */
  readonly alignment?: BarAlignment;
  /** Lines examined for auto-detection before giving up; default 20. */
  readonly detectionLines?: number;
  /** Rejects kept in the summary list (all are still reported per line); default 1000. */
  readonly maxListedRejects?: number;
}

/** End-of-import report. `accepted + rejected + duplicates` equals the data lines read. */
export interface BarImportSummary {
  readonly format: BarFormat | undefined;
  readonly timeZone: string;
  readonly accepted: number;
  readonly rejected: number;
  /** Lines whose open time was already accepted: identical plus conflicting. */
  readonly duplicates: number;
  readonly identicalDuplicates: number;
  readonly conflictingDuplicates: number;
  readonly headerLine: number | undefined;
  readonly blankLines: number;
  /** Open time of the first and last accepted bar (epoch ms UTC). */
  readonly firstTime: number | undefined;
  readonly lastTime: number | undefined;
  /** Every rejected or duplicate line, up to `maxListedRejects`. */
  readonly rejects: readonly BarReject[];
  /** Rejects not listed because of `maxListedRejects`. */
  readonly unlistedRejects: number;
}

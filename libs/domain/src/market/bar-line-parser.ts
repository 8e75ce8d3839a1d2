import type { Timeframe } from '@mt5/contracts';
import type { ImportedBar } from './bar.js';
import { BarRejectCodes, type BarReject, type BarRejectCode } from './bar-import.types.js';
import { MAX_COLUMNS, type ColumnLayout } from './bar-layout.js';
import { describeTimeProblem, parseDateText, parseDateTimeText, parseEpochText, parseTimeOfDayText } from './date-time-text.js';
import { classifyDecimal, DecimalKinds, isUnsignedInteger, parseDecimal } from './decimal-text.js';
import { MS_PER_DAY } from './civil-time.js';
import type { TimeZone } from './time-zone.js';
import { unquoteLine } from './bar-format-detection.js';

/** What every bar of one import shares. */
export interface BarLineContext {
  readonly venue: string;
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly zone: TimeZone;
}

function reject(line: number, code: BarRejectCode, message: string): BarReject {
  return { line, code, message };
}

/** Type guard separating a reject from a bar in {@link parseBarLine}'s result. */
export function isBarReject(value: ImportedBar | BarReject): value is BarReject {
  return (value as BarReject).code !== undefined;
}

function parseTime(fields: readonly string[], layout: ColumnLayout, zone: TimeZone): number {
  const time = layout.time;
  if (time.kind === 'date-time') return parseDateTimeText(fields[time.index]!, zone);
  if (time.kind === 'date+time') {
    const local = parseDateText(fields[time.dateIndex]!) * MS_PER_DAY + parseTimeOfDayText(fields[time.timeIndex]!);
    if (zone.fixed || Number.isNaN(local)) return local - zone.offsetAt(0);
    return zone.localToUtc(local) ?? Number.NaN;
  }
  const text = fields[time.index]!;
  return isUnsignedInteger(text) ? parseEpochText(text) : parseDateTimeText(text, zone);
}

function timeText(fields: readonly string[], layout: ColumnLayout): string {
  const time = layout.time;
  return time.kind === 'date+time' ? `${fields[time.dateIndex]} ${fields[time.timeIndex]}` : fields[time.index]!;
}

/** Checks a price text; returns the reject for the first bad one, else undefined. */
function priceProblem(line: number, name: string, text: string, value: number): BarReject | undefined {
  if (value > 0) return undefined;
  // Slow path, rejects only. parseDecimal (not Number, which reads '' as 0 and '0x1F' as 31)
  // gave NaN for anything that is not a plain decimal.
  if (Number.isNaN(value)) {
    return classifyDecimal(text) === DecimalKinds.nonFinite
      ? reject(line, BarRejectCodes.NON_FINITE_PRICE, `${name} "${text}" is not a finite number`)
      : reject(line, BarRejectCodes.MALFORMED_PRICE, `${name} "${text}" is not a decimal number`);
  }
  return reject(line, BarRejectCodes.NON_POSITIVE_PRICE, `${name} ${text} is not positive`);
}

function volumeValue(text: string | undefined, integer: boolean): number {
  if (text === undefined) return Number.NaN;
  const value = parseDecimal(text);
  return value >= 0 && (!integer || Number.isInteger(value)) ? value : Number.NaN;
}

const MAX_FIELDS = MAX_COLUMNS;
/** Reused between calls: parsing is synchronous, and a fresh array per line is measurable GC. */
const scratchFields: string[] = new Array<string>(MAX_FIELDS).fill('');

/** Splits into `out` (about 2.5× faster than `split` here); returns the field count. */
function splitInto(text: string, separator: string, out: string[]): number {
  let count = 0;
  let start = 0;
  for (;;) {
    const end = text.indexOf(separator, start);
    if (end < 0) {
      if (count < MAX_FIELDS) out[count] = text.slice(start);
      return count + 1;
    }
    if (count < MAX_FIELDS) out[count] = text.slice(start, end);
    count++;
    start = end + 1;
  }
}

/**
 * Parses and checks one data line (line end already removed) against a layout: structure, time,
 * prices (plain positive decimals), volumes and OHLC consistency. Ordering, alignment and
 * duplicates are the session's job: they need the lines before.
 */
export function parseBarLine(rawLine: string, line: number, layout: ColumnLayout, context: BarLineContext): ImportedBar | BarReject {
  const text = unquoteLine(rawLine);
  const fields = scratchFields;
  const fieldCount = splitInto(text, layout.separator, fields);
  if (fieldCount !== layout.fieldCount) {
    return reject(line, BarRejectCodes.MALFORMED_LINE, `expected ${layout.fieldCount} fields separated by ${JSON.stringify(layout.separator)}, found ${fieldCount}`);
  }
  const openTime = parseTime(fields, layout, context.zone);
  if (Number.isNaN(openTime)) return reject(line, BarRejectCodes.INVALID_TIME, describeTimeProblem(timeText(fields, layout), context.zone));
  const openText = fields[layout.open]!;
  const highText = fields[layout.high]!;
  const lowText = fields[layout.low]!;
  const closeText = fields[layout.close]!;
  const open = parseDecimal(openText);
  const high = parseDecimal(highText);
  const low = parseDecimal(lowText);
  const close = parseDecimal(closeText);
  const problem = priceProblem(line, 'open', openText, open) ?? priceProblem(line, 'high', highText, high)
    ?? priceProblem(line, 'low', lowText, low) ?? priceProblem(line, 'close', closeText, close);
  if (problem) return problem;
  let tickVolume = 0;
  if (layout.tickVolume !== undefined) {
    tickVolume = volumeValue(fields[layout.tickVolume], true);
    if (Number.isNaN(tickVolume)) return reject(line, BarRejectCodes.INVALID_VOLUME, `tick volume "${fields[layout.tickVolume]}" is not a non-negative integer`);
  }
  let spreadPoints: number | undefined;
  if (layout.spread !== undefined) {
    spreadPoints = volumeValue(fields[layout.spread], true);
    if (Number.isNaN(spreadPoints)) return reject(line, BarRejectCodes.INVALID_VOLUME, `spread "${fields[layout.spread]}" is not a non-negative integer`);
  }
  let realVolume: number | undefined;
  let realVolumeText: string | undefined;
  if (layout.realVolume !== undefined) {
    realVolumeText = fields[layout.realVolume]!;
    realVolume = volumeValue(realVolumeText, false);
    if (Number.isNaN(realVolume)) return reject(line, BarRejectCodes.INVALID_VOLUME, `volume "${realVolumeText}" is not a non-negative number`);
  }
  if (high < low) return reject(line, BarRejectCodes.HIGH_BELOW_LOW, `high ${highText} is below low ${lowText}`);
  if (high < open || high < close) {
    return reject(line, BarRejectCodes.HIGH_BELOW_BODY, `high ${highText} is below ${high < open ? `open ${openText}` : `close ${closeText}`}`);
  }
  if (low > open || low > close) {
    return reject(line, BarRejectCodes.LOW_ABOVE_BODY, `low ${lowText} is above ${low > open ? `open ${openText}` : `close ${closeText}`}`);
  }
  return {
    venue: context.venue, symbol: context.symbol, timeframe: context.timeframe, openTime,
    open, high, low, close, tickVolume, spreadPoints, realVolume,
    openText, highText, lowText, closeText, realVolumeText,
  };
}

import { daysFromCivil, daysInMonth, MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE } from './civil-time.js';
import type { TimeZone } from './time-zone.js';

/*
 * Hot-path parsers for the time fields of bar files. Each returns NaN when the text is not what it
 * should be; `describeTimeProblem` explains a failure afterwards (slow path, only for rejects).
 */

function digitsAt(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const c = text.charCodeAt(i) - 48;
    if (!(c >= 0 && c <= 9)) return Number.NaN;
    value = value * 10 + c;
  }
  return value;
}

function dayCount(year: number, month: number, day: number): number {
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month))) return Number.NaN;
  return daysFromCivil(year, month, day);
}

/** `2022-01-04`, `2022.01.04`, `2022/01/04` or `20220104` → days since the epoch, else NaN. */
export function parseDateText(text: string): number {
  return parseDateAt(text, 0, text.length);
}

/** {@link parseDateText} on `text[start, end)`, without slicing (hot path). */
function parseDateAt(text: string, start: number, end: number): number {
  const length = end - start;
  if (length === 8) return dayCount(digitsAt(text, start, 4), digitsAt(text, start + 4, 2), digitsAt(text, start + 6, 2));
  if (length !== 10) return Number.NaN;
  const separator = text.charCodeAt(start + 4);
  if ((separator !== 45 && separator !== 46 && separator !== 47) || text.charCodeAt(start + 7) !== separator) return Number.NaN;
  return dayCount(digitsAt(text, start, 4), digitsAt(text, start + 5, 2), digitsAt(text, start + 8, 2));
}

/** `18:00`, `18:00:00`, `18:00:00.250`, `180000` or `1800` → ms since midnight, else NaN. */
export function parseTimeOfDayText(text: string): number {
  return parseTimeOfDayAt(text, 0, text.length);
}

/** {@link parseTimeOfDayText} on `text[start, end)`. */
function parseTimeOfDayAt(text: string, start: number, end: number): number {
  const length = end - start;
  let hours: number;
  let minutes: number;
  let seconds = 0;
  let millis = 0;
  if (text.charCodeAt(start + 2) === 58) {
    hours = digitsAt(text, start, 2);
    minutes = digitsAt(text, start + 3, 2);
    if (length > 5) {
      if (text.charCodeAt(start + 5) !== 58 || length < 8) return Number.NaN;
      seconds = digitsAt(text, start + 6, 2);
      if (length > 8) millis = fraction(text.slice(start + 8, end));
    } else if (length !== 5) {
      return Number.NaN;
    }
  } else if (length === 6 || length === 4) {
    hours = digitsAt(text, start, 2);
    minutes = digitsAt(text, start + 2, 2);
    if (length === 6) seconds = digitsAt(text, start + 4, 2);
  } else {
    return Number.NaN;
  }
  if (!(hours < 24 && minutes < 60 && seconds < 60)) return Number.NaN;
  return hours * MS_PER_HOUR + minutes * MS_PER_MINUTE + seconds * 1000 + millis;
}

/** `.250` → 250 ms; up to 9 fraction digits, truncated below the millisecond. */
function fraction(text: string): number {
  if (text.charCodeAt(0) !== 46 || text.length === 1 || text.length > 10) return Number.NaN;
  const digits = text.slice(1);
  const value = digitsAt(digits, 0, Math.min(3, digits.length));
  if (digits.length > 3 && Number.isNaN(digitsAt(digits, 3, digits.length - 3))) return Number.NaN;
  return value * 10 ** (3 - Math.min(3, digits.length));
}

/**
 * Date and time in one field: `2022-01-04 18:00[:00[.fff]]`, `2022-01-04T18:00:00`,
 * `20190730 000000`, optionally followed by `Z`, `+00:00` or `+0000`. A field with its own offset
 * is converted with it; otherwise the wall-clock reading is in `zone`. Returns epoch ms UTC or NaN.
 */
export function parseDateTimeText(text: string, zone: TimeZone): number {
  const dateLength = text.charCodeAt(8) === 32 ? 8 : 10;
  const separator = text.charCodeAt(dateLength);
  if (separator !== 32 && separator !== 84) return Number.NaN;
  const days = parseDateAt(text, 0, dateLength);
  let end = text.length;
  let offset: number | undefined;
  const last = text.charCodeAt(end - 1);
  if (last === 90) {
    offset = 0;
    end -= 1;
  } else if (end - dateLength > 6) {
    const signAt = findOffsetSign(text, dateLength + 1);
    if (signAt > 0) {
      offset = parseOffset(text, signAt);
      end = signAt;
    }
  }
  const msOfDay = parseTimeOfDayAt(text, dateLength + 1, end);
  const local = days * MS_PER_DAY + msOfDay;
  if (offset !== undefined) return local - offset;
  if (zone.fixed) return local - zone.offsetAt(0);
  return Number.isNaN(local) ? local : (zone.localToUtc(local) ?? Number.NaN);
}

function findOffsetSign(text: string, from: number): number {
  for (let i = text.length - 1; i > from; i--) {
    const c = text.charCodeAt(i);
    if (c === 43 || c === 45) return i;
  }
  return -1;
}

/** `+02:00` / `-0330` / `+02` at `signAt` → ms, or NaN. */
function parseOffset(text: string, signAt: number): number {
  const sign = text.charCodeAt(signAt) === 45 ? -1 : 1;
  const rest = text.slice(signAt + 1);
  let hours: number;
  let minutes = 0;
  if (rest.length === 2) hours = digitsAt(rest, 0, 2);
  else if (rest.length === 4) [hours, minutes] = [digitsAt(rest, 0, 2), digitsAt(rest, 2, 2)];
  else if (rest.length === 5 && rest.charCodeAt(2) === 58) [hours, minutes] = [digitsAt(rest, 0, 2), digitsAt(rest, 3, 2)];
  else return Number.NaN;
  return hours <= 14 && minutes < 60 ? sign * (hours * MS_PER_HOUR + minutes * MS_PER_MINUTE) : Number.NaN;
}

/**
 * Epoch number in seconds (10 digits), milliseconds (13) or microseconds (16) → epoch ms, else
 * NaN. Digit counts, not magnitudes, decide: the unit of a bare number cannot be guessed safely.
 */
export function parseEpochText(text: string): number {
  const length = text.length;
  if (length !== 10 && length !== 13 && length !== 16) return Number.NaN;
  const value = digitsAt(text, 0, length);
  if (length === 10) return value * 1000;
  return length === 13 ? value : Math.floor(value / 1000);
}

/** Why a time field failed to parse (for the reject message; not on the hot path). */
export function describeTimeProblem(text: string, zone: TimeZone): string {
  if (!zone.fixed) {
    const dateLength = text.charCodeAt(8) === 32 ? 8 : 10;
    const days = parseDateAt(text, 0, dateLength);
    const msOfDay = parseTimeOfDayText(text.slice(dateLength + 1));
    if (!Number.isNaN(days) && !Number.isNaN(msOfDay)) {
      return `time "${text}" does not exist on the ${zone.id} clock (skipped by a daylight-saving change)`;
    }
  }
  return `time "${text}" is not a valid date-time`;
}

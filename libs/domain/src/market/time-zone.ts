import { daysFromCivil, lastWeekdayOfMonth, MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, nthWeekdayOfMonth, yearOf } from './civil-time.js';

/**
 * The clock a source file or a session calendar is written in. `offsetAt(utc)` is the offset of
 * that clock from UTC at an instant (local = utc + offset); `localToUtc` converts a wall-clock
 * reading back to UTC.
 *
 * DST rules are implemented arithmetically (no Intl time zone database), so results do not depend
 * on the host's ICU data:
 * - EU rule (since 1996): summer time from the last Sunday of March 01:00 UTC to the last Sunday of
 *   October 01:00 UTC. Zones: `EET` (UTC+2/+3, the usual MT5 broker server clock), `CET`, `WET`.
 * - US rule (since 2007; earlier years are not covered): from the second Sunday of March 02:00 New York time (07:00 UTC) to the
 *   first Sunday of November 02:00 New York time (06:00 UTC). Zones: `America/New_York` (UTC−5/−4)
 *   and `NY+7` (UTC+2/+3 switching with New York, the "New York close" broker clock whose
 *   midnight is the FX day roll at 17:00 New York).
 */
export interface TimeZone {
  /** Canonical name as accepted by {@link parseTimeZone}. */
  readonly id: string;
  /** True when the offset never changes (UTC, fixed offsets): callers may take fast paths. */
  readonly fixed: boolean;
  offsetAt(utcMs: number): number;
  /**
   * UTC instant of a wall-clock reading (epoch ms as if the local clock were UTC). Returns
   * `undefined` for a reading skipped by a spring-forward change. A reading repeated by a
   * fall-back change resolves to the earlier instant; the repeated hour of a file then shows up
   * as duplicates or out-of-order lines, which the importer reports.
   */
  localToUtc(localMs: number): number | undefined;
}

function fixedZone(id: string, offsetMs: number): TimeZone {
  return { id, fixed: true, offsetAt: () => offsetMs, localToUtc: (local) => local - offsetMs };
}

type DstInterval = readonly [start: number, end: number];

function euSummer(year: number): DstInterval {
  return [lastWeekdayOfMonth(year, 3, 0) * MS_PER_DAY + MS_PER_HOUR, lastWeekdayOfMonth(year, 10, 0) * MS_PER_DAY + MS_PER_HOUR];
}

function usSummer(year: number): DstInterval {
  return [nthWeekdayOfMonth(year, 3, 0, 2) * MS_PER_DAY + 7 * MS_PER_HOUR, nthWeekdayOfMonth(year, 11, 0, 1) * MS_PER_DAY + 6 * MS_PER_HOUR];
}

function dstZone(id: string, standardOffsetMs: number, summer: (year: number) => DstInterval): TimeZone {
  const summerOffset = standardOffsetMs + MS_PER_HOUR;
  // Files are read in time order: one cached year makes offsetAt a couple of comparisons.
  let cachedYear = Number.NaN;
  let cachedYearStart = 0;
  let cachedYearEnd = 0;
  let interval: DstInterval = [0, 0];
  const offsetAt = (utcMs: number): number => {
    if (!(utcMs >= cachedYearStart && utcMs < cachedYearEnd)) {
      cachedYear = yearOf(utcMs);
      cachedYearStart = daysFromCivil(cachedYear, 1, 1) * MS_PER_DAY;
      cachedYearEnd = daysFromCivil(cachedYear + 1, 1, 1) * MS_PER_DAY;
      interval = summer(cachedYear);
    }
    return utcMs >= interval[0] && utcMs < interval[1] ? summerOffset : standardOffsetMs;
  };
  const localToUtc = (localMs: number): number | undefined => {
    const asSummer = localMs - summerOffset;
    if (offsetAt(asSummer) === summerOffset) return asSummer;
    const asStandard = localMs - standardOffsetMs;
    if (offsetAt(asStandard) === standardOffsetMs) return asStandard;
    return undefined;
  };
  return { id, fixed: false, offsetAt, localToUtc };
}

const RULES: Readonly<Record<string, () => TimeZone>> = {
  EET: () => dstZone('EET', 2 * MS_PER_HOUR, euSummer),
  CET: () => dstZone('CET', MS_PER_HOUR, euSummer),
  WET: () => dstZone('WET', 0, euSummer),
  'America/New_York': () => dstZone('America/New_York', -5 * MS_PER_HOUR, usSummer),
  'NY+7': () => dstZone('NY+7', 2 * MS_PER_HOUR, usSummer),
};

const ALIASES: Readonly<Record<string, string>> = {
  'Europe/Athens': 'EET', 'Europe/Helsinki': 'EET', 'Europe/Kiev': 'EET', 'Europe/Kyiv': 'EET', 'Europe/Riga': 'EET', 'Europe/Sofia': 'EET',
  'Europe/Berlin': 'CET', 'Europe/Paris': 'CET', 'Europe/Madrid': 'CET', 'Europe/Rome': 'CET', 'Europe/Amsterdam': 'CET', 'Europe/Zurich': 'CET',
  'Europe/London': 'WET', 'Europe/Lisbon': 'WET', 'US/Eastern': 'America/New_York', EST5EDT: 'America/New_York',
};

/** Zone names with a DST rule (aliases included), for CLI help and validation messages. */
export const TimeZoneRuleNames: readonly string[] = [...Object.keys(RULES), ...Object.keys(ALIASES)];

const OFFSET = /^(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?$/;

/**
 * Parses a time zone option: `UTC` (also `Z`, `GMT`), a fixed offset (`+02:00`, `-0330`,
 * `UTC+2`), or a rule name (see {@link TimeZone}). Returns `undefined` for anything else: a
 * misspelt zone must not silently become UTC.
 */
export function parseTimeZone(text: string): TimeZone | undefined {
  const name = text.trim();
  if (name === 'UTC' || name === 'Z' || name === 'GMT' || name === 'Etc/UTC') return UTC;
  const rule = RULES[ALIASES[name] ?? name];
  if (rule) return rule();
  const match = OFFSET.exec(name);
  if (!match) return undefined;
  const hours = Number(match[2]);
  const minutes = Number(match[3] ?? '0');
  if (hours > 14 || minutes > 59) return undefined;
  const offset = (match[1] === '-' ? -1 : 1) * (hours * MS_PER_HOUR + minutes * MS_PER_MINUTE);
  if (offset === 0) return UTC;
  const sign = offset < 0 ? '-' : '+';
  return fixedZone(`${sign}${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`, offset);
}

export const UTC: TimeZone = fixedZone('UTC', 0);

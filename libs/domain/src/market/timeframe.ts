import { Timeframes, type Timeframe } from '@mt5/contracts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Length of one bar of each timeframe, in milliseconds. */
export const TimeframeDurations: Readonly<Record<Timeframe, number>> = {
  M1: MINUTE,
  M5: 5 * MINUTE,
  M15: 15 * MINUTE,
  M30: 30 * MINUTE,
  H1: 60 * MINUTE,
  H4: 240 * MINUTE,
  D1: 1440 * MINUTE,
};

/** Duration of one bar in milliseconds. */
export function timeframeDuration(timeframe: Timeframe): number {
  return TimeframeDurations[timeframe];
}

/** Type guard for timeframe names coming from text (CLI flags, file names). */
export function isTimeframe(value: string): value is Timeframe {
  return (Timeframes as readonly string[]).includes(value);
}

/**
 * Alignment origin of bucket boundaries. `offsetMs` moves the origin from UTC midnight: with
 * `offsetMs = -2 h`, D1 bars start at 22:00 UTC (a fixed "New York close" broker day). For a
 * broker day that follows daylight saving, pass `offsetAt` instead, returning the UTC offset of the
 * broker clock at an instant (e.g. `timeZone.offsetAt` from `parseTimeZone('NY+7')`): bars then
 * start at broker midnight, 22:00 UTC in winter and 21:00 UTC in summer.
 *
 * The default is UTC midnight. Intraday timeframes up to H1 are unaffected by whole-hour offsets.
 */
export interface BarAlignment {
  /** Fixed origin shift in ms: bucket starts satisfy `(start - offsetMs) % duration === 0`. */
  readonly offsetMs?: number;
  /** UTC offset of the broker clock (ms, local = utc + offset) at a UTC instant; wins over `offsetMs`. */
  readonly offsetAt?: (utcMs: number) => number;
}

function floorTo(value: number, step: number): number {
  const remainder = value % step;
  return remainder < 0 ? value - remainder - step : value - remainder;
}

/**
 * Start of the bar of `timeframe` that contains `time` (epoch ms UTC).
 * With a DST-following alignment the bucket is computed on the broker clock and converted back.
 */
export function alignTime(timeframe: Timeframe, time: number, alignment?: BarAlignment): number {
  const duration = TimeframeDurations[timeframe];
  if (alignment?.offsetAt) {
    const offset = alignment.offsetAt(time);
    const localStart = floorTo(time + offset, duration);
    // The offset at the bucket start may differ from the offset at `time` (a DST change inside a
    // D1 bucket); use the start's own offset so the bucket starts at broker midnight.
    const startOffset = alignment.offsetAt(localStart - offset);
    const start = localStart - startOffset;
    return start > time ? localStart - offset : start;
  }
  const offset = alignment?.offsetMs ?? 0;
  return floorTo(time - offset, duration) + offset;
}

/** True when `time` is the start of a bar of `timeframe` under the given alignment. */
export function isAligned(timeframe: Timeframe, time: number, alignment?: BarAlignment): boolean {
  return Number.isFinite(time) && alignTime(timeframe, time, alignment) === time;
}

/**
 * Exclusive end of the bar that starts at `openTime`: the next bucket's start. With a
 * DST-following alignment an H4 or D1 bar around the change is an hour shorter or longer.
 */
export function barEnd(timeframe: Timeframe, openTime: number, alignment?: BarAlignment): number {
  const duration = TimeframeDurations[timeframe];
  if (!alignment?.offsetAt || duration <= HOUR) return openTime + duration;
  // Buckets are duration ± 1 h long, so one hour past the nominal end is inside the next bucket.
  return alignTime(timeframe, openTime + duration + HOUR, alignment);
}

import type { Timeframe } from '@mt5/contracts';
import { isOpenDuring, sessionCalendar, type SessionCalendar } from './session-calendar.js';
import { alignTime, barEnd, type BarAlignment } from './timeframe.js';
import type { TradingSessions } from './trading-sessions.js';

/** A run of missing bars: `from` is the first missing open time, `to` the end of the last missing bar (exclusive). */
export interface BarGap {
  readonly from: number;
  readonly to: number;
  readonly missingBars: number;
}

export interface GapDetectionOptions {
  readonly timeframe: Timeframe;
  /** When the market trades; bars are only expected inside a session. */
  readonly sessions: SessionCalendar | TradingSessions;
  /**
   * Shortest run worth reporting, in bars (default 1). Real M1 FX data misses single minutes in
   * quiet hours (no tick, no bar); `minBars: 5` reports only what a backfill should fetch.
   */
  readonly minBars?: number;
  /** Also look before the first and after the last bar, within `[from, to)`. */
  readonly range?: { readonly from: number; readonly to: number };
  readonly alignment?: BarAlignment;
}

/**
 * Missing bars inside trading sessions, as runs. A bar slot is expected when the session is open
 * at any minute of it; weekends and session breaks are not gaps, and a closed slot ends a run, so
 * a gap never spans a weekend. `bars` must be sorted by open time (duplicates are ignored).
 */
export function findGaps(bars: Iterable<{ readonly openTime: number }>, options: GapDetectionOptions): BarGap[] {
  const calendar = 'isOpen' in options.sessions ? options.sessions : sessionCalendar(options.sessions);
  const { timeframe, alignment } = options;
  const minBars = options.minBars ?? 1;
  const gaps: BarGap[] = [];
  let runFrom = 0;
  let runTo = 0;
  let runBars = 0;
  const endRun = () => {
    if (runBars >= minBars && runBars > 0) gaps.push({ from: runFrom, to: runTo, missingBars: runBars });
    runBars = 0;
  };
  /** Walks the slots of `[from, until)`, all of which have no bar. */
  const scan = (from: number, until: number) => {
    for (let slot = from; slot < until;) {
      const end = barEnd(timeframe, slot, alignment);
      if (isOpenDuring(calendar, slot, end)) {
        if (runBars === 0) runFrom = slot;
        runTo = end;
        runBars++;
      } else {
        endRun();
      }
      slot = end;
    }
  };
  const firstSlot = (time: number) => {
    const aligned = alignTime(timeframe, time, alignment);
    return aligned < time ? barEnd(timeframe, aligned, alignment) : aligned;
  };
  let previousEnd: number | undefined = options.range ? firstSlot(options.range.from) : undefined;
  for (const { openTime } of bars) {
    if (options.range && (openTime < options.range.from || openTime >= options.range.to)) continue;
    if (previousEnd !== undefined && openTime > previousEnd - 1) {
      scan(previousEnd, openTime);
      endRun();
    }
    const end = barEnd(timeframe, openTime, alignment);
    if (previousEnd === undefined || end > previousEnd) previousEnd = end;
  }
  if (options.range && previousEnd !== undefined) {
    scan(previousEnd, options.range.to);
    endRun();
  }
  return gaps;
}

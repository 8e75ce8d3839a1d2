import type { SimBar } from '../broker/sim-broker.js';

/** One bar of one symbol on the replay timeline. */
export interface TimedBar {
  readonly symbol: string;
  readonly bar: SimBar;
}

export const WEEK_MS = 7 * 86_400_000;
/** 1970-01-01 was a Thursday; the first Sunday 00:00 UTC is three days later. */
const FIRST_SUNDAY_MS = 3 * 86_400_000;

/** Sunday 00:00 UTC of the week holding `time`. */
export function weekStart(time: number): number {
  return Math.floor((time - FIRST_SUNDAY_MS) / WEEK_MS) * WEEK_MS + FIRST_SUNDAY_MS;
}

/**
 * Puts several symbols' bar series on one timeline. The shared files cover different years
 * (BTCUSDT 2020, GBPUSD 2021, EURUSD 2022, XAUUSD 2026), so each series is shifted by a whole
 * number of weeks until it starts in the week of the first series: weekdays and times of day are
 * kept, so trading sessions still hold, and the symbols trade side by side. Bars come out in time
 * order (ties in the order of `series`).
 */
export function replayTimeline(series: readonly { symbol: string; bars: readonly SimBar[] }[]): ReplayTimeline {
  const anchor = series.find((s) => s.bars.length > 0);
  if (!anchor) return { bars: [], allQuotedAt: undefined };
  const anchorWeek = weekStart(anchor.bars[0]!.time);
  const timeline: (TimedBar & { order: number })[] = [];
  let allQuotedAt = Number.NEGATIVE_INFINITY;
  series.forEach(({ symbol, bars }, order) => {
    if (bars.length === 0) return;
    const shift = anchorWeek - weekStart(bars[0]!.time);
    allQuotedAt = Math.max(allQuotedAt, bars[0]!.time + shift);
    for (const bar of bars) timeline.push({ symbol, bar: { ...bar, time: bar.time + shift }, order });
  });
  timeline.sort((a, b) => a.bar.time - b.bar.time || a.order - b.order);
  return { bars: timeline.map(({ symbol, bar }) => ({ symbol, bar })), allQuotedAt };
}

export interface ReplayTimeline {
  readonly bars: TimedBar[];
  /** The first moment at which every series has started (the latest first bar), where real-time play should begin. */
  readonly allQuotedAt: number | undefined;
}

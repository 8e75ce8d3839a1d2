import type { EquityPoint } from './analytics.types.js';

/** One fall from a peak, until equity is back at the peak (or the series ends). */
export interface DrawdownEpisode {
  readonly peakTime: number;
  readonly peakEquity: number;
  readonly troughTime: number;
  readonly troughEquity: number;
  /** peak − trough, money. */
  readonly money: number;
  /** (peak − trough) / peak × 100; 0 when the peak is not positive. */
  readonly percent: number;
  /** First time equity was back at or above the peak; null when it never was. */
  readonly recoveryTime: number | null;
}

/** The deepest episodes and the underwater curve (distance below the running peak at every point). */
export interface DrawdownAnalysis {
  /** Episode with the largest fall in money; null when equity never fell. */
  readonly deepestMoney: DrawdownEpisode | null;
  /** Episode with the largest fall in percent of its peak (may differ from the one in money). */
  readonly deepestPercent: DrawdownEpisode | null;
  readonly episodes: readonly DrawdownEpisode[];
  /** Equity minus the running peak (≤ 0) and that as a percent of the peak, at every point. */
  readonly underwater: readonly { readonly time: number; readonly money: number; readonly percent: number }[];
}

/**
 * Splits an equity series into drawdown episodes (a peak, its trough, its recovery) and keeps
 * the deepest in money and in percent, with their dates. The figures equal the performance
 * library's `maxDrawdown` on the same values; this adds when each fall happened. Ties keep the
 * earlier episode.
 */
export function analyseDrawdowns(points: readonly EquityPoint[]): DrawdownAnalysis {
  const episodes: DrawdownEpisode[] = [];
  const underwater: { time: number; money: number; percent: number }[] = [];
  let peak: EquityPoint | null = null;
  let trough: EquityPoint | null = null;
  const close = (recoveryTime: number | null) => {
    if (peak && trough && trough.equity < peak.equity) {
      const money = peak.equity - trough.equity;
      episodes.push({
        peakTime: peak.time, peakEquity: peak.equity, troughTime: trough.time, troughEquity: trough.equity,
        money, percent: peak.equity > 0 ? (money / peak.equity) * 100 : 0, recoveryTime,
      });
    }
  };
  for (const point of points) {
    if (!Number.isFinite(point.equity)) throw new RangeError(`analyseDrawdowns: equity ${point.equity} at ${point.time}`);
    if (!peak || point.equity >= peak.equity) {
      close(point.time);
      peak = point;
      trough = point;
    } else if (trough && point.equity < trough.equity) {
      trough = point;
    }
    const below = point.equity - peak.equity;
    underwater.push({ time: point.time, money: below, percent: peak.equity > 0 ? (below / peak.equity) * 100 : 0 });
  }
  close(null);
  const deepest = (measure: (episode: DrawdownEpisode) => number) =>
    episodes.reduce<DrawdownEpisode | null>((best, episode) => (best === null || measure(episode) > measure(best) ? episode : best), null);
  return { deepestMoney: deepest((e) => e.money), deepestPercent: deepest((e) => e.percent), episodes, underwater };
}

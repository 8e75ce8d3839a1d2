import type { BridgeBar, Timeframe } from '@mt5/contracts';
import { alignTime } from '@mt5/domain/market';

/** An M1 bar as the broker replayed it (open time in server time, bid prices). */
export interface HistoryBar {
  readonly time: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly spreadPoints?: number;
  readonly tickVolume?: number;
}

/**
 * `CopyRates` over the replayed M1 bars: bars of `timeframe` opening within [from, to], oldest
 * first, built from the M1 bars (first open, highest high, lowest low, last close, summed tick
 * volume, the widest spread). Gaps stay gaps: no bar is invented for a minute without one.
 */
export function copyRates(
  m1: readonly HistoryBar[], timeframe: Timeframe, from: number, to: number, maxCount: number, defaultSpread: number,
): { bars: BridgeBar[]; truncated: boolean } {
  const out: BridgeBar[] = [];
  for (const bar of m1) {
    const time = timeframe === 'M1' ? bar.time : alignTime(timeframe, bar.time);
    if (time < from || time > to) continue;
    const spread = bar.spreadPoints ?? defaultSpread;
    const last = out.at(-1);
    if (last && last.time === time) {
      out[out.length - 1] = {
        ...last, high: Math.max(last.high, bar.high), low: Math.min(last.low, bar.low), close: bar.close,
        tickVolume: last.tickVolume + (bar.tickVolume ?? 0), spread: Math.max(last.spread, spread),
      };
    } else {
      out.push({ time, open: bar.open, high: bar.high, low: bar.low, close: bar.close, tickVolume: bar.tickVolume ?? 0, spread, realVolume: 0 });
    }
  }
  return { bars: out.slice(0, maxCount), truncated: out.length > maxCount };
}

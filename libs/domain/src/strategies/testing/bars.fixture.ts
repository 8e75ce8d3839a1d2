// Test support: hand-made bars whose indicator values can be worked out on paper.
import type { Bar } from '../../market/index.js';

export const T0 = Date.UTC(2022, 0, 4, 0, 0);

/** One M1 bar per close: open = close, high/low = close ± halfRange, one minute apart from T0. */
export function barsFromCloses(closes: readonly number[], halfRange = 0.001): Bar[] {
  return closes.map((close, index) => ({
    venue: 'test',
    symbol: 'EURUSD',
    timeframe: 'M1',
    openTime: T0 + index * 60_000,
    open: close,
    high: close + halfRange,
    low: close - halfRange,
    close,
    tickVolume: 1,
  }));
}

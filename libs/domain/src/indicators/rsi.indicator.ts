import { assertPeriod, type PriceIndicator } from './indicator.js';
import { WilderAverage } from './wilder-average.indicator.js';

/**
 * Relative Strength Index (Wilder 1978): average gain and average loss of the close-to-close
 * changes, each smoothed with Wilder's average seeded by the simple mean of the first `period`
 * changes; RSI = 100 × gain / (gain + loss). Needs `period + 1` closes.
 *
 * No losses gives 100 (Wilder: RS is infinite). No movement at all gives 50, where references
 * disagree (`trading-signals` 100, TA-Lib 0): a flat market is neither overbought nor oversold.
 */
export class RSI implements PriceIndicator {
  readonly period: number;
  readonly warmUp: number;
  private readonly gains: WilderAverage;
  private readonly losses: WilderAverage;
  private previous = Number.NaN;
  private savedPrevious = Number.NaN;
  private hasInput = false;
  private value = Number.NaN;

  constructor(period = 14) {
    assertPeriod('RSI period', period);
    this.period = period;
    this.warmUp = period + 1;
    this.gains = new WilderAverage(period);
    this.losses = new WilderAverage(period);
  }

  get isStable(): boolean {
    return this.gains.isStable;
  }

  get result(): number | null {
    return this.gains.isStable ? this.value : null;
  }

  add(price: number): number | null {
    this.savedPrevious = this.previous;
    this.hasInput = true;
    const previous = this.previous;
    this.previous = price;
    if (previous !== previous) return null;
    const change = price - previous;
    const gain = this.gains.add(change > 0 ? change : 0);
    const loss = this.losses.add(change < 0 ? -change : 0);
    return this.publish(gain, loss);
  }

  replace(price: number): number | null {
    if (!this.hasInput) return this.add(price);
    const previous = this.savedPrevious;
    this.previous = price;
    if (previous !== previous) return null;
    const change = price - previous;
    const gain = this.gains.replace(change > 0 ? change : 0);
    const loss = this.losses.replace(change < 0 ? -change : 0);
    return this.publish(gain, loss);
  }

  reset(): void {
    this.gains.reset();
    this.losses.reset();
    this.previous = Number.NaN;
    this.savedPrevious = Number.NaN;
    this.hasInput = false;
    this.value = Number.NaN;
  }

  private publish(gain: number | null, loss: number | null): number | null {
    if (gain === null || loss === null) return null;
    const total = gain + loss;
    this.value = total === 0 ? 50 : loss === 0 ? 100 : (100 * gain) / total;
    return this.value;
  }
}

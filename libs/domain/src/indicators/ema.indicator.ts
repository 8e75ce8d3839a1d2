import { assertPeriod, type PriceIndicator } from './indicator.js';

/**
 * Exponential moving average with smoothing 2 / (period + 1), seeded with the simple average of
 * the first `period` inputs (the StockCharts / TA-Lib convention; `trading-signals` seeds with the
 * first price instead, `technicalindicators` agrees with this one).
 */
export class EMA implements PriceIndicator {
  readonly period: number;
  readonly warmUp: number;
  /** Weight of the newest input. */
  readonly smoothing: number;
  private count = 0;
  private seedSum = 0;
  private value = Number.NaN;
  private savedCount = 0;
  private savedSeedSum = 0;
  private savedValue = Number.NaN;

  /** @param smoothing override the weight (Wilder's smoothing is 1 / period); default 2 / (period + 1). */
  constructor(period: number, smoothing = 2 / (period + 1)) {
    assertPeriod('EMA period', period);
    this.period = period;
    this.warmUp = period;
    this.smoothing = smoothing;
  }

  get isStable(): boolean {
    return this.count >= this.period;
  }

  get result(): number | null {
    return this.count >= this.period ? this.value : null;
  }

  add(price: number): number | null {
    this.savedCount = this.count;
    this.savedSeedSum = this.seedSum;
    this.savedValue = this.value;
    return this.step(price);
  }

  replace(price: number): number | null {
    if (this.count === 0) return this.add(price);
    this.count = this.savedCount;
    this.seedSum = this.savedSeedSum;
    this.value = this.savedValue;
    return this.step(price);
  }

  reset(): void {
    this.count = 0;
    this.seedSum = 0;
    this.value = Number.NaN;
    this.savedCount = 0;
    this.savedSeedSum = 0;
    this.savedValue = Number.NaN;
  }

  private step(price: number): number | null {
    const count = ++this.count;
    const period = this.period;
    if (count > period) {
      this.value += (price - this.value) * this.smoothing;
      return this.value;
    }
    this.seedSum += price;
    if (count < period) return null;
    this.value = this.seedSum / period;
    return this.value;
  }
}

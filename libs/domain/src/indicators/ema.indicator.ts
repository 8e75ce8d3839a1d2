import { assertPeriod, type NumericIndicator } from './indicator.js';

/**
 * Exponential moving average with smoothing 2 / (period + 1), seeded with the simple average of
 * the first `period` inputs (the StockCharts / TA-Lib convention; `trading-signals` seeds with the
 * first price instead, `technicalindicators` agrees with this one).
 */
export class EMA implements NumericIndicator<number> {
  readonly period: number;
  readonly warmUp: number;
  /** Weight of the newest input. */
  readonly smoothing: number;
  private count = 0;
  private seedSum = 0;
  private average = Number.NaN;
  private savedCount = 0;
  private savedSeedSum = 0;
  private savedAverage = Number.NaN;

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

  /** The average, NaN while warming up. */
  get value(): number {
    return this.average;
  }

  get result(): number | null {
    return this.count >= this.period ? this.average : null;
  }

  add(price: number): number | null {
    this.update(price);
    return this.result;
  }

  update(price: number): void {
    this.savedCount = this.count;
    this.savedSeedSum = this.seedSum;
    this.savedAverage = this.average;
    this.step(price);
  }

  replace(price: number): number | null {
    if (this.count === 0) return this.add(price);
    this.count = this.savedCount;
    this.seedSum = this.savedSeedSum;
    this.average = this.savedAverage;
    this.step(price);
    return this.result;
  }

  reset(): void {
    this.count = 0;
    this.seedSum = 0;
    this.average = Number.NaN;
    this.savedCount = 0;
    this.savedSeedSum = 0;
    this.savedAverage = Number.NaN;
  }

  private step(price: number): void {
    const count = ++this.count;
    const period = this.period;
    if (count > period) {
      this.average += (price - this.average) * this.smoothing;
    } else {
      this.seedSum += price;
      if (count === period) this.average = this.seedSum / period;
    }
  }
}

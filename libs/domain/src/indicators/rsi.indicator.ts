import { assertPeriod, type NumericIndicator } from './indicator.js';

/**
 * Relative Strength Index (Wilder 1978): average gain and average loss of the close-to-close
 * changes, each smoothed with Wilder's average (weight 1 / period) seeded by the simple mean of
 * the first `period` changes; RSI = 100 × gain / (gain + loss). Needs `period + 1` closes.
 *
 * No losses gives 100 (Wilder: RS is infinite). No movement at all gives 50, where references
 * disagree (`trading-signals` 100, TA-Lib 0): a flat market is neither overbought nor oversold.
 * The two averages are inlined rather than two {@link WilderAverage}s: this is a hot path.
 */
export class RSI implements NumericIndicator<number> {
  readonly period: number;
  readonly warmUp: number;
  private readonly weight: number;
  /** Closes seen. */
  private count = 0;
  private previous = Number.NaN;
  private averageGain = 0;
  private averageLoss = 0;
  private current = Number.NaN;
  private savedCount = 0;
  private savedPrevious = Number.NaN;
  private savedGain = 0;
  private savedLoss = 0;

  constructor(period = 14) {
    assertPeriod('RSI period', period);
    this.period = period;
    this.warmUp = period + 1;
    this.weight = 1 / period;
  }

  get isStable(): boolean {
    return this.count > this.period;
  }

  /** RSI, NaN while warming up. */
  get value(): number {
    return this.current;
  }

  get result(): number | null {
    return this.count > this.period ? this.current : null;
  }

  add(price: number): number | null {
    this.update(price);
    return this.result;
  }

  update(price: number): void {
    this.savedCount = this.count;
    this.savedPrevious = this.previous;
    this.savedGain = this.averageGain;
    this.savedLoss = this.averageLoss;
    this.step(price);
  }

  replace(price: number): number | null {
    if (this.count === 0) return this.add(price);
    this.count = this.savedCount;
    this.previous = this.savedPrevious;
    this.averageGain = this.savedGain;
    this.averageLoss = this.savedLoss;
    this.step(price);
    return this.result;
  }

  reset(): void {
    this.count = this.savedCount = 0;
    this.previous = this.savedPrevious = Number.NaN;
    this.averageGain = this.averageLoss = this.savedGain = this.savedLoss = 0;
    this.current = Number.NaN;
  }

  private step(price: number): void {
    const count = ++this.count;
    const change = price - this.previous;
    this.previous = price;
    if (count === 1) return;
    const gain = change > 0 ? change : 0;
    const loss = change < 0 ? -change : 0;
    const period = this.period;
    if (count <= period) {
      // Seeding: accumulate the first `period` changes as sums.
      this.averageGain += gain;
      this.averageLoss += loss;
      this.current = Number.NaN;
      return;
    }
    if (count === period + 1) {
      this.averageGain = (this.averageGain + gain) / period;
      this.averageLoss = (this.averageLoss + loss) / period;
    } else {
      this.averageGain += (gain - this.averageGain) * this.weight;
      this.averageLoss += (loss - this.averageLoss) * this.weight;
    }
    const averageGain = this.averageGain;
    const averageLoss = this.averageLoss;
    const total = averageGain + averageLoss;
    this.current = total === 0 ? 50 : averageLoss === 0 ? 100 : (100 * averageGain) / total;
  }
}

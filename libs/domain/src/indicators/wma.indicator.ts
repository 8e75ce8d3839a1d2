import { assertPeriod, type NumericIndicator } from './indicator.js';
import { RollingWindow } from './rolling-window.js';

/**
 * Linearly weighted moving average: weights 1..period from oldest to newest, divided by
 * period * (period + 1) / 2. O(1) per update: with S the plain sum and W the weighted sum of the
 * window, sliding in `x` gives W' = W + period * x - S and S' = S + x - evicted. Both sums are
 * recomputed from the window once per rotation.
 */
export class WMA implements NumericIndicator<number> {
  readonly period: number;
  readonly warmUp: number;
  private readonly window: RollingWindow;
  private readonly divisor: number;
  private sum = 0;
  private weightedSum = 0;
  private savedSum = 0;
  private savedWeightedSum = 0;
  private current = Number.NaN;

  constructor(period: number) {
    assertPeriod('WMA period', period);
    this.period = period;
    this.warmUp = period;
    this.window = new RollingWindow(period);
    this.divisor = (period * (period + 1)) / 2;
  }

  get isStable(): boolean {
    return this.window.isFull;
  }

  /** The average, NaN while warming up. */
  get value(): number {
    return this.current;
  }

  get result(): number | null {
    return this.window.isFull ? this.current : null;
  }

  add(price: number): number | null {
    this.update(price);
    return this.result;
  }

  update(price: number): void {
    this.savedSum = this.sum;
    this.savedWeightedSum = this.weightedSum;
    this.step(price);
  }

  replace(price: number): number | null {
    if (this.window.size === 0) return this.add(price);
    this.window.undo();
    this.sum = this.savedSum;
    this.weightedSum = this.savedWeightedSum;
    this.step(price);
    return this.result;
  }

  reset(): void {
    this.window.reset();
    this.sum = 0;
    this.weightedSum = 0;
    this.savedSum = 0;
    this.savedWeightedSum = 0;
    this.current = Number.NaN;
  }

  private step(price: number): void {
    const window = this.window;
    window.push(price);
    const evicted = window.evicted;
    if (window.atRotation) {
      this.recompute();
    } else if (evicted === evicted) {
      this.weightedSum += this.period * price - this.sum;
      this.sum += price - evicted;
    } else {
      this.weightedSum += window.size * price;
      this.sum += price;
    }
    this.current = window.isFull ? this.weightedSum / this.divisor : Number.NaN;
  }

  private recompute(): void {
    const window = this.window;
    let sum = 0;
    let weightedSum = 0;
    for (let i = 0; i < window.size; i++) {
      const value = window.at(i);
      sum += value;
      weightedSum += (i + 1) * value;
    }
    this.sum = sum;
    this.weightedSum = weightedSum;
  }
}

import { assertPeriod, type NumericIndicator } from './indicator.js';
import { RollingWindow } from './rolling-window.js';

/**
 * Simple moving average: the mean of the last `period` inputs. O(1) per update with a running
 * sum that is recomputed from the window once per rotation, so drift stays at a few ulps.
 */
export class SMA implements NumericIndicator<number> {
  readonly period: number;
  readonly warmUp: number;
  private readonly window: RollingWindow;
  private sum = 0;
  private savedSum = 0;
  private current = Number.NaN;

  constructor(period: number) {
    assertPeriod('SMA period', period);
    this.period = period;
    this.warmUp = period;
    this.window = new RollingWindow(period);
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
    this.step(price);
  }

  replace(price: number): number | null {
    if (this.window.size === 0) return this.add(price);
    this.window.undo();
    this.sum = this.savedSum;
    this.step(price);
    return this.result;
  }

  reset(): void {
    this.window.reset();
    this.sum = 0;
    this.savedSum = 0;
    this.current = Number.NaN;
  }

  private step(price: number): void {
    const window = this.window;
    window.push(price);
    const evicted = window.evicted;
    if (window.atRotation) {
      this.sum = window.sum();
    } else {
      this.sum = evicted === evicted ? this.sum + price - evicted : this.sum + price;
    }
    this.current = window.isFull ? this.sum / this.period : Number.NaN;
  }
}

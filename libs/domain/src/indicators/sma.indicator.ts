import { assertPeriod, type PriceIndicator } from './indicator.js';
import { RollingWindow } from './rolling-window.js';

/**
 * Simple moving average: the mean of the last `period` inputs. O(1) per update with a running
 * sum that is recomputed from the window once per rotation, so drift stays at a few ulps.
 */
export class SMA implements PriceIndicator {
  readonly period: number;
  readonly warmUp: number;
  private readonly window: RollingWindow;
  private sum = 0;
  private savedSum = 0;
  private value = Number.NaN;

  constructor(period: number) {
    assertPeriod('SMA period', period);
    this.period = period;
    this.warmUp = period;
    this.window = new RollingWindow(period);
  }

  get isStable(): boolean {
    return this.window.isFull;
  }

  get result(): number | null {
    return this.window.isFull ? this.value : null;
  }

  add(price: number): number | null {
    this.savedSum = this.sum;
    return this.step(price);
  }

  replace(price: number): number | null {
    if (this.window.size === 0) return this.add(price);
    this.window.undo();
    this.sum = this.savedSum;
    return this.step(price);
  }

  reset(): void {
    this.window.reset();
    this.sum = 0;
    this.savedSum = 0;
    this.value = Number.NaN;
  }

  private step(price: number): number | null {
    const window = this.window;
    const evicted = window.push(price);
    if (window.atRotation) {
      this.sum = window.sum();
    } else {
      this.sum = evicted === evicted ? this.sum + price - evicted : this.sum + price;
    }
    if (!window.isFull) return null;
    this.value = this.sum / this.period;
    return this.value;
  }
}

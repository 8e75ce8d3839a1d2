import { assertPeriod, type CandleIndicator, type HighLowClose } from './indicator.js';
import { RollingWindow } from './rolling-window.js';

/**
 * Commodity Channel Index (Lambert 1980): (TP − SMA(TP)) / (0.015 × mean absolute deviation of
 * TP from that SMA), TP = (high + low + close) / 3. The mean deviation depends on the current
 * mean, so each update costs O(period); the sum behind the SMA is O(1). A window of identical
 * typical prices has no deviation and gives 0 (the references divide by zero there).
 */
export class CCI implements CandleIndicator {
  static readonly LAMBERT_CONSTANT = 0.015;
  readonly period: number;
  readonly warmUp: number;
  private readonly window: RollingWindow;
  private sum = 0;
  private savedSum = 0;
  private value = Number.NaN;

  constructor(period = 20) {
    assertPeriod('CCI period', period);
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

  add(bar: HighLowClose): number | null {
    this.savedSum = this.sum;
    return this.step(bar);
  }

  replace(bar: HighLowClose): number | null {
    if (this.window.size === 0) return this.add(bar);
    this.window.undo();
    this.sum = this.savedSum;
    return this.step(bar);
  }

  reset(): void {
    this.window.reset();
    this.sum = 0;
    this.savedSum = 0;
    this.value = Number.NaN;
  }

  private step(bar: HighLowClose): number | null {
    const window = this.window;
    const typical = (bar.high + bar.low + bar.close) / 3;
    const evicted = window.push(typical);
    if (window.atRotation) this.sum = window.sum();
    else this.sum = evicted === evicted ? this.sum + typical - evicted : this.sum + typical;
    if (!window.isFull) return null;
    const period = this.period;
    const mean = this.sum / period;
    let deviation = 0;
    for (let i = 0; i < period; i++) {
      const difference = window.at(i) - mean;
      deviation += difference < 0 ? -difference : difference;
    }
    const meanDeviation = deviation / period;
    this.value = meanDeviation === 0 ? 0 : (typical - mean) / (CCI.LAMBERT_CONSTANT * meanDeviation);
    return this.value;
  }
}

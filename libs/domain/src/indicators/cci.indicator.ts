import { assertPeriod, type HighLowClose, type NumericIndicator } from './indicator.js';
import { RollingWindow } from './rolling-window.js';

/**
 * Commodity Channel Index (Lambert 1980): (TP − SMA(TP)) / (0.015 × mean absolute deviation of
 * TP from that SMA), TP = (high + low + close) / 3. The mean deviation depends on the current
 * mean, so each update costs O(period); the sum behind the SMA is O(1). A window of identical
 * typical prices has no deviation and gives 0 (the references divide by zero there).
 */
export class CCI implements NumericIndicator<HighLowClose> {
  static readonly LAMBERT_CONSTANT = 0.015;
  readonly period: number;
  readonly warmUp: number;
  private readonly window: RollingWindow;
  private sum = 0;
  private savedSum = 0;
  private current = Number.NaN;

  constructor(period = 20) {
    assertPeriod('CCI period', period);
    this.period = period;
    this.warmUp = period;
    this.window = new RollingWindow(period);
  }

  get isStable(): boolean {
    return this.window.isFull;
  }

  /** CCI, NaN while warming up. */
  get value(): number {
    return this.current;
  }

  get result(): number | null {
    return this.window.isFull ? this.current : null;
  }

  add(bar: HighLowClose): number | null {
    this.update(bar);
    return this.result;
  }

  update(bar: HighLowClose): void {
    this.savedSum = this.sum;
    this.step(bar);
  }

  replace(bar: HighLowClose): number | null {
    if (this.window.size === 0) return this.add(bar);
    this.window.undo();
    this.sum = this.savedSum;
    this.step(bar);
    return this.result;
  }

  reset(): void {
    this.window.reset();
    this.sum = 0;
    this.savedSum = 0;
    this.current = Number.NaN;
  }

  private step(bar: HighLowClose): void {
    const window = this.window;
    const typical = (bar.high + bar.low + bar.close) / 3;
    window.push(typical);
    const evicted = window.evicted;
    if (window.atRotation) this.sum = window.sum();
    else this.sum = evicted === evicted ? this.sum + typical - evicted : this.sum + typical;
    if (!window.isFull) return;
    const period = this.period;
    const mean = this.sum / period;
    let deviation = 0;
    for (let i = 0; i < period; i++) {
      const difference = window.at(i) - mean;
      deviation += difference < 0 ? -difference : difference;
    }
    const meanDeviation = deviation / period;
    this.current = meanDeviation === 0 ? 0 : (typical - mean) / (CCI.LAMBERT_CONSTANT * meanDeviation);
  }
}

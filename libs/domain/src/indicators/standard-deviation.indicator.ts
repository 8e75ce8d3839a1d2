import { assertPeriod, type NumericIndicator } from './indicator.js';
import { RollingWindow } from './rolling-window.js';

/**
 * Rolling population standard deviation (divisor `period`, as Bollinger defined his bands) of
 * the last `period` inputs, O(1) per update.
 *
 * The textbook one-pass E[x²] − E[x]² loses about eight digits on prices like 1.13 with a spread
 * of 1e-4. Here the sums are of deviations from an anchor near the window mean
 * (S1 = Σ(x − K), S2 = Σ(x − K)²): x − K is exact for nearby doubles, the squares are small, and
 * M2 = S2 − S1² / n keeps ~14 significant digits. Every rotation of the window the anchor moves
 * to the exact two-pass mean and both sums are recomputed, so nothing accumulates. A flat window
 * away from the anchor can still leave a residue near 1e-12 of the price level instead of 0.
 */
export class StandardDeviation implements NumericIndicator<number> {
  readonly period: number;
  readonly warmUp: number;
  private readonly window: RollingWindow;
  private anchor = 0;
  private s1 = 0;
  private s2 = 0;
  private savedAnchor = 0;
  private savedS1 = 0;
  private savedS2 = 0;
  private meanValue = Number.NaN;
  private current = Number.NaN;

  constructor(period: number) {
    assertPeriod('StandardDeviation period', period);
    this.period = period;
    this.warmUp = period;
    this.window = new RollingWindow(period);
  }

  get isStable(): boolean {
    return this.window.isFull;
  }

  /** σ, NaN while warming up. */
  get value(): number {
    return this.current;
  }

  get result(): number | null {
    return this.window.isFull ? this.current : null;
  }

  /** Mean of the window (NaN while warming up). */
  get mean(): number {
    return this.window.isFull ? this.meanValue : Number.NaN;
  }

  add(price: number): number | null {
    this.update(price);
    return this.result;
  }

  update(price: number): void {
    this.savedAnchor = this.anchor;
    this.savedS1 = this.s1;
    this.savedS2 = this.s2;
    this.step(price);
  }

  replace(price: number): number | null {
    if (this.window.size === 0) return this.add(price);
    this.window.undo();
    this.anchor = this.savedAnchor;
    this.s1 = this.savedS1;
    this.s2 = this.savedS2;
    this.step(price);
    return this.result;
  }

  reset(): void {
    this.window.reset();
    this.anchor = this.s1 = this.s2 = 0;
    this.savedAnchor = this.savedS1 = this.savedS2 = 0;
    this.meanValue = Number.NaN;
    this.current = Number.NaN;
  }

  private step(price: number): void {
    const window = this.window;
    if (window.size === 0) this.anchor = price;
    window.push(price);
    const evicted = window.evicted;
    if (window.atRotation) {
      this.recompute();
    } else {
      const deviation = price - this.anchor;
      this.s1 += deviation;
      this.s2 += deviation * deviation;
      if (evicted === evicted) {
        const old = evicted - this.anchor;
        this.s1 -= old;
        this.s2 -= old * old;
      }
    }
    if (!window.isFull) return;
    const n = this.period;
    this.meanValue = this.anchor + this.s1 / n;
    const m2 = this.s2 - (this.s1 * this.s1) / n;
    // Rounding can leave a flat window with a tiny negative M2.
    this.current = m2 > 0 ? Math.sqrt(m2 / n) : 0;
  }

  private recompute(): void {
    const window = this.window;
    const n = window.size;
    const anchor = window.sum() / n;
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const deviation = window.at(i) - anchor;
      s1 += deviation;
      s2 += deviation * deviation;
    }
    this.anchor = anchor;
    this.s1 = s1;
    this.s2 = s2;
  }
}

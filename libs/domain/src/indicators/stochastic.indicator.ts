import { assertPeriod, type CandleIndicator, type HighLowClose } from './indicator.js';
import { RollingExtremum } from './rolling-extremum.js';
import { SMA } from './sma.indicator.js';

/** Stochastic oscillator values, 0..100. */
export interface StochasticResult {
  /** %K: the (slowed) position of the close in the high-low range. */
  readonly k: number;
  /** %D: SMA(dPeriod) of %K. */
  readonly d: number;
}

/**
 * The full stochastic oscillator (Lane): raw %K = 100 × (close − lowest low) / (highest high −
 * lowest low) over `kPeriod` bars; %K = SMA(kSlowing) of raw %K; %D = SMA(dPeriod) of %K.
 * `kSlowing = 1` is the fast stochastic, `kSlowing = 3` the usual slow one. A window with no
 * range gives raw %K = 0, as TA-Lib, `trading-signals` and `technicalindicators` all do.
 */
export class Stochastic implements CandleIndicator<StochasticResult> {
  readonly kPeriod: number;
  readonly kSlowing: number;
  readonly dPeriod: number;
  readonly warmUp: number;
  private readonly highs: RollingExtremum;
  private readonly lows: RollingExtremum;
  private readonly slowK: SMA;
  private readonly slowD: SMA;
  private cached: StochasticResult | null = null;

  constructor(kPeriod = 14, kSlowing = 3, dPeriod = 3) {
    assertPeriod('Stochastic kPeriod', kPeriod);
    assertPeriod('Stochastic kSlowing', kSlowing);
    assertPeriod('Stochastic dPeriod', dPeriod);
    this.kPeriod = kPeriod;
    this.kSlowing = kSlowing;
    this.dPeriod = dPeriod;
    this.warmUp = kPeriod + kSlowing + dPeriod - 2;
    this.highs = new RollingExtremum(kPeriod, 'max');
    this.lows = new RollingExtremum(kPeriod, 'min');
    this.slowK = new SMA(kSlowing);
    this.slowD = new SMA(dPeriod);
  }

  get isStable(): boolean {
    return this.slowD.isStable;
  }

  /** %K, NaN while warming up. */
  get k(): number {
    return this.slowD.isStable ? this.slowK.value : Number.NaN;
  }

  /** %D, NaN while warming up. */
  get d(): number {
    return this.slowD.value;
  }

  get result(): StochasticResult | null {
    if (!this.slowD.isStable) return null;
    return (this.cached ??= { k: this.slowK.value, d: this.slowD.value });
  }

  add(bar: HighLowClose): StochasticResult | null {
    this.update(bar);
    return this.result;
  }

  update(bar: HighLowClose): void {
    this.cached = null;
    this.highs.push(bar.high);
    this.lows.push(bar.low);
    if (!this.highs.isFull) return;
    this.slowK.update(this.rawK(bar.close));
    if (this.slowK.isStable) this.slowD.update(this.slowK.value);
  }

  replace(bar: HighLowClose): StochasticResult | null {
    if (this.highs.size === 0) return this.add(bar);
    this.cached = null;
    this.highs.undo();
    this.lows.undo();
    this.highs.push(bar.high);
    this.lows.push(bar.low);
    if (!this.highs.isFull) return null;
    this.slowK.replace(this.rawK(bar.close));
    if (this.slowK.isStable) this.slowD.replace(this.slowK.value);
    return this.result;
  }

  reset(): void {
    this.highs.reset();
    this.lows.reset();
    this.slowK.reset();
    this.slowD.reset();
    this.cached = null;
  }

  private rawK(close: number): number {
    const lowest = this.lows.value;
    const range = this.highs.value - lowest;
    return range === 0 ? 0 : (100 * (close - lowest)) / range;
  }
}

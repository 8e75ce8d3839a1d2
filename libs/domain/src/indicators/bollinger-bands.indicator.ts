import { assertPeriod, type PriceIndicator } from './indicator.js';
import { StandardDeviation } from './standard-deviation.indicator.js';

/** Bollinger Bands: middle = SMA(period), upper/lower = middle ± multiplier × population σ. */
export interface BollingerBandsResult {
  readonly upper: number;
  readonly middle: number;
  readonly lower: number;
  /** The standard deviation the bands were built from. */
  readonly deviation: number;
}

/** Bollinger Bands (Bollinger 2001: 20 periods, 2 standard deviations, population σ). */
export class BollingerBands implements PriceIndicator<BollingerBandsResult> {
  readonly period: number;
  readonly multiplier: number;
  readonly warmUp: number;
  private readonly deviation: StandardDeviation;
  private cached: BollingerBandsResult | null = null;

  constructor(period = 20, multiplier = 2) {
    assertPeriod('BollingerBands period', period);
    if (!(multiplier > 0)) throw new RangeError(`BollingerBands multiplier must be positive, got ${multiplier}`);
    this.period = period;
    this.multiplier = multiplier;
    this.warmUp = period;
    this.deviation = new StandardDeviation(period);
  }

  get isStable(): boolean {
    return this.deviation.isStable;
  }

  /** Middle band (the mean), NaN while warming up. */
  get middle(): number {
    return this.deviation.mean;
  }

  /** Upper band, NaN while warming up. */
  get upper(): number {
    return this.deviation.mean + this.deviation.value * this.multiplier;
  }

  /** Lower band, NaN while warming up. */
  get lower(): number {
    return this.deviation.mean - this.deviation.value * this.multiplier;
  }

  get result(): BollingerBandsResult | null {
    if (!this.deviation.isStable) return null;
    return (this.cached ??= { upper: this.upper, middle: this.middle, lower: this.lower, deviation: this.deviation.value });
  }

  add(price: number): BollingerBandsResult | null {
    this.update(price);
    return this.result;
  }

  update(price: number): void {
    this.cached = null;
    this.deviation.update(price);
  }

  replace(price: number): BollingerBandsResult | null {
    this.cached = null;
    this.deviation.replace(price);
    return this.result;
  }

  reset(): void {
    this.deviation.reset();
    this.cached = null;
  }
}

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
  private current: BollingerBandsResult | null = null;

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

  get result(): BollingerBandsResult | null {
    return this.current;
  }

  add(price: number): BollingerBandsResult | null {
    return this.publish(this.deviation.add(price));
  }

  replace(price: number): BollingerBandsResult | null {
    return this.publish(this.deviation.replace(price));
  }

  reset(): void {
    this.deviation.reset();
    this.current = null;
  }

  private publish(deviation: number | null): BollingerBandsResult | null {
    if (deviation === null) return (this.current = null);
    const middle = this.deviation.mean;
    const width = deviation * this.multiplier;
    this.current = { upper: middle + width, middle, lower: middle - width, deviation };
    return this.current;
  }
}

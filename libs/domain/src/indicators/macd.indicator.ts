import { assertPeriod, type PriceIndicator } from './indicator.js';
import { EMA } from './ema.indicator.js';

/** MACD line, its signal line and their difference. */
export interface MacdResult {
  /** EMA(fast) − EMA(slow). */
  readonly macd: number;
  /** EMA(signal) of the MACD line. */
  readonly signal: number;
  /** macd − signal. */
  readonly histogram: number;
}

/**
 * Moving Average Convergence/Divergence (Appel): EMA(fast) − EMA(slow) of the input, and an
 * EMA(signal) of that line; every EMA is seeded with a simple average (see {@link EMA}). The MACD
 * line exists after `slow` inputs and the signal after `slow + signal − 1`, which is `warmUp`.
 */
export class MACD implements PriceIndicator<MacdResult> {
  readonly fastPeriod: number;
  readonly slowPeriod: number;
  readonly signalPeriod: number;
  readonly warmUp: number;
  private readonly fast: EMA;
  private readonly slow: EMA;
  private readonly signal: EMA;
  private current: MacdResult | null = null;

  constructor(fastPeriod = 12, slowPeriod = 26, signalPeriod = 9) {
    assertPeriod('MACD fast period', fastPeriod);
    assertPeriod('MACD slow period', slowPeriod);
    assertPeriod('MACD signal period', signalPeriod);
    if (fastPeriod >= slowPeriod) throw new RangeError(`MACD fast period (${fastPeriod}) must be below slow (${slowPeriod})`);
    this.fastPeriod = fastPeriod;
    this.slowPeriod = slowPeriod;
    this.signalPeriod = signalPeriod;
    this.warmUp = slowPeriod + signalPeriod - 1;
    this.fast = new EMA(fastPeriod);
    this.slow = new EMA(slowPeriod);
    this.signal = new EMA(signalPeriod);
  }

  get isStable(): boolean {
    return this.signal.isStable;
  }

  get result(): MacdResult | null {
    return this.current;
  }

  add(price: number): MacdResult | null {
    const fast = this.fast.add(price);
    const slow = this.slow.add(price);
    if (fast === null || slow === null) return null;
    const macd = fast - slow;
    return this.publish(macd, this.signal.add(macd));
  }

  replace(price: number): MacdResult | null {
    const fast = this.fast.replace(price);
    const slow = this.slow.replace(price);
    if (fast === null || slow === null) return null;
    const macd = fast - slow;
    return this.publish(macd, this.signal.replace(macd));
  }

  reset(): void {
    this.fast.reset();
    this.slow.reset();
    this.signal.reset();
    this.current = null;
  }

  private publish(macd: number, signal: number | null): MacdResult | null {
    this.current = signal === null ? null : { macd, signal, histogram: macd - signal };
    return this.current;
  }
}

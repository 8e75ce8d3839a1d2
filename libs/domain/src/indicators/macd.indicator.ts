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
  private cached: MacdResult | null = null;

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

  /** The MACD line, NaN until the signal line exists too. */
  get line(): number {
    return this.signal.isStable ? this.fast.value - this.slow.value : Number.NaN;
  }

  /** The signal line, NaN while warming up. */
  get signalLine(): number {
    return this.signal.value;
  }

  /** MACD − signal, NaN while warming up. */
  get histogram(): number {
    return this.line - this.signal.value;
  }

  get result(): MacdResult | null {
    if (!this.signal.isStable) return null;
    return (this.cached ??= { macd: this.line, signal: this.signal.value, histogram: this.histogram });
  }

  add(price: number): MacdResult | null {
    this.update(price);
    return this.result;
  }

  update(price: number): void {
    this.cached = null;
    this.fast.update(price);
    this.slow.update(price);
    if (this.slow.isStable) this.signal.update(this.fast.value - this.slow.value);
  }

  replace(price: number): MacdResult | null {
    this.cached = null;
    this.fast.replace(price);
    this.slow.replace(price);
    if (this.slow.isStable) this.signal.replace(this.fast.value - this.slow.value);
    return this.result;
  }

  reset(): void {
    this.fast.reset();
    this.slow.reset();
    this.signal.reset();
    this.cached = null;
  }
}

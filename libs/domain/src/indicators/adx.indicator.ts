import { assertPeriod, type CandleIndicator, type HighLowClose } from './indicator.js';
import { trueRange } from './atr.indicator.js';
import { WilderAverage } from './wilder-average.indicator.js';

/** Average Directional Index with its directional indicators, all 0..100. */
export interface AdxResult {
  readonly adx: number;
  /** +DI. */
  readonly pdi: number;
  /** −DI. */
  readonly mdi: number;
}

/**
 * ADX/DMI as Wilder (1978) defined it: from the second bar on, +DM = up move when it exceeds
 * the down move and is positive (else 0), −DM likewise; TR, +DM and −DM are Wilder-smoothed
 * (seeded with their first `period` values), ±DI = 100 × smoothed DM / smoothed TR,
 * DX = 100 × |+DI − −DI| / (+DI + −DI), and ADX is the Wilder average of DX. The first DI comes
 * on bar `period + 1` and the first ADX on bar `2 × period`, which is `warmUp`.
 * No directional movement at all (+DI + −DI = 0) gives DX = 0.
 */
export class ADX implements CandleIndicator<AdxResult> {
  readonly period: number;
  readonly warmUp: number;
  private readonly range: WilderAverage;
  private readonly plusMove: WilderAverage;
  private readonly minusMove: WilderAverage;
  private readonly dx: WilderAverage;
  private previousHigh = Number.NaN;
  private previousLow = Number.NaN;
  private previousClose = Number.NaN;
  private savedHigh = Number.NaN;
  private savedLow = Number.NaN;
  private savedClose = Number.NaN;
  private hasInput = false;
  private plusIndicator = Number.NaN;
  private minusIndicator = Number.NaN;
  private cached: AdxResult | null = null;

  constructor(period = 14) {
    assertPeriod('ADX period', period);
    this.period = period;
    this.warmUp = 2 * period;
    this.range = new WilderAverage(period);
    this.plusMove = new WilderAverage(period);
    this.minusMove = new WilderAverage(period);
    this.dx = new WilderAverage(period);
  }

  get isStable(): boolean {
    return this.dx.isStable;
  }

  /** ADX, NaN while warming up. */
  get adx(): number {
    return this.dx.value;
  }

  /** +DI, NaN until ADX is warm. */
  get pdi(): number {
    return this.dx.isStable ? this.plusIndicator : Number.NaN;
  }

  /** −DI, NaN until ADX is warm. */
  get mdi(): number {
    return this.dx.isStable ? this.minusIndicator : Number.NaN;
  }

  get result(): AdxResult | null {
    if (!this.dx.isStable) return null;
    return (this.cached ??= { adx: this.dx.value, pdi: this.plusIndicator, mdi: this.minusIndicator });
  }

  add(bar: HighLowClose): AdxResult | null {
    this.update(bar);
    return this.result;
  }

  update(bar: HighLowClose): void {
    this.savedHigh = this.previousHigh;
    this.savedLow = this.previousLow;
    this.savedClose = this.previousClose;
    this.hasInput = true;
    this.step(bar, false);
  }

  replace(bar: HighLowClose): AdxResult | null {
    if (!this.hasInput) return this.add(bar);
    this.previousHigh = this.savedHigh;
    this.previousLow = this.savedLow;
    this.previousClose = this.savedClose;
    this.step(bar, true);
    return this.result;
  }

  reset(): void {
    for (const average of [this.range, this.plusMove, this.minusMove, this.dx]) average.reset();
    this.previousHigh = this.previousLow = this.previousClose = Number.NaN;
    this.savedHigh = this.savedLow = this.savedClose = Number.NaN;
    this.plusIndicator = this.minusIndicator = Number.NaN;
    this.hasInput = false;
    this.cached = null;
  }

  private step(bar: HighLowClose, replacing: boolean): void {
    this.cached = null;
    const { high, low, close } = bar;
    const previousHigh = this.previousHigh;
    const previousLow = this.previousLow;
    const previousClose = this.previousClose;
    this.previousHigh = high;
    this.previousLow = low;
    this.previousClose = close;
    if (previousClose !== previousClose) return;
    const upMove = high - previousHigh;
    const downMove = previousLow - low;
    const plus = upMove > downMove && upMove > 0 ? upMove : 0;
    const minus = downMove > upMove && downMove > 0 ? downMove : 0;
    const range = trueRange(high, low, previousClose);
    if (replacing) {
      this.range.replace(range);
      this.plusMove.replace(plus);
      this.minusMove.replace(minus);
    } else {
      this.range.update(range);
      this.plusMove.update(plus);
      this.minusMove.update(minus);
    }
    if (!this.range.isStable) return;
    const smoothedRange = this.range.value;
    const pdi = smoothedRange === 0 ? 0 : (100 * this.plusMove.value) / smoothedRange;
    const mdi = smoothedRange === 0 ? 0 : (100 * this.minusMove.value) / smoothedRange;
    this.plusIndicator = pdi;
    this.minusIndicator = mdi;
    const sum = pdi + mdi;
    const dx = sum === 0 ? 0 : (100 * Math.abs(pdi - mdi)) / sum;
    if (replacing) this.dx.replace(dx);
    else this.dx.update(dx);
  }
}

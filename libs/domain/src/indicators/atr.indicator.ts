import { assertPeriod, type HighLowClose, type NumericIndicator } from './indicator.js';
import { WilderAverage } from './wilder-average.indicator.js';

/**
 * True range of a bar given the previous close: max(high − low, |high − prevClose|,
 * |low − prevClose|); the first bar, with no previous close, is high − low.
 */
export function trueRange(high: number, low: number, previousClose: number): number {
  const range = high - low;
  if (previousClose !== previousClose) return range;
  const up = high > previousClose ? high - previousClose : previousClose - high;
  const down = low > previousClose ? low - previousClose : previousClose - low;
  return range >= up ? (range >= down ? range : down) : up >= down ? up : down;
}

/**
 * Average True Range (Wilder 1978): Wilder's average of the true range. As in Wilder's worksheet
 * and StockCharts, the first bar's true range is its high − low and the first ATR is the mean of
 * the first `period` true ranges, so ATR is available after `period` bars (`trading-signals`
 * does the same; `technicalindicators` skips the first bar).
 */
export class ATR implements NumericIndicator<HighLowClose> {
  readonly period: number;
  readonly warmUp: number;
  private readonly average: WilderAverage;
  private previousClose = Number.NaN;
  private savedPreviousClose = Number.NaN;
  private hasInput = false;

  constructor(period = 14) {
    assertPeriod('ATR period', period);
    this.period = period;
    this.warmUp = period;
    this.average = new WilderAverage(period);
  }

  get isStable(): boolean {
    return this.average.isStable;
  }

  /** ATR in price units, NaN while warming up. */
  get value(): number {
    return this.average.value;
  }

  get result(): number | null {
    return this.average.result;
  }

  add(bar: HighLowClose): number | null {
    this.update(bar);
    return this.average.result;
  }

  update(bar: HighLowClose): void {
    const previousClose = this.previousClose;
    this.savedPreviousClose = previousClose;
    this.hasInput = true;
    // trueRange() spelled out: a double returned from a call the JIT leaves un-inlined is boxed,
    // an allocation per bar on the backtest's hot path.
    const high = bar.high;
    const low = bar.low;
    let range = high - low;
    if (previousClose === previousClose) {
      const up = high > previousClose ? high - previousClose : previousClose - high;
      const down = low > previousClose ? low - previousClose : previousClose - low;
      if (up > range) range = up;
      if (down > range) range = down;
    }
    this.previousClose = bar.close;
    this.average.update(range);
  }

  replace(bar: HighLowClose): number | null {
    if (!this.hasInput) return this.add(bar);
    const range = trueRange(bar.high, bar.low, this.savedPreviousClose);
    this.previousClose = bar.close;
    return this.average.replace(range);
  }

  reset(): void {
    this.average.reset();
    this.previousClose = Number.NaN;
    this.savedPreviousClose = Number.NaN;
    this.hasInput = false;
  }
}

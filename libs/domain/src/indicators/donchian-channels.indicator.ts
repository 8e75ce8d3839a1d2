import { assertPeriod, type CandleIndicator, type HighLowClose } from './indicator.js';
import { RollingExtremum } from './rolling-extremum.js';

/** Donchian channel over the window, the current bar included. */
export interface DonchianChannelsResult {
  /** Highest high. */
  readonly upper: number;
  /** (upper + lower) / 2. */
  readonly middle: number;
  /** Lowest low. */
  readonly lower: number;
}

/**
 * Donchian channels: highest high and lowest low of the last `period` bars, current bar
 * included (a breakout rule compares a close with the channel of the bars before it).
 */
export class DonchianChannels implements CandleIndicator<DonchianChannelsResult> {
  readonly period: number;
  readonly warmUp: number;
  private readonly highs: RollingExtremum;
  private readonly lows: RollingExtremum;
  private cached: DonchianChannelsResult | null = null;

  constructor(period = 20) {
    assertPeriod('DonchianChannels period', period);
    this.period = period;
    this.warmUp = period;
    this.highs = new RollingExtremum(period, 'max');
    this.lows = new RollingExtremum(period, 'min');
  }

  get isStable(): boolean {
    return this.highs.isFull;
  }

  /** Highest high of the window, NaN while warming up. */
  get upper(): number {
    return this.highs.isFull ? this.highs.value : Number.NaN;
  }

  /** Lowest low of the window, NaN while warming up. */
  get lower(): number {
    return this.lows.isFull ? this.lows.value : Number.NaN;
  }

  /** (upper + lower) / 2, NaN while warming up. */
  get middle(): number {
    return (this.upper + this.lower) / 2;
  }

  get result(): DonchianChannelsResult | null {
    if (!this.highs.isFull) return null;
    return (this.cached ??= { upper: this.upper, middle: this.middle, lower: this.lower });
  }

  add(bar: HighLowClose): DonchianChannelsResult | null {
    this.update(bar);
    return this.result;
  }

  update(bar: HighLowClose): void {
    this.cached = null;
    this.highs.push(bar.high);
    this.lows.push(bar.low);
  }

  replace(bar: HighLowClose): DonchianChannelsResult | null {
    if (this.highs.size === 0) return this.add(bar);
    this.highs.undo();
    this.lows.undo();
    return this.add(bar);
  }

  reset(): void {
    this.highs.reset();
    this.lows.reset();
    this.cached = null;
  }
}

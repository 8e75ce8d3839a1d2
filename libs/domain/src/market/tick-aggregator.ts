import type { Bar, FormingBar } from './bar.js';
import { MS_PER_MINUTE } from './civil-time.js';

/** A quote as the aggregator needs it: time in epoch ms UTC, bid price as a number. */
export interface TickInput {
  readonly time: number;
  readonly bid: number;
  /** Traded volume of the tick, where the venue reports one (crypto); summed into `realVolume`. */
  readonly volume?: number;
}

/** Outcome of {@link TickAggregator.add}: the minute it closed, if any, and whether the tick was used. */
export type TickAddResult =
  | { readonly accepted: true; readonly closed: Bar | undefined }
  /** `late`: the tick belongs to a minute already closed; a closed bar is never amended. */
  | { readonly accepted: false; readonly reason: 'late' | 'invalid-price' | 'invalid-time'; readonly closed: undefined };

interface Minute {
  openTime: number;
  open: number;
  high: number;
  low: number;
  close: number;
  ticks: number;
  volume: number | undefined;
}

/**
 * Live ticks → M1 bars from bid prices (as MT5 builds its charts), tick count as `tickVolume`.
 * A minute closes when a tick of a later minute arrives or when `flush(upTo)` says the clock has
 * passed its end; until then it is available through `forming()`, flagged not final.
 */
export class TickAggregator {
  private minute: Minute | undefined;
  private closedUpTo = Number.NEGATIVE_INFINITY;

  constructor(private readonly venue: string, private readonly symbol: string) {}

  add(tick: TickInput): TickAddResult {
    if (!Number.isFinite(tick.time)) return { accepted: false, reason: 'invalid-time', closed: undefined };
    if (!(tick.bid > 0 && Number.isFinite(tick.bid))) return { accepted: false, reason: 'invalid-price', closed: undefined };
    const start = tick.time - (((tick.time % MS_PER_MINUTE) + MS_PER_MINUTE) % MS_PER_MINUTE);
    if (start < this.closedUpTo || (this.minute && start < this.minute.openTime)) return { accepted: false, reason: 'late', closed: undefined };
    let closed: Bar | undefined;
    if (this.minute && start > this.minute.openTime) closed = this.emit();
    const minute = this.minute;
    if (!minute) {
      this.minute = { openTime: start, open: tick.bid, high: tick.bid, low: tick.bid, close: tick.bid, ticks: 1, volume: tick.volume };
    } else {
      if (tick.bid > minute.high) minute.high = tick.bid;
      if (tick.bid < minute.low) minute.low = tick.bid;
      minute.close = tick.bid;
      minute.ticks++;
      if (tick.volume !== undefined) minute.volume = (minute.volume ?? 0) + tick.volume;
    }
    return { accepted: true, closed };
  }

  /** Closes the forming minute if `upTo` (epoch ms, a clock mark) is at or past its end. */
  flush(upTo: number): Bar | undefined {
    const closed = this.minute && upTo >= this.minute.openTime + MS_PER_MINUTE ? this.emit() : undefined;
    // The clock has passed every minute before the one holding `upTo`: a tick for them is late.
    if (!this.minute && Number.isFinite(upTo)) {
      this.closedUpTo = Math.max(this.closedUpTo, upTo - (((upTo % MS_PER_MINUTE) + MS_PER_MINUTE) % MS_PER_MINUTE));
    }
    return closed;
  }

  /** The minute being built, flagged as not final. */
  forming(): FormingBar | undefined {
    return this.minute ? { ...this.toBar(this.minute), final: false } : undefined;
  }

  private emit(): Bar {
    const minute = this.minute!;
    this.minute = undefined;
    this.closedUpTo = minute.openTime + MS_PER_MINUTE;
    return this.toBar(minute);
  }

  private toBar(minute: Minute): Bar {
    return {
      venue: this.venue, symbol: this.symbol, timeframe: 'M1', openTime: minute.openTime,
      open: minute.open, high: minute.high, low: minute.low, close: minute.close, tickVolume: minute.ticks, realVolume: minute.volume,
    };
  }
}

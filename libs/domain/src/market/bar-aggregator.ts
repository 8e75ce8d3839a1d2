import type { Timeframe } from '@mt5/contracts';
import type { Bar, FormingBar } from './bar.js';
import { formatUtc } from './civil-time.js';
import { alignTime, barEnd, TimeframeDurations, type BarAlignment } from './timeframe.js';

/** Input that breaks the aggregator's contract (a programming error upstream, not bad data). */
export class BarSequenceError extends Error {
  readonly code = 'MD.BAR_SEQUENCE';
  readonly retryable = false;
  constructor(message: string) {
    super(message);
    this.name = 'BarSequenceError';
  }
}

export interface BarAggregatorOptions {
  /**
   * Bucket origin for H4 and D1 (default UTC midnight). For a broker day that starts at the New
   * York close, use `{ offsetAt: parseTimeZone('NY+7')!.offsetAt }`: D1 then starts at 22:00 UTC
   * in winter and 21:00 UTC in summer, as on an MT5 server with that clock.
   */
  readonly alignment?: BarAlignment;
}

interface Bucket {
  venue: string;
  symbol: string;
  openTime: number;
  end: number;
  open: number;
  high: number;
  low: number;
  close: number;
  tickVolume: number;
  spreadPoints: number | undefined;
  realVolume: number | undefined;
}

/**
 * Builds bars of a higher timeframe from closed bars of a lower one, incrementally.
 *
 * A bucket is emitted once it is closed: when a bar of a later bucket arrives, when a source bar
 * ends exactly at the bucket end (a closed M1 10:59 bar means 11:00 has passed), or on
 * `flush(upTo)` once `upTo` reaches the bucket end. Buckets without source bars produce nothing:
 * gaps stay gaps. Values: open of the first bar, highest high, lowest low, close of the last,
 * summed tick and real volume, and the lowest spread seen (our choice: the best quote of the period).
 */
export class BarAggregator {
  private readonly targetDuration: number;
  private bucket: Bucket | undefined;
  private lastSourceTime = Number.NEGATIVE_INFINITY;
  private identity: { venue: string; symbol: string; timeframe: Timeframe } | undefined;

  constructor(readonly target: Timeframe, private readonly options: BarAggregatorOptions = {}) {
    this.targetDuration = TimeframeDurations[target];
  }

  /** Adds the next closed source bar; returns the target bars this closes (zero, one or two). */
  add(bar: Bar): readonly Bar[] {
    this.checkSequence(bar);
    const closed: Bar[] = [];
    const bucketStart = alignTime(this.target, bar.openTime, this.options.alignment);
    if (this.bucket && bucketStart !== this.bucket.openTime) closed.push(this.emit());
    const sourceEnd = bar.openTime + TimeframeDurations[bar.timeframe];
    const bucket = this.bucket;
    if (!bucket) {
      const end = barEnd(this.target, bucketStart, this.options.alignment);
      if (sourceEnd > end) throw new BarSequenceError(`a ${bar.timeframe} bar at ${formatUtc(bar.openTime)} straddles the ${this.target} boundary ${formatUtc(end)}`);
      this.bucket = {
        venue: bar.venue, symbol: bar.symbol, openTime: bucketStart, end,
        open: bar.open, high: bar.high, low: bar.low, close: bar.close, tickVolume: bar.tickVolume,
        spreadPoints: bar.spreadPoints, realVolume: bar.realVolume,
      };
    } else {
      if (bar.high > bucket.high) bucket.high = bar.high;
      if (bar.low < bucket.low) bucket.low = bar.low;
      bucket.close = bar.close;
      bucket.tickVolume += bar.tickVolume;
      if (bar.spreadPoints !== undefined && !(bucket.spreadPoints !== undefined && bucket.spreadPoints <= bar.spreadPoints)) bucket.spreadPoints = bar.spreadPoints;
      if (bar.realVolume !== undefined) bucket.realVolume = (bucket.realVolume ?? 0) + bar.realVolume;
    }
    if (sourceEnd >= this.bucket!.end) closed.push(this.emit());
    return closed;
  }

  /** Emits the forming bucket if time `upTo` (epoch ms) has reached its end; otherwise nothing. */
  flush(upTo: number): Bar | undefined {
    return this.bucket && upTo >= this.bucket.end ? this.emit() : undefined;
  }

  /** The bucket being filled, flagged as not final; never store or publish it as a closed bar. */
  forming(): FormingBar | undefined {
    return this.bucket ? { ...this.toBar(this.bucket), final: false } : undefined;
  }

  private checkSequence(bar: Bar): void {
    if (!this.identity) {
      const duration = TimeframeDurations[bar.timeframe];
      if (duration > this.targetDuration || this.targetDuration % duration !== 0) {
        throw new BarSequenceError(`cannot build ${this.target} bars from ${bar.timeframe} bars`);
      }
      this.identity = { venue: bar.venue, symbol: bar.symbol, timeframe: bar.timeframe };
    } else if (bar.venue !== this.identity.venue || bar.symbol !== this.identity.symbol || bar.timeframe !== this.identity.timeframe) {
      throw new BarSequenceError(`bar ${bar.venue}/${bar.symbol}/${bar.timeframe} mixed into ${this.identity.venue}/${this.identity.symbol}/${this.identity.timeframe}`);
    }
    if (bar.openTime <= this.lastSourceTime) {
      throw new BarSequenceError(`bar at ${formatUtc(bar.openTime)} does not follow ${formatUtc(this.lastSourceTime)}`);
    }
    this.lastSourceTime = bar.openTime;
  }

  private emit(): Bar {
    const bar = this.toBar(this.bucket!);
    this.bucket = undefined;
    return bar;
  }

  private toBar(bucket: Bucket): Bar {
    const { venue, symbol, openTime, open, high, low, close, tickVolume, spreadPoints, realVolume } = bucket;
    return { venue, symbol, timeframe: this.target, openTime, open, high, low, close, tickVolume, spreadPoints, realVolume };
  }
}

/**
 * Aggregates a sorted sequence of closed bars. The last bucket is included only if it is closed:
 * its last source bar ends at the bucket end, or `upTo` (a time known to have passed, e.g. the
 * end of the exported range) reaches it.
 */
export function aggregateBars(bars: Iterable<Bar>, target: Timeframe, options: BarAggregatorOptions & { readonly upTo?: number } = {}): Bar[] {
  const aggregator = new BarAggregator(target, options);
  const result: Bar[] = [];
  for (const bar of bars) result.push(...aggregator.add(bar));
  const last = options.upTo === undefined ? undefined : aggregator.flush(options.upTo);
  if (last) result.push(last);
  return result;
}

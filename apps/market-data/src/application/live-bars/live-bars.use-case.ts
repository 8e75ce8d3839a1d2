import { Timeframes, type Tick, type Timeframe } from '@mt5/contracts';
import { alignTime, BarAggregator, MS_PER_MINUTE, TickAggregator, type Bar, type BarAlignment } from '@mt5/domain/market';
import type { Logger } from 'pino';
import type { BarPublisher } from '../../adapters/bar.publisher.js';
import type { BarsRepository, SeriesKey } from '../../adapters/bars.repository.js';
import type { MarketCache } from '../../adapters/market-cache.js';
import { barFromWire, decimalsOf, wireFromBar, type WireBar } from '../../adapters/wire-bar.js';
import type { Clock } from '../../market-data.ports.js';

/** Higher timeframes built live from closed M1 bars. */
const HIGHER: readonly Timeframe[] = Timeframes.filter((timeframe) => timeframe !== 'M1');

/** A feed whose newest tick is older than this is history being replayed: the wall clock does not close its bars. */
const LIVE_HORIZON_MS = 5 * MS_PER_MINUTE;

interface SeriesState {
  readonly venue: string;
  readonly symbol: string;
  readonly ticks: TickAggregator;
  /** Created on the first closed M1, seeded from stored M1 so the first bucket is whole. */
  higher: BarAggregator[] | undefined;
  /** Most decimals seen in a bid: computed prices are written with exactly that many. */
  digits: number;
  /** Start of the first minute seen; if it began before this process, its early ticks were missed. */
  readonly firstMinute: number;
  lastTickTime: number;
  /** Stream sequence of the newest tick applied: a redelivered tick at or below it is already in the state. */
  lastSequence: number;
}

/** A tick as the consumer received it; `sequence` (the stream's) makes a redelivery harmless. */
export interface SequencedTick {
  readonly tick: Tick;
  readonly sequence?: number;
}

export interface TickBatchOutcome {
  /** Ticks that went into a minute. */
  readonly accepted: number;
  /** Ticks not used: late (for a closed minute) or unusable, by reason. Expected, never retried. */
  readonly ignored: ReadonlyMap<string, number>;
  /** Redelivered ticks that were already applied. */
  readonly redelivered: number;
  /** Closed bars stored by this call (M1 and any higher timeframe completed), earlier failures' included. */
  readonly stored: number;
}

interface ClosedMinute {
  readonly state: SeriesState;
  readonly minute: Bar;
  readonly digits: number;
}

/**
 * Live ticks (`md.tick.>`) → M1 bars (bid, tick count) → M5 … D1, each stored when closed and then
 * published. A forming bar is never stored or published. A minute closes when a later tick arrives
 * or, for a live feed, when the wall clock passes its end plus a grace period.
 *
 * Ticks come in batches: each is applied to its symbol's minute in the order given (stream order,
 * so per symbol in order), the newest quote per symbol is cached, and every bar the batch closed
 * is stored with one statement and then published; the call resolves only after that, so the
 * caller acknowledges a batch once its effects are durable. What a failed call could not store or
 * publish stays queued here and goes first in the next call (the redelivered ticks themselves are
 * recognised by their stream sequence and not applied twice), so a failure costs no bar.
 *
 * After a start, the first minute of each symbol began before we listened: its bar would be built
 * from some of its ticks only, so it is dropped (a gap that `gaps --backfill` can fill), not stored
 * as if complete. Work is serialised: batches and the clock never interleave.
 */
export class LiveBarsUseCase {
  private readonly series = new Map<string, SeriesState>();
  private readonly startedAt: number;
  private queue: Promise<unknown> = Promise.resolve();
  /** Closed minutes not yet turned into bars (a higher-timeframe seed read failed). */
  private closedMinutes: ClosedMinute[] = [];
  /** Bars closed but not yet stored, and stored but not yet published, in closing order. */
  private unstored: WireBar[] = [];
  private unpublished: WireBar[] = [];

  constructor(
    private readonly bars: BarsRepository,
    private readonly publisher: BarPublisher,
    private readonly cache: MarketCache | undefined,
    private readonly alignment: BarAlignment | undefined,
    private readonly clock: Clock,
    private readonly graceMs: number,
    private readonly logger: Logger,
  ) {
    this.startedAt = clock.now().getTime();
  }

  /** Handles a batch of ticks; resolves once the last quotes are cached and every bar closed is stored and published. */
  onTicks(ticks: readonly SequencedTick[]): Promise<TickBatchOutcome> {
    return this.serially(() => this.handle(ticks));
  }

  /** Closes live minutes whose end (plus grace) the clock has passed; call about once a second. */
  onClock(): Promise<number> {
    return this.serially(async () => {
      const now = this.clock.now().getTime();
      for (const state of this.series.values()) {
        if (now - state.lastTickTime > LIVE_HORIZON_MS) continue;
        const closed = state.ticks.flush(now - this.graceMs);
        if (closed) this.closedMinutes.push({ state, minute: closed, digits: state.digits });
      }
      return this.settle();
    });
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async handle(items: readonly SequencedTick[]): Promise<TickBatchOutcome> {
    const quotes = new Map<SeriesState, Tick>();
    const ignored = new Map<string, number>();
    let accepted = 0;
    let redelivered = 0;
    for (const { tick, sequence } of items) {
      const time = Date.parse(tick.time);
      const state = this.stateFor(tick, time);
      if (sequence !== undefined) {
        if (sequence <= state.lastSequence) {
          redelivered++;
          continue;
        }
        state.lastSequence = sequence;
      }
      const held = quotes.get(state);
      if (!held || Date.parse(held.time) <= time) quotes.set(state, tick);
      const result = state.ticks.add({ time, bid: Number(tick.bid), volume: tick.volume === undefined ? undefined : Number(tick.volume) });
      if (!result.accepted) {
        const reason = result.reason ?? 'unknown';
        ignored.set(reason, (ignored.get(reason) ?? 0) + 1);
        continue;
      }
      accepted++;
      state.digits = Math.max(state.digits, decimalsOf(tick.bid));
      state.lastTickTime = Math.max(state.lastTickTime, time);
      if (result.closed) this.closedMinutes.push({ state, minute: result.closed, digits: state.digits });
    }
    // The cache is a convenience (rebuilt by the next tick): Redis being down must not stop bars.
    if (quotes.size > 0) await this.cache?.putQuotes([...quotes.values()]).catch(() => undefined);
    const stored = await this.settle();
    return { accepted, ignored, redelivered, stored };
  }

  private stateFor(tick: Tick, time: number): SeriesState {
    const key = `${tick.venue}\u0000${tick.symbol}`;
    let state = this.series.get(key);
    if (!state) {
      state = {
        venue: tick.venue, symbol: tick.symbol, ticks: new TickAggregator(tick.venue, tick.symbol), higher: undefined,
        digits: 0, firstMinute: time - (((time % MS_PER_MINUTE) + MS_PER_MINUTE) % MS_PER_MINUTE), lastTickTime: time, lastSequence: 0,
      };
      this.series.set(key, state);
    }
    return state;
  }

  /**
   * Turns the queued closed minutes into bars (M1 and the higher ones they complete), stores them
   * in one statement, publishes the new ones. Each queue is emptied only once its step succeeded.
   */
  private async settle(): Promise<number> {
    while (this.closedMinutes.length > 0) {
      await this.closeMinute(this.closedMinutes[0]!);
      this.closedMinutes.shift();
    }
    let stored = 0;
    if (this.unstored.length > 0) {
      const inserted = await this.bars.insertNew(this.unstored);
      this.unstored = [];
      stored = inserted.length;
      this.unpublished.push(...inserted);
    }
    if (this.unpublished.length > 0) {
      await this.publisher.publish(this.unpublished);
      this.unpublished = [];
    }
    return stored;
  }

  /** Queues a closed M1 bar for storing, then whatever higher bars it completes. */
  private async closeMinute({ state, minute, digits }: ClosedMinute): Promise<void> {
    if (minute.openTime === state.firstMinute && state.firstMinute < this.startedAt) {
      this.logger.info({ venue: state.venue, symbol: state.symbol, minute: new Date(minute.openTime).toISOString() },
        'first live minute began before this process listened: not stored (partial)');
      return;
    }
    // Seeded first: if the read fails, nothing of this minute is queued and it is tried again whole.
    const higher = state.higher ?? (state.higher = await this.seedHigher(state, minute.openTime));
    this.unstored.push(wireFromBar(minute, digits));
    const closed: Bar[] = [];
    for (const aggregator of higher) closed.push(...aggregator.add(minute));
    for (const timeframe of HIGHER) {
      for (const bar of closed) if (bar.timeframe === timeframe) this.unstored.push(wireFromBar(bar, digits));
    }
  }

  /**
   * Aggregators for M5 … D1 primed with the stored M1 bars of the current D1 bucket before
   * `before`, so the bucket in progress at start-up is aggregated from all its minutes.
   */
  private async seedHigher(state: SeriesState, before: number): Promise<BarAggregator[]> {
    const aggregators = HIGHER.map((timeframe) => new BarAggregator(timeframe, { alignment: this.alignment }));
    const key: SeriesKey = { venue: state.venue, symbol: state.symbol, timeframe: 'M1' };
    const stored = await this.bars.page(key, alignTime('D1', before, this.alignment) - 1, before, 1_500);
    const earlier: Bar[] = [];
    for (const wire of stored) {
      state.digits = Math.max(state.digits, decimalsOf(wire.open), decimalsOf(wire.high), decimalsOf(wire.low), decimalsOf(wire.close));
      for (const aggregator of aggregators) earlier.push(...aggregator.add(barFromWire(wire)));
    }
    // Buckets completed by stored minutes alone were stored when those minutes were (or by `aggregate`):
    // queued anyway, the insert skips what is there.
    for (const timeframe of HIGHER) {
      for (const bar of earlier) if (bar.timeframe === timeframe) this.unstored.push(wireFromBar(bar, state.digits));
    }
    return aggregators;
  }
}

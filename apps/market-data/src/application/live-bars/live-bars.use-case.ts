import { Timeframes, type Tick, type Timeframe } from '@mt5/contracts';
import { alignTime, BarAggregator, MS_PER_MINUTE, TickAggregator, type Bar, type BarAlignment } from '@mt5/domain/market';
import type { Logger } from 'pino';
import type { BarPublisher } from '../../adapters/bar.publisher.js';
import type { BarsRepository, SeriesKey } from '../../adapters/bars.repository.js';
import type { MarketCache } from '../../adapters/market-cache.js';
import { barFromWire, decimalsOf, wireFromBar } from '../../adapters/wire-bar.js';
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
}

export interface TickOutcome {
  readonly accepted: boolean;
  readonly reason?: string;
  /** Closed bars this tick caused to be stored (M1 and any higher timeframe it completed). */
  readonly stored: number;
}

/**
 * Live ticks (`md.tick.>`) → M1 bars (bid, tick count) → M5 … D1, each stored when closed and then
 * published. A forming bar is never stored or published. A minute closes when a later tick arrives
 * or, for a live feed, when the wall clock passes its end plus a grace period.
 *
 * After a start, the first minute of each symbol began before we listened: its bar would be built
 * from some of its ticks only, so it is dropped (a gap that `gaps --backfill` can fill), not stored
 * as if complete. Work is serialised: ticks and the clock never interleave on one symbol.
 */
export class LiveBarsUseCase {
  private readonly series = new Map<string, SeriesState>();
  private readonly startedAt: number;
  private queue: Promise<unknown> = Promise.resolve();

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

  /** Handles one tick; resolves once every bar it closed is stored and published. */
  onTick(tick: Tick): Promise<TickOutcome> {
    return this.serially(() => this.handle(tick));
  }

  /** Closes live minutes whose end (plus grace) the clock has passed; call about once a second. */
  onClock(): Promise<number> {
    return this.serially(async () => {
      const now = this.clock.now().getTime();
      let stored = 0;
      for (const state of this.series.values()) {
        if (now - state.lastTickTime > LIVE_HORIZON_MS) continue;
        const closed = state.ticks.flush(now - this.graceMs);
        if (closed) stored += await this.closeMinute(state, closed);
      }
      return stored;
    });
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async handle(tick: Tick): Promise<TickOutcome> {
    const time = Date.parse(tick.time);
    const key = `${tick.venue}\u0000${tick.symbol}`;
    let state = this.series.get(key);
    if (!state) {
      state = {
        venue: tick.venue, symbol: tick.symbol, ticks: new TickAggregator(tick.venue, tick.symbol), higher: undefined,
        digits: 0, firstMinute: time - (((time % MS_PER_MINUTE) + MS_PER_MINUTE) % MS_PER_MINUTE), lastTickTime: time,
      };
      this.series.set(key, state);
    }
    await this.cache?.putQuotes([tick]).catch(() => undefined);
    const result = state.ticks.add({ time, bid: Number(tick.bid), volume: tick.volume === undefined ? undefined : Number(tick.volume) });
    if (!result.accepted) return { accepted: false, reason: result.reason, stored: 0 };
    state.digits = Math.max(state.digits, decimalsOf(tick.bid));
    state.lastTickTime = Math.max(state.lastTickTime, time);
    const stored = result.closed ? await this.closeMinute(state, result.closed) : 0;
    return { accepted: true, stored };
  }

  /** Stores and publishes a closed M1 bar, then whatever higher bars it completes. */
  private async closeMinute(state: SeriesState, minute: Bar): Promise<number> {
    if (minute.openTime === state.firstMinute && state.firstMinute < this.startedAt) {
      this.logger.info({ venue: state.venue, symbol: state.symbol, minute: new Date(minute.openTime).toISOString() },
        'first live minute began before this process listened: not stored (partial)');
      return 0;
    }
    let stored = await this.storeAndPublish(state, [minute]);
    const higher = state.higher ?? (state.higher = await this.seedHigher(state, minute.openTime));
    const closed: Bar[] = [];
    for (const aggregator of higher) closed.push(...aggregator.add(minute));
    for (const timeframe of HIGHER) {
      const bars = closed.filter((bar) => bar.timeframe === timeframe);
      if (bars.length > 0) stored += await this.storeAndPublish(state, bars);
    }
    return stored;
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
    // Buckets completed by stored minutes alone were stored when those minutes were (or by `aggregate`).
    for (const timeframe of HIGHER) {
      const bars = earlier.filter((bar) => bar.timeframe === timeframe);
      if (bars.length > 0) await this.storeAndPublish(state, bars);
    }
    return aggregators;
  }

  private async storeAndPublish(state: SeriesState, bars: readonly Bar[]): Promise<number> {
    const wire = bars.map((bar) => wireFromBar(bar, state.digits));
    const first = wire[0]!;
    const written = await this.bars.store({ venue: first.venue, symbol: first.symbol, timeframe: first.timeframe }, wire, true);
    const inserted = new Set(written.insertedTimes);
    await this.publisher.publish(wire.filter((bar) => inserted.has(bar.openTime)));
    return written.inserted;
  }
}

import { Timeframes, type Timeframe } from '@mt5/contracts';
import { alignTime, BarAggregator, type Bar, type BarAlignment } from '@mt5/domain/market';
import type { BarPublisher } from '../../adapters/bar.publisher.js';
import type { BarsRepository, SeriesKey } from '../../adapters/bars.repository.js';
import { barFromWire, decimalsOf, wireFromBar, type WireBar } from '../../adapters/wire-bar.js';
import type { Clock } from '../../market-data.ports.js';
import { FAR_FUTURE } from '../gaps/find-gaps.use-case.js';

export interface AggregateRequest {
  readonly venue: string;
  readonly symbol: string;
  readonly source: Timeframe;
  readonly targets: readonly Timeframe[];
  readonly from?: number;
  readonly to?: number;
  readonly publish: boolean;
  readonly onProgress?: (sourceBarsRead: number, total: number) => void;
}

export interface AggregateTargetResult {
  readonly timeframe: Timeframe;
  /** Closed buckets built. */
  readonly built: number;
  /** Of those, not stored before. */
  readonly inserted: number;
  readonly published: number;
}

export interface AggregateResult {
  readonly venue: string;
  readonly symbol: string;
  readonly source: Timeframe;
  readonly sourceBars: number;
  readonly targets: readonly AggregateTargetResult[];
}

const PAGE = 20_000;

/**
 * Builds higher timeframes from a stored lower one (M1 → M5 … D1) and stores them, idempotently.
 * Only closed buckets: a bucket is emitted when a later source bar arrives, when its last source
 * bar ends on its boundary, or when the clock has passed its end; the bucket still forming now is
 * left for a later run. Empty buckets produce nothing (gaps stay gaps).
 *
 * Prices are exact: every aggregated price is one of the source prices, written with as many
 * decimals as the most precise source price seen.
 */
export class AggregateBarsUseCase {
  constructor(
    private readonly bars: BarsRepository,
    private readonly publisher: BarPublisher,
    private readonly alignment: BarAlignment | undefined,
    private readonly clock: Clock,
  ) {}

  async execute(request: AggregateRequest): Promise<AggregateResult> {
    const targets = [...request.targets].sort((a, b) => Timeframes.indexOf(a) - Timeframes.indexOf(b));
    const sourceKey: SeriesKey = { venue: request.venue, symbol: request.symbol, timeframe: request.source };
    // Start on a boundary of the largest target, so the first bucket of every target is whole.
    const largest = targets[targets.length - 1]!;
    const from = request.from === undefined ? 0 : alignTime(largest, request.from, this.alignment);
    const to = request.to ?? FAR_FUTURE;
    const total = await this.bars.count(sourceKey, from, to);
    const aggregators = targets.map((target) => new BarAggregator(target, { alignment: this.alignment }));
    const results = targets.map((timeframe) => ({ timeframe, built: 0, inserted: 0, published: 0 }));
    let digits = 0;
    let read = 0;
    let after = from - 1;
    const now = this.clock.now().getTime();
    for (;;) {
      const page = await this.bars.page(sourceKey, after, to, PAGE);
      if (page.length === 0) break;
      const closed: Bar[][] = targets.map(() => []);
      for (const bar of page) {
        digits = Math.max(digits, decimalsOf(bar.open), decimalsOf(bar.high), decimalsOf(bar.low), decimalsOf(bar.close));
        const source = barFromWire(bar);
        aggregators.forEach((aggregator, index) => closed[index]!.push(...aggregator.add(source)));
      }
      await this.write(targets, closed, digits, results, request.publish);
      read += page.length;
      after = page[page.length - 1]!.openTime;
      request.onProgress?.(read, total);
      if (page.length < PAGE) break;
    }
    // The last buckets: closed only if the clock is past their end (never a forming bar).
    const last = aggregators.map((aggregator) => {
      const bar = aggregator.flush(Math.min(now, to));
      return bar ? [bar] : [];
    });
    await this.write(targets, last, digits, results, request.publish);
    return { venue: request.venue, symbol: request.symbol, source: request.source, sourceBars: read, targets: results };
  }

  private async write(targets: readonly Timeframe[], closed: readonly Bar[][], digits: number, results: AggregateTargetResult[], publish: boolean): Promise<void> {
    for (let index = 0; index < targets.length; index++) {
      const bars = closed[index]!;
      if (bars.length === 0) continue;
      const wire: WireBar[] = bars.map((bar) => wireFromBar(bar, digits));
      const first = wire[0]!;
      const written = await this.bars.store({ venue: first.venue, symbol: first.symbol, timeframe: targets[index]! }, wire, publish);
      let published = 0;
      if (publish) {
        const inserted = new Set(written.insertedTimes);
        published = (await this.publisher.publish(wire.filter((bar) => inserted.has(bar.openTime)))).stored;
      }
      const result = results[index]!;
      results[index] = { ...result, built: result.built + bars.length, inserted: result.inserted + written.inserted, published: result.published + published };
    }
  }
}

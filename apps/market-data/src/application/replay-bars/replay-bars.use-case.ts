import type { Timeframe } from '@mt5/contracts';
import type { BarPublisher } from '../../adapters/bar.publisher.js';
import type { BarsRepository, SeriesKey } from '../../adapters/bars.repository.js';
import type { WireBar } from '../../adapters/wire-bar.js';
import { mergeSeries } from './series-merge.js';

/** `max`: as fast as the stream acknowledges; `factor`: history time runs `factor` times faster than the wall clock. */
export type ReplaySpeed = { readonly kind: 'max' } | { readonly kind: 'factor'; readonly factor: number };

export interface ReplayRequest {
  readonly venue: string;
  readonly symbols: readonly string[];
  readonly timeframe: Timeframe;
  /** `[from, to)`, epoch ms UTC, by bar open time. */
  readonly from: number;
  readonly to: number;
  readonly speed: ReplaySpeed;
  /** Appended to message ids, so a deliberate second run is not dropped as duplicates. */
  readonly tag?: string;
  readonly onProgress?: (progress: ReplayProgress) => void;
  readonly signal?: AbortSignal;
}

export interface ReplayProgress {
  readonly published: number;
  readonly total: number;
  /** Open time of the bar most recently sent, epoch ms. */
  readonly position: number | undefined;
}

export interface ReplayResult {
  readonly venue: string;
  readonly symbols: readonly string[];
  readonly timeframe: Timeframe;
  readonly total: number;
  /** Bars the stream stored. */
  readonly published: number;
  /** Bars the stream dropped as already published (same id inside its duplicate window). */
  readonly duplicates: number;
  readonly cancelled: boolean;
  readonly durationMs: number;
  readonly barsPerSecond: number;
}

/**
 * Replays stored bars of several symbols onto `md.bar.…` in global time order (a merge across
 * symbols), with the bars' own message ids, as fast as acknowledgements allow (many in flight) or
 * paced at a speed factor, reporting progress. Drives the whole pipeline from history.
 */
export class ReplayBarsUseCase {
  constructor(private readonly bars: BarsRepository, private readonly publisher: BarPublisher) {}

  async execute(request: ReplayRequest): Promise<ReplayResult> {
    const started = performance.now();
    const keys: SeriesKey[] = request.symbols.map((symbol) => ({ venue: request.venue, symbol, timeframe: request.timeframe }));
    // Counting runs beside the first pages (not before them): the total is for progress only.
    let total = 0;
    const counted = Promise.all(keys.map((key) => this.bars.count(key, request.from, request.to))).then((counts) => {
      total = counts.reduce((sum, n) => sum + n, 0);
    });
    counted.catch(() => undefined);
    request.onProgress?.({ published: 0, total, position: undefined });
    const { stored, duplicates } = await this.publisher.publishBatches(mergeSeries(this.bars, keys, request.from, request.to), {
      tag: request.tag,
      pace: request.speed.kind === 'factor' ? pacer(request.speed.factor) : undefined,
      signal: request.signal,
      progressEvery: 500,
      onProgress: (published, lastSent) => request.onProgress?.({ published, total, position: lastSent?.openTime }),
    });
    await counted;
    const durationMs = performance.now() - started;
    return {
      venue: request.venue, symbols: request.symbols, timeframe: request.timeframe, total, published: stored, duplicates,
      cancelled: request.signal?.aborted ?? false, durationMs, barsPerSecond: durationMs > 0 ? ((stored + duplicates) / durationMs) * 1000 : 0,
    };
  }
}

/**
 * Holds each bar until its place on a clock running `factor` times faster than history: the bar
 * that opened `t` after the first one is sent `t / factor` after the replay began.
 */
export function pacer(factor: number, now: () => number = () => performance.now()): (bar: WireBar) => Promise<void> | undefined {
  let origin: { history: number; wall: number } | undefined;
  return (bar) => {
    if (!origin) {
      origin = { history: bar.openTime, wall: now() };
      return undefined;
    }
    const due = origin.wall + (bar.openTime - origin.history) / factor;
    const wait = due - now();
    return wait >= 1 ? new Promise((resolve) => setTimeout(resolve, wait)) : undefined;
  };
}

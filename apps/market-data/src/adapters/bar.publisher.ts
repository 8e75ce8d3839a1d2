import type { JetStreamClient } from '@nats-io/jetstream';
import type { BarClosed } from '@mt5/contracts';
import { Metrics } from '@mt5/infra/health';
import { publishEnvelope, subjectIn, type ProvisionOptions } from '@mt5/infra/nats';
import type { Clock } from '../market-data.ports.js';
import type { BarMessageMapper } from './bar-message.mapper.js';
import type { MarketCache } from './market-cache.js';
import type { WireBar } from './wire-bar.js';

export interface PublishOptions {
  /** Added to every message id: a deliberate re-run is new messages, not duplicates. */
  readonly tag?: string;
  /** Waits before a bar until this returns (pacing at a replay speed); undefined: as fast as acks allow. */
  readonly pace?: (bar: WireBar) => Promise<void> | undefined;
  /** Called after every `progressEvery` acknowledged bars, and at the end. */
  readonly onProgress?: (published: number) => void;
  readonly progressEvery?: number;
  /** Stop early (a cancelled replay). */
  readonly signal?: AbortSignal;
}

export interface PublishResult {
  /** Bars the stream stored. */
  readonly stored: number;
  /** Bars the stream already had (same message id inside its duplicate window). */
  readonly duplicates: number;
}

const CACHE_BATCH = 2_000;

/**
 * Publishes closed bars on `md.bar.<venue>.<symbol>.<tf>` with their deterministic message ids,
 * keeping up to `inFlight` acks outstanding, in the order given; then caches the newest bar per
 * series in Redis. A failed publish rejects (the rest is not sent; a re-run is harmless).
 */
export class BarPublisher {
  constructor(
    private readonly js: JetStreamClient,
    private readonly mapper: BarMessageMapper,
    private readonly cache: MarketCache | undefined,
    private readonly clock: Clock,
    private readonly provision: ProvisionOptions,
    private readonly inFlight: number,
  ) {}

  async publish(bars: Iterable<WireBar> | AsyncIterable<WireBar>, options: PublishOptions = {}): Promise<PublishResult> {
    let stored = 0;
    let duplicates = 0;
    let acknowledged = 0;
    let failure: unknown;
    const every = options.progressEvery ?? 1_000;
    const pending = new Set<Promise<void>>();
    const perSeries = new Map<string, { symbol: string; timeframe: string; count: number }>();
    let toCache: BarClosed[] = [];
    const tsInit = this.clock.now().toISOString();

    for await (const bar of bars) {
      if (failure !== undefined || options.signal?.aborted) break;
      const wait = options.pace?.(bar);
      if (wait) await wait;
      const { subject, envelope } = this.mapper.envelope(bar, tsInit, options.tag);
      const sent: Promise<void> = publishEnvelope(this.js, subjectIn(subject, this.provision), envelope).then(
        (ack) => {
          if (ack.duplicate) duplicates++;
          else stored++;
          acknowledged++;
          if (acknowledged % every === 0) options.onProgress?.(acknowledged);
          pending.delete(sent);
        },
        (error: unknown) => {
          failure ??= error;
          pending.delete(sent);
        },
      );
      pending.add(sent);
      count(perSeries, bar);
      toCache.push(envelope.data);
      if (toCache.length >= CACHE_BATCH) {
        await this.cacheLatest(toCache);
        toCache = [];
      }
      if (pending.size >= this.inFlight) await Promise.race(pending);
    }
    await Promise.all(pending);
    if (failure !== undefined) throw failure;
    await this.cacheLatest(toCache);
    for (const { symbol, timeframe, count: n } of perSeries.values()) Metrics.barsPublished.inc({ symbol, timeframe }, n);
    options.onProgress?.(acknowledged);
    return { stored, duplicates };
  }

  private async cacheLatest(bars: readonly BarClosed[]): Promise<void> {
    // The cache is a convenience: Redis being down must not fail a publish that already happened.
    await this.cache?.putLatestBars(bars).catch(() => undefined);
  }
}

function count(perSeries: Map<string, { symbol: string; timeframe: string; count: number }>, bar: WireBar): void {
  const key = `${bar.symbol}\u0000${bar.timeframe}`;
  const entry = perSeries.get(key);
  if (entry) entry.count++;
  else perSeries.set(key, { symbol: bar.symbol, timeframe: bar.timeframe, count: 1 });
}

import type { NatsConnection } from '@nats-io/transport-node';
import { BarClosedMessage } from '@mt5/contracts';
import { Metrics } from '@mt5/infra/health';
import { envelopeHeaders, subjectIn, type ProvisionOptions } from '@mt5/infra/nats';
import type { Clock } from '../market-data.ports.js';
import type { BarMessageMapper } from './bar-message.mapper.js';
import { JetStreamAsyncPublisher } from './jetstream-async-publisher.js';
import type { MarketCache } from './market-cache.js';
import type { WireBar } from './wire-bar.js';

export interface PublishOptions {
  /** Added to every message id: a deliberate re-run is new messages, not duplicates. */
  readonly tag?: string;
  /** Waits before a bar until this returns (pacing at a replay speed); undefined: as fast as acks allow. */
  readonly pace?: (bar: WireBar) => Promise<void> | undefined;
  /** Called after every `progressEvery` acknowledged bars, and at the end, with the last bar sent. */
  readonly onProgress?: (published: number, lastSent: WireBar | undefined) => void;
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
/** Wait for one stream acknowledgement (as publishEnvelope). */
const PUBLISH_TIMEOUT_MS = 10_000;

/**
 * Publishes closed bars on `md.bar.<venue>.<symbol>.<tf>` with their deterministic message ids,
 * keeping up to `inFlight` acks outstanding, in the order given; then caches the newest bar per
 * series in Redis. A failed publish rejects (the rest is not sent; a re-run is harmless).
 */
export class BarPublisher {
  /** Created on first use: a CLI command that publishes nothing never touches NATS. */
  private stream: JetStreamAsyncPublisher | undefined;

  constructor(
    private readonly nc: NatsConnection,
    private readonly mapper: BarMessageMapper,
    private readonly cache: MarketCache | undefined,
    private readonly clock: Clock,
    private readonly provision: ProvisionOptions,
    private readonly inFlight: number,
  ) {}

  /** Publishes bars held in memory. */
  publish(bars: readonly WireBar[], options: PublishOptions = {}): Promise<PublishResult> {
    return this.publishBatches([bars], options);
  }

  /**
   * Publishes a stream of bars delivered in batches. Batches, not single bars: an `await` per bar
   * lets the NATS client flush its socket after every message (one write per bar, measured 3×
   * slower); inside a batch the loop only waits when the in-flight window is full.
   */
  async publishBatches(batches: Iterable<readonly WireBar[]> | AsyncIterable<readonly WireBar[]>, options: PublishOptions = {}): Promise<PublishResult> {
    let stored = 0;
    let duplicates = 0;
    let acknowledged = 0;
    let failure: unknown;
    const every = options.progressEvery ?? 1_000;
    // A counter and one waiter, not Promise.race over the pending set: racing N promises per
    // message attaches N reactions each time, which made a 50k-bar replay quadratic.
    let outstanding = 0;
    let wake: (() => void) | undefined;
    const settled = () => {
      outstanding--;
      const waiter = wake;
      wake = undefined;
      waiter?.();
    };
    const slot = (limit: number): Promise<void> => new Promise<void>((resolve) => {
      wake = resolve;
    }).then((): Promise<void> | undefined => (outstanding > limit ? slot(limit) : undefined));
    const perSeries = new Map<string, { symbol: string; timeframe: string; count: number; newest: WireBar }>();
    const tsInitJson = JSON.stringify(this.clock.now().toISOString());
    let sinceCached = 0;

    let lastSent: WireBar | undefined;
    for await (const batch of batches) {
      for (const bar of batch) {
        if (failure !== undefined || options.signal?.aborted) break;
        const wait = options.pace?.(bar);
        if (wait) await wait;
        const message = this.mapper.encode(bar, tsInitJson, options.tag);
        outstanding++;
        // The headers publishEnvelope sets (Nats-Msg-Id, type, correlation id, trace context), on the
        // envelope encoded by BarMessageMapper.encode, through the async publisher.
        const headers = envelopeHeaders({ id: message.id, type: BarClosedMessage.type, correlationId: message.id });
        this.stream ??= new JetStreamAsyncPublisher(this.nc, PUBLISH_TIMEOUT_MS);
        this.stream.publish(subjectIn(message.subject, this.provision), message.bytes, headers).then(
          (ack) => {
            if (ack.duplicate) duplicates++;
            else stored++;
            acknowledged++;
            if (acknowledged % every === 0) options.onProgress?.(acknowledged, lastSent);
            settled();
          },
          (error: unknown) => {
            failure ??= error;
            settled();
          },
        );
        lastSent = bar;
        track(perSeries, bar);
        if (++sinceCached >= CACHE_BATCH) {
          await this.cacheLatest(perSeries);
          sinceCached = 0;
        }
        if (outstanding >= this.inFlight) await slot(this.inFlight - 1);
      }
      if (failure !== undefined || options.signal?.aborted) break;
    }
    if (outstanding > 0) await slot(0);
    if (failure !== undefined) throw failure;
    await this.cacheLatest(perSeries);
    for (const { symbol, timeframe, count: n } of perSeries.values()) Metrics.barsPublished.inc({ symbol, timeframe }, n);
    options.onProgress?.(acknowledged, lastSent);
    return { stored, duplicates };
  }

  /** Caches the newest bar sent per series (the cache keeps the newer of it and what it holds). */
  private async cacheLatest(perSeries: ReadonlyMap<string, { newest: WireBar }>): Promise<void> {
    if (!this.cache || perSeries.size === 0) return;
    const newest = [...perSeries.values()].map((entry) => this.mapper.payload(entry.newest));
    // The cache is a convenience: Redis being down must not fail a publish that already happened.
    await this.cache.putLatestBars(newest).catch(() => undefined);
  }
}

function track(perSeries: Map<string, { symbol: string; timeframe: string; count: number; newest: WireBar }>, bar: WireBar): void {
  const key = `${bar.venue}\u0000${bar.symbol}\u0000${bar.timeframe}`;
  const entry = perSeries.get(key);
  if (!entry) perSeries.set(key, { symbol: bar.symbol, timeframe: bar.timeframe, count: 1, newest: bar });
  else {
    entry.count++;
    if (bar.openTime > entry.newest.openTime) entry.newest = bar;
  }
}

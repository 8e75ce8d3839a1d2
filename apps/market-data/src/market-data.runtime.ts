import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { Subscription } from '@nats-io/transport-node';
import { Consumers, tickEnvelopeSchema, type Envelope, type Tick } from '@mt5/contracts';
import type { ZodType } from 'zod';
import { LiveBarsUseCase } from './application/live-bars/live-bars.use-case.js';
import { ReplayRegistry } from './application/replay-bars/replay-registry.js';
import { JetStreamBatchConsumer } from './adapters/jetstream-batch.consumer.js';
import { serveMarketDataQueries } from './adapters/market-data.queries.js';
import type { MarketData } from './market-data.composition.js';
import { MARKET_DATA_PORTS, type MarketDataPorts } from './market-data.ports.js';

export const MARKET_DATA = Symbol('MARKET_DATA');

const CLOCK_TICK_MS = 1_000;

/**
 * The running service: the request/reply API, the `market-data-ticks` consumer (live ticks →
 * bars, in batches) and the clock that closes quiet live minutes. Stops on shutdown before NATS
 * drains: the tick consumer, queries, clock, replays.
 */
@Injectable()
export class MarketDataRuntime implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly replays: ReplayRegistry;
  readonly live: LiveBarsUseCase;
  private subscriptions: Subscription[] = [];
  private timer: NodeJS.Timeout | undefined;
  private ticks: JetStreamBatchConsumer<Tick> | undefined;

  constructor(
    @Inject(MARKET_DATA_PORTS) private readonly ports: MarketDataPorts,
    @Inject(MARKET_DATA) private readonly md: MarketData,
  ) {
    const { config, clock, logger } = ports;
    this.replays = new ReplayRegistry(md.replayBars, clock, logger);
    this.live = new LiveBarsUseCase(md.bars, md.publisher, md.cache, md.alignment, clock, config.MD_TICK_CLOSE_GRACE_MS, logger);
  }

  async onApplicationBootstrap(): Promise<void> {
    const { nc, js, config, provision, logger, redis } = this.ports;
    await this.seedInstruments();
    this.subscriptions = serveMarketDataQueries(nc, this.md, this.replays, config, provision, logger, redis);
    if (!config.MD_LIVE_TICKS) return;
    this.ticks = new JetStreamBatchConsumer<Tick>({
      js, spec: Consumers.marketDataTicks, provision, logger, maxBatch: config.MD_TICK_BATCH,
      schema: tickEnvelopeSchema as unknown as ZodType<Envelope<Tick>>,
      handle: async (items) => {
        const outcome = await this.live.onTicks(items.map((item) => ({ tick: item.envelope.data, sequence: item.streamSequence })));
        // Late or unusable ticks are an expected outcome: acknowledged, counted, never retried.
        if (outcome.ignored.size > 0 && logger.isLevelEnabled('debug')) logger.debug({ ignored: Object.fromEntries(outcome.ignored), ticks: items.length }, 'ticks not used');
      },
    });
    await this.ticks.start();
    this.timer = setInterval(() => {
      this.live.onClock().catch((error: Error) => logger.error({ err: error }, 'closing live minutes failed; will retry'));
    }, CLOCK_TICK_MS);
    this.timer.unref();
  }

  /**
   * An empty `instruments` table gets the catalogue file at start-up, so the gateway and risk see
   * specifications without a manual `instruments load`. Only when empty: specs updated later (by
   * the bridge, by a newer file) are not overwritten by an older file at every restart.
   */
  private async seedInstruments(): Promise<void> {
    try {
      if ((await this.md.instruments.list()).length > 0) return;
      const loaded = await this.md.instruments.load();
      this.ports.logger.info({ file: loaded.file, instruments: loaded.instruments.length }, 'instrument catalogue loaded into an empty table');
    } catch (error) {
      this.ports.logger.error({ err: error }, 'could not load the instrument catalogue; run "instruments load"');
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    // The tick consumer first, so the batch in hand finishes before anything it uses goes away.
    await this.ticks?.stop();
    for (const subscription of this.subscriptions) subscription.unsubscribe();
    this.subscriptions = [];
    if (this.timer) clearInterval(this.timer);
    await this.replays.stopAll();
  }
}

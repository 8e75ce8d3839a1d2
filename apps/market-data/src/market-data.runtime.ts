import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { Subscription } from '@nats-io/transport-node';
import { Consumers, tickEnvelopeSchema, type Envelope, type Tick } from '@mt5/contracts';
import { ConsumerRegistry, JetStreamConsumer } from '@mt5/infra/nats';
import type { ZodType } from 'zod';
import { LiveBarsUseCase } from './application/live-bars/live-bars.use-case.js';
import { ReplayRegistry } from './application/replay-bars/replay-registry.js';
import { serveMarketDataQueries } from './adapters/market-data.queries.js';
import type { MarketData } from './market-data.composition.js';
import { MARKET_DATA_PORTS, type MarketDataPorts } from './market-data.ports.js';

export const MARKET_DATA = Symbol('MARKET_DATA');

const CLOCK_TICK_MS = 1_000;

/**
 * The running service: the request/reply API, the `market-data-ticks` consumer (live ticks →
 * bars) and the clock that closes quiet live minutes. Stops in the reverse order on shutdown,
 * before NATS drains: queries, clock, replays; the consumer registry stops the consumer.
 */
@Injectable()
export class MarketDataRuntime implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly replays: ReplayRegistry;
  readonly live: LiveBarsUseCase;
  private subscriptions: Subscription[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(MARKET_DATA_PORTS) private readonly ports: MarketDataPorts,
    @Inject(MARKET_DATA) private readonly md: MarketData,
    @Inject(ConsumerRegistry) private readonly consumers: ConsumerRegistry,
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
    this.consumers.register(new JetStreamConsumer<Tick>({
      js, spec: Consumers.marketDataTicks, provision, logger,
      schema: tickEnvelopeSchema as unknown as ZodType<Envelope<Tick>>,
      handle: async (envelope) => {
        const outcome = await this.live.onTick(envelope.data);
        // A late or unusable tick is an expected outcome: acknowledged, logged, never retried.
        if (!outcome.accepted) logger.debug({ symbol: envelope.data.symbol, time: envelope.data.time, reason: outcome.reason }, 'tick not used');
      },
    }));
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
    for (const subscription of this.subscriptions) subscription.unsubscribe();
    this.subscriptions = [];
    if (this.timer) clearInterval(this.timer);
    await this.replays.stopAll();
  }
}

import type { NatsConnection, Subscription } from '@nats-io/nats-core';
import type { Logger } from 'pino';
import { defaultDataDir, loadMarketFiles } from '../adapters/market-files.loader.js';
import { driveFromBars } from '../adapters/nats-bar-driver.js';
import { serveSimulatorControl } from '../adapters/simulator-control.js';
import { SimBroker } from '../broker/sim-broker.js';
import { ALWAYS_OPEN, DEFAULT_SIM_SYMBOLS } from '../broker/sim-symbols.js';
import type { Mt5SimulatorConfig } from '../config.js';
import { BarPlayer } from '../feeds/bar-player.js';
import { randomWalkBars } from '../feeds/random-walk.js';
import { replayTimeline } from '../feeds/replay-timeline.js';
import { FaultPlan } from '../terminal/fault-plan.js';
import { SimTerminal } from '../terminal/sim-terminal.js';

/**
 * The simulator as a running service: one broker for the account, the terminal dialling the
 * gateway's bridge, a price feed (replay, random walk or driven by NATS bars) and the control
 * subjects. Built from config; started and stopped by the Nest lifecycle.
 */
export class SimulatorRuntime {
  readonly broker: SimBroker;
  readonly terminal: SimTerminal;
  private player: BarPlayer | undefined;
  private subscriptions: Subscription[] = [];
  /** The feed actually used: replay falls back to random-walk when there is no data directory. */
  private readonly feed: { kind: 'replay'; dataDir: string } | { kind: 'random-walk' | 'driven' };

  constructor(private readonly config: Mt5SimulatorConfig, private readonly nc: NatsConnection, private readonly logger: Logger) {
    const wanted = new Set(config.SIM_SYMBOLS.split(','));
    const symbols = DEFAULT_SIM_SYMBOLS.filter((symbol) => wanted.has(symbol.symbol))
      .map((symbol) => (config.SIM_ALWAYS_OPEN ? { ...symbol, sessions: ALWAYS_OPEN } : symbol));
    const unknown = [...wanted].filter((name) => !symbols.some((s) => s.symbol === name));
    if (unknown.length > 0) logger.warn({ unknown }, 'SIM_SYMBOLS names symbols the simulator has no specification for; ignored');
    const dataDir = config.SIM_FEED === 'replay' ? config.SIM_DATA_DIR ?? defaultDataDir() : undefined;
    this.feed = config.SIM_FEED === 'replay' ? (dataDir ? { kind: 'replay', dataDir } : { kind: 'random-walk' }) : { kind: config.SIM_FEED };
    this.broker = new SimBroker({
      symbols,
      account: {
        login: config.SIM_LOGIN, currency: config.SIM_CURRENCY, balance: config.SIM_BALANCE, leverage: config.SIM_LEVERAGE,
        // Server time is the latest quote's time; replayed and driven bars are history, so the
        // deposit must not sit in the future of every quote.
        marginMode: config.SIM_MARGIN_MODE, openedAt: this.feed.kind === 'random-walk' ? Date.now() : 0,
      },
    });
    this.terminal = new SimTerminal({
      broker: this.broker, account: config.ACCOUNT_ID, host: config.BRIDGE_HOST, port: config.BRIDGE_PORT, secret: config.BRIDGE_SHARED_SECRET,
      ...(config.BRIDGE_TLS_CA ? { tls: { caPath: config.BRIDGE_TLS_CA, servername: config.BRIDGE_TLS_SERVERNAME } } : {}),
      faults: new FaultPlan(config.SIM_FAULTS), logger,
    });
  }

  start(): void {
    this.subscriptions.push(...serveSimulatorControl(this.nc, this.broker, this.terminal, this.logger));
    this.startFeed();
    this.terminal.start();
  }

  stop(): void {
    this.player?.stop();
    this.terminal.stop();
    for (const subscription of this.subscriptions) subscription.unsubscribe();
    this.subscriptions = [];
  }

  private startFeed(): void {
    const config = this.config;
    const symbols = this.broker.symbols();
    const maxGapMs = config.SIM_MAX_GAP_SECONDS * 1000;
    if (this.feed.kind === 'driven') {
      this.subscriptions.push(...driveFromBars(this.nc, this.broker, config.SIM_MD_VENUE, symbols.map((s) => s.symbol), this.logger));
      this.logger.info({ venue: config.SIM_MD_VENUE }, 'feed: driven by closed M1 bars on NATS');
      return;
    }
    if (this.feed.kind === 'replay') {
      const series = loadMarketFiles(this.feed.dataDir, symbols.map((s) => s.symbol));
      for (const loaded of series) this.logger.info({ symbol: loaded.symbol, file: loaded.file, bars: loaded.bars.length, rejected: loaded.rejected }, 'replay series loaded');
      const speed = config.SIM_SPEED ?? 60;
      const timeline = replayTimeline(series);
      this.player = new BarPlayer(this.broker, timeline.bars[Symbol.iterator](), {
        speed, maxGapMs, fastForwardUntil: timeline.allQuotedAt, onEnd: () => this.logger.info('replay finished: quotes stay at the last bar'),
      });
      const startsAt = timeline.allQuotedAt === undefined ? undefined : new Date(timeline.allQuotedAt).toISOString();
      this.logger.info({ dataDir: this.feed.dataDir, speed, startsAt }, 'feed: replaying market files (shifted by whole weeks onto one timeline)');
    } else {
      if (config.SIM_FEED === 'replay') this.logger.warn('feed: no market data directory found; falling back to random-walk');
      const speed = config.SIM_SPEED ?? 1;
      // The walk starts at the current minute: its points before now are applied at once, so
      // quotes carry the wall-clock time from the start, and a quote comes every second.
      const now = Date.now();
      this.player = new BarPlayer(this.broker, randomWalkBars(symbols, config.SIM_SEED, now), { speed, maxGapMs, fastForwardUntil: now, quoteEveryMs: 1_000 });
      this.logger.info({ seed: config.SIM_SEED, speed }, 'feed: seeded random walk');
    }
    this.player.start();
  }
}

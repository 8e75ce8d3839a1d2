import { Subjects, type BarClosed } from '@mt5/contracts';
import type { Bar } from '@mt5/domain/market';
import { requestQuery, type NatsHandles } from '@mt5/infra/nats';
import type { StrategyOnSeries } from './signal-forecast.js';

/** A `{ ok: false }` answer of a service, with its stable code. */
export class PlatformError extends Error {
  override readonly name = 'PlatformError';
  constructor(readonly subject: string, readonly code: string, message: string, readonly retryable: boolean) {
    super(`${subject}: ${code}: ${message}`);
  }
}

export interface CoverageRow {
  readonly venue: string;
  readonly symbol: string;
  readonly timeframe: string;
  readonly first: string;
  readonly last: string;
  readonly bars: number;
}

export interface StrategyView extends StrategyOnSeries {
  readonly venue: string;
  readonly enabled: boolean;
  readonly magic: number;
  readonly status: {
    readonly state: 'running' | 'disabled' | 'invalid';
    readonly problems?: readonly string[];
    readonly symbols?: readonly { readonly symbol: string; readonly lastProcessedBarTime: string | null }[];
  };
}

export interface ReplayStatus {
  readonly replayId: string;
  readonly state: 'running' | 'completed' | 'cancelled' | 'failed';
  readonly published: number;
  readonly total: number;
  readonly position: string | null;
  readonly error: string | null;
  readonly result: { readonly published: number; readonly duplicates: number } | null;
}

/**
 * The services' request/reply API as the run command uses it (subjects from libs/contracts,
 * bodies as documented by each service). Every `{ ok: false }` answer becomes a PlatformError.
 */
export class PlatformClient {
  constructor(private readonly nats: NatsHandles, readonly venue = 'MT5') {}

  async ask<T>(subject: string, body: unknown = {}, timeoutMs = 10_000): Promise<T> {
    const reply = await requestQuery<T>(this.nats.nc, subject, body, timeoutMs);
    if (!reply.ok) throw new PlatformError(subject, reply.error.code, reply.error.message, reply.error.retryable);
    return reply.data;
  }

  async coverage(symbols: readonly string[]): Promise<CoverageRow[]> {
    const data = await this.ask<{ series: CoverageRow[] }>(Subjects.query('market-data', 'coverage'), { venue: this.venue, symbols, timeframe: 'M1' });
    return data.series;
  }

  /** Stored M1 bars of one symbol with open time before `to`, oldest first, a page at a time. */
  async *bars(symbol: string, to: number): AsyncGenerator<Bar> {
    let after: string | undefined;
    for (;;) {
      const page = await this.ask<{ bars: BarClosed[]; next: string | null }>(
        Subjects.query('market-data', 'bars'), { venue: this.venue, symbol, timeframe: 'M1', to: new Date(to).toISOString(), ...(after ? { after } : {}) }, 30_000,
      );
      for (const bar of page.bars) {
        yield {
          venue: bar.venue, symbol: bar.symbol, timeframe: bar.timeframe, openTime: Date.parse(bar.openTime),
          open: Number(bar.open), high: Number(bar.high), low: Number(bar.low), close: Number(bar.close), tickVolume: bar.tickVolume,
          ...(bar.spread === undefined ? {} : { spreadPoints: bar.spread }),
        };
      }
      if (page.next === null) return;
      after = page.next;
    }
  }

  async strategies(): Promise<StrategyView[]> {
    return (await this.ask<{ strategies: StrategyView[] }>(Subjects.query('signal-engine', 'strategies'))).strategies;
  }

  /** Inserts the default strategy set where absent and turns on those that are off. */
  async seedDefaultStrategies(): Promise<{ created: string[]; existing: string[]; enabled: string[] }> {
    return this.ask(Subjects.command('signal-engine', 'seed-defaults'), { enable: true, venue: this.venue }, 60_000);
  }

  async startReplay(symbols: readonly string[], from: number, to: number, tag?: string): Promise<ReplayStatus> {
    return this.ask(Subjects.command('market-data', 'replay'), {
      venue: this.venue, symbols, timeframe: 'M1', from: new Date(from).toISOString(), to: new Date(to).toISOString(), speed: 'max', ...(tag ? { tag } : {}),
    });
  }

  async replayStatus(replayId: string): Promise<ReplayStatus> {
    const data = await this.ask<{ replays: ReplayStatus[] }>(Subjects.query('market-data', 'replay-status'), { replayId });
    return data.replays[0]!;
  }

  async cancelReplay(replayId: string): Promise<void> {
    await this.ask(Subjects.command('market-data', 'replay-cancel'), { replayId }).catch(() => undefined);
  }

  /** Reporting's figures for the account over trades that closed in `[from, to)`. */
  async performance(account: string, from?: number, to?: number): Promise<Performance> {
    return this.ask<Performance>(Subjects.query('reporting', 'performance'), {
      account, ...(from === undefined ? {} : { from: new Date(from).toISOString() }), ...(to === undefined ? {} : { to: new Date(to).toISOString() }),
    }, 30_000);
  }
}

interface DrawdownEpisode {
  readonly money: number;
  readonly percent: number;
  readonly peakTime: string;
  readonly troughTime: string;
}

/** The parts of `rpt.qry.performance` the summary prints (docs/reporting.md has the rest). */
export interface Performance {
  readonly from: string | null;
  readonly to: string | null;
  readonly summary: {
    readonly trades: number;
    readonly wins: number;
    readonly losses: number;
    readonly netProfit: string;
    readonly winRate: number | null;
    readonly profitFactor: number | null;
  };
  readonly startEquity: number | null;
  readonly endEquity: number | null;
  readonly maxDrawdown: { readonly money: DrawdownEpisode | null; readonly percent: DrawdownEpisode | null };
  readonly exitReasons: Readonly<Record<string, number>>;
}

import type { SignalEnvelope, Timeframe } from '@mt5/contracts';
import type { Bar } from '@mt5/domain/market';

/** Where the service reads the time, so tests can own it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** One bar series: a symbol's bars of one timeframe on one venue. */
export interface SeriesKey {
  readonly venue: string;
  readonly symbol: string;
  readonly timeframe: Timeframe;
}

export function seriesId(key: SeriesKey): string {
  return `${key.venue}\u0000${key.symbol}\u0000${key.timeframe}`;
}

/** A strategy configuration as stored (`strategy_configs`). Parameters are the full validated set. */
export interface StrategyConfig {
  readonly id: string;
  readonly kind: string;
  readonly name: string;
  readonly venue: string;
  readonly symbols: readonly string[];
  readonly timeframe: Timeframe;
  readonly params: Readonly<Record<string, unknown>>;
  readonly enabled: boolean;
  readonly magic: number;
  readonly account: string | null;
  /** Percent of equity per trade, decimal text (`0.5`). */
  readonly riskPerTradePct: string;
  readonly maxOpenPositions: number;
  /** Lots, decimal text; null = the instrument's maximum. */
  readonly maxVolume: string | null;
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** The writable part of a config (id, timestamps and version are the store's). */
export type StrategyConfigFields = Omit<StrategyConfig, 'id' | 'version' | 'createdAt' | 'updatedAt'>;

/** Persistence of strategy configs. Every update bumps `version`; `expectedVersion` makes it conditional. */
export interface StrategyConfigStore {
  list(): Promise<StrategyConfig[]>;
  get(id: string): Promise<StrategyConfig | undefined>;
  /** Inserts unless a config with this id or magic exists; returns the stored row when inserted. */
  insertIfAbsent(id: string, fields: StrategyConfigFields): Promise<StrategyConfig | undefined>;
  /** Inserts or replaces the whole config. */
  upsert(id: string, fields: StrategyConfigFields, expectedVersion?: number): Promise<UpdateOutcome>;
  update(id: string, change: Partial<Pick<StrategyConfig, 'enabled' | 'params'>>, expectedVersion?: number): Promise<UpdateOutcome>;
  /** Id of the config holding this magic number, if any. */
  magicOwner(magic: number): Promise<string | undefined>;
}

export type UpdateOutcome =
  | { readonly kind: 'updated'; readonly config: StrategyConfig }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'version-conflict'; readonly current: number };

/** A stored bar with its close exactly as stored (the price a signal on it carries). */
export interface StoredBar extends Bar {
  readonly closeText: string;
}

/** Stored bars, read to warm strategies up and to catch up on bars a strategy has not evaluated. */
export interface BarHistory {
  /** The newest `count` bars of a series, oldest first, with `openTime <= atOrBefore` / `< before` when given. */
  lastBars(key: SeriesKey, count: number, bound?: { readonly atOrBefore?: number; readonly before?: number }): Promise<StoredBar[]>;
  /** Number of stored bars with `openTime <= atOrBefore` / `< before` (all when no bound): the series index of the next one. */
  countBars(key: SeriesKey, bound?: { readonly atOrBefore?: number; readonly before?: number }): Promise<number>;
  /** Bars with `after < openTime < before`, oldest first, at most `limit`. */
  barsBetween(key: SeriesKey, after: number, before: number, limit: number): Promise<StoredBar[]>;
  /** Open time of the newest stored bar strictly before `openTime`, or undefined. */
  previousOpenTime(key: SeriesKey, openTime: number): Promise<number | undefined>;
}

/** A signal ready to store and publish: the envelope (the payload is the wire signal) and its subject. */
export interface OutgoingSignal {
  readonly subject: string;
  readonly envelope: SignalEnvelope;
}

/** What one bar did to the store, committed atomically. */
export interface BarCommit {
  /** Strategies that evaluated the bar; each gets a processed-bar marker. */
  readonly strategyIds: readonly string[];
  readonly key: SeriesKey;
  readonly barOpenTime: number;
  readonly signals: readonly OutgoingSignal[];
  /** W3C trace headers of the bar's trace, for the outbox relay. */
  readonly traceHeaders: Readonly<Record<string, string>>;
}

/**
 * Signals, their outbox rows and the processed-bar markers. One transaction per bar: the markers,
 * and for each signal that is new (its id not yet stored) the signal row and its outbox row.
 */
export interface SignalStore {
  /** Returns the signals that were new (already stored ones are neither stored nor published again). */
  commitBar(commit: BarCommit): Promise<OutgoingSignal[]>;
  /** Open time of the newest bar this strategy evaluated on this series, or undefined. */
  lastProcessed(strategyId: string, key: SeriesKey): Promise<number | undefined>;
}

/** Sends committed signals to JetStream (and marks their outbox rows sent). Never throws: the relay retries. */
export interface SignalPublisher {
  publish(signals: readonly OutgoingSignal[]): Promise<void>;
}

/** Told when a strategy config changed, so the running engine rebuilds it. */
export interface StrategyChangeListener {
  strategyChanged(id: string): Promise<void>;
}

// Test support (imported by *.spec.ts only): in-memory stores behind the engine's ports, real
// EURUSD M1 bars from the shared data, and bar messages as market-data publishes them.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BarClosedMessage, createMessage, type BarClosedEnvelope } from '@mt5/contracts';
import { importBarText, type ImportedBar } from '@mt5/domain/market';
import { pino } from 'pino';
import { StrategyRuntime } from '../application/evaluate-bar/strategy-runtime.js';
import { EvaluateBarUseCase } from '../application/evaluate-bar/evaluate-bar.use-case.js';
import {
  seriesId, type BarCommit, type BarHistory, type OutgoingSignal, type SeriesKey, type SignalStore, type StoredBar, type StrategyConfig,
  type StrategyConfigFields, type StrategyConfigStore, type UpdateOutcome,
} from '../application/ports.js';

export const silentLogger = pino({ level: 'silent' });

/** /work/shared/data/market, from this file (apps/signal-engine/src/testing). */
export const SHARED_MARKET_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../../shared/data/market');

let eurusd: ImportedBar[] | undefined;
/** The first `count` real EURUSD M1 bars (2022-01-04 18:00 on, broker time read as UTC), venue `MT5`. */
export function eurusdBars(count: number): ImportedBar[] {
  eurusd ??= importBarText(readFileSync(path.join(SHARED_MARKET_DIR, 'EURUSD_M1.mt5-export.csv'), 'utf8'), { venue: 'MT5', symbol: 'EURUSD', timeframe: 'M1' }).bars;
  return eurusd.slice(0, count);
}

/** A bar as market-data publishes it: the source's price texts, its identity as message id. */
export function barMessage(bar: ImportedBar, tag = ''): BarClosedEnvelope {
  const id = `bar:${bar.venue}:${bar.symbol}:${bar.timeframe}:${bar.openTime}${tag}`;
  return createMessage(BarClosedMessage, {
    id, tsEvent: new Date(bar.openTime + 60_000), tsInit: new Date(bar.openTime + 60_000),
    data: {
      venue: bar.venue, symbol: bar.symbol, timeframe: bar.timeframe, openTime: new Date(bar.openTime).toISOString(),
      closeTime: new Date(bar.openTime + 60_000).toISOString(), open: bar.openText, high: bar.highText, low: bar.lowText, close: bar.closeText,
      tickVolume: bar.tickVolume,
    },
  });
}

/** Stored bars: what market-data has written (tests store a bar before delivering it, as market-data does). */
export class MemoryBarHistory implements BarHistory {
  private readonly bars = new Map<string, StoredBar[]>();

  store(...bars: ImportedBar[]): void {
    for (const bar of bars) {
      const series = this.bars.get(seriesId(bar)) ?? [];
      if (!series.some((other) => other.openTime === bar.openTime)) series.push({ ...bar, closeText: bar.closeText });
      series.sort((a, b) => a.openTime - b.openTime);
      this.bars.set(seriesId(bar), series);
    }
  }

  async lastBars(key: SeriesKey, count: number, bound: { atOrBefore?: number; before?: number } = {}): Promise<StoredBar[]> {
    const series = (this.bars.get(seriesId(key)) ?? []).filter((bar) =>
      (bound.atOrBefore === undefined || bar.openTime <= bound.atOrBefore) && (bound.before === undefined || bar.openTime < bound.before));
    return series.slice(Math.max(0, series.length - count));
  }

  async countBars(key: SeriesKey, bound: { atOrBefore?: number; before?: number } = {}): Promise<number> {
    return (await this.lastBars(key, Number.MAX_SAFE_INTEGER, bound)).length;
  }

  async barsBetween(key: SeriesKey, after: number, before: number, limit: number): Promise<StoredBar[]> {
    return (this.bars.get(seriesId(key)) ?? []).filter((bar) => bar.openTime > after && bar.openTime < before).slice(0, limit);
  }

  async previousOpenTime(key: SeriesKey, openTime: number): Promise<number | undefined> {
    return (this.bars.get(seriesId(key)) ?? []).filter((bar) => bar.openTime < openTime).at(-1)?.openTime;
  }
}

/** Signals and processed markers in memory; `failNextCommit` simulates a database that drops the transaction. */
export class MemorySignalStore implements SignalStore {
  readonly signals = new Map<string, OutgoingSignal>();
  readonly processed = new Map<string, number[]>();
  failNextCommit = false;

  async commitBar(commit: BarCommit): Promise<OutgoingSignal[]> {
    if (this.failNextCommit) {
      this.failNextCommit = false;
      throw Object.assign(new Error('connection terminated unexpectedly'), { code: 'ECONNRESET' });
    }
    for (const id of commit.strategyIds) {
      const key = `${id}|${seriesId(commit.key)}`;
      this.processed.set(key, [...(this.processed.get(key) ?? []), commit.barOpenTime]);
    }
    const fresh = commit.signals.filter((signal) => !this.signals.has(signal.envelope.id));
    for (const signal of fresh) this.signals.set(signal.envelope.id, signal);
    return fresh;
  }

  async lastProcessed(strategyId: string, key: SeriesKey): Promise<number | undefined> {
    const times = this.processed.get(`${strategyId}|${seriesId(key)}`);
    return times ? Math.max(...times) : undefined;
  }
}

/** Configs in memory, with the store's version and magic rules. */
export class MemoryConfigStore implements StrategyConfigStore {
  readonly configs = new Map<string, StrategyConfig>();

  async list() { return [...this.configs.values()].sort((a, b) => a.id.localeCompare(b.id)); }
  async get(id: string) { return this.configs.get(id); }
  async magicOwner(magic: number) { return [...this.configs.values()].find((config) => config.magic === magic)?.id; }

  async insertIfAbsent(id: string, fields: StrategyConfigFields) {
    if (this.configs.has(id) || (await this.magicOwner(fields.magic)) !== undefined) return undefined;
    return this.put({ ...fields, id, version: 1, createdAt: new Date(0), updatedAt: new Date(0) });
  }

  async upsert(id: string, fields: StrategyConfigFields, expectedVersion?: number): Promise<UpdateOutcome> {
    const current = this.configs.get(id);
    if (!current) return { kind: 'updated', config: this.put({ ...fields, id, version: 1, createdAt: new Date(0), updatedAt: new Date(0) }) };
    if (expectedVersion !== undefined && expectedVersion !== current.version) return { kind: 'version-conflict', current: current.version };
    return { kind: 'updated', config: this.put({ ...current, ...fields, version: current.version + 1 }) };
  }

  async update(id: string, change: Partial<Pick<StrategyConfig, 'enabled' | 'params'>>, expectedVersion?: number): Promise<UpdateOutcome> {
    const current = this.configs.get(id);
    if (!current) return { kind: 'not-found' };
    if (expectedVersion !== undefined && expectedVersion !== current.version) return { kind: 'version-conflict', current: current.version };
    return { kind: 'updated', config: this.put({ ...current, ...change, version: current.version + 1 }) };
  }

  private put(config: StrategyConfig): StrategyConfig {
    this.configs.set(config.id, config);
    return config;
  }
}

/** A stored ma-crossover config on EURUSD M1 (the parameters the backtester's real-data test uses). */
export function maCrossoverConfig(overrides: Partial<StrategyConfig> = {}): StrategyConfig {
  return {
    id: 'ma-10-30', kind: 'ma-crossover', name: 'SMA 10/30', venue: 'MT5', symbols: ['EURUSD'], timeframe: 'M1',
    params: { fast: 10, slow: 30 }, enabled: true, magic: 7, account: null, riskPerTradePct: '0.5', maxOpenPositions: 1, maxVolume: null,
    version: 1, createdAt: new Date(0), updatedAt: new Date(0), ...overrides,
  };
}

/** One engine (a service instance) over shared stores: a restart is a second engine on the same stores. */
export function engineOver(
  stores: { configs: MemoryConfigStore; history: MemoryBarHistory; signals: MemorySignalStore },
  options: { warmUp?: { factor: number; maxBars: number }; retryDelaysMs?: number[]; catchUpMaxBars?: number } = {},
) {
  const runtime = new StrategyRuntime(stores.configs, stores.history, stores.signals, options.warmUp ?? { factor: 40, maxBars: 100_000 }, silentLogger);
  const retry = { delaysMs: options.retryDelaysMs ?? [], isTransient: (error: unknown) => (error as { code?: string }).code === 'ECONNRESET' };
  const evaluate = new EvaluateBarUseCase(runtime, stores.history, stores.signals, { now: () => new Date(Date.UTC(2026, 0, 1)) },
    { retry, catchUpMaxBars: options.catchUpMaxBars ?? 10_000 }, silentLogger);
  return { runtime, evaluate };
}

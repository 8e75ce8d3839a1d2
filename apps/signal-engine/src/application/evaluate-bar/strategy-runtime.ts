import { buildStrategy } from '@mt5/domain/strategies';
import type { Logger } from 'pino';
import { seriesId, type BarHistory, type SeriesKey, type SignalStore, type StrategyChangeListener, type StrategyConfig, type StrategyConfigStore } from '../ports.js';
import { StrategySlot, warmUpCount } from './strategy-slot.js';
import { phaseModulus, warmUpBars } from './warm-up.js';

export interface WarmUpSettings {
  readonly factor: number;
  readonly maxBars: number;
}

/** What the engine is doing with one config, for `sig.qry.strategies`. */
export interface StrategyRuntimeStatus {
  readonly state: 'running' | 'disabled' | 'invalid';
  /** Why a stored config could not be built (it is skipped until fixed). */
  readonly problems?: readonly string[];
  readonly warmUpBars?: number;
  readonly symbols?: readonly {
    readonly symbol: string;
    readonly warmedBars: number;
    /** Open time (ISO) of the newest bar the instance has seen. */
    readonly lastBarTime: string | null;
    /** Open time (ISO) of the newest bar evaluated and committed. */
    readonly lastProcessedBarTime: string | null;
  }[];
}

const iso = (time: number) => (Number.isFinite(time) ? new Date(time).toISOString() : null);

/**
 * The enabled strategies, one {@link StrategySlot} per (strategy, symbol), indexed by series.
 * Bar evaluation and reloads run one at a time through {@link exclusive}, so a reload never
 * swaps instances under a bar that is being evaluated.
 */
export class StrategyRuntime implements StrategyChangeListener {
  private readonly slotsById = new Map<string, StrategySlot[]>();
  private readonly slotsBySeries = new Map<string, StrategySlot[]>();
  private readonly invalid = new Map<string, readonly string[]>();
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly configs: StrategyConfigStore,
    private readonly history: BarHistory,
    private readonly store: SignalStore,
    private readonly warmUp: WarmUpSettings,
    private readonly logger: Logger,
  ) {}

  /** Runs `task` after every task queued before it has settled. */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.tail.then(task, task);
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Builds and warms every enabled config (at start). */
  async loadAll(): Promise<void> {
    await this.exclusive(async () => {
      for (const config of await this.configs.list()) {
        if (config.enabled) await this.activate(config, false);
      }
    });
    this.logger.info({ strategies: [...this.slotsById.keys()], invalid: [...this.invalid.keys()] }, 'strategies loaded and warmed');
  }

  /**
   * Rebuilds one strategy from its stored config (enabled: new instances, warmed; disabled or
   * gone: removed). The change applies from the newest stored bar on (see {@link warmAtStart}).
   */
  async strategyChanged(id: string): Promise<void> {
    await this.exclusive(async () => {
      this.deactivate(id);
      const config = await this.configs.get(id);
      if (config?.enabled) await this.activate(config, true);
      this.logger.info({ strategyId: id, enabled: config?.enabled ?? false, version: config?.version }, 'strategy reloaded');
    });
  }

  /** Rebuilds every strategy (an operator's full reload). */
  async reloadAll(): Promise<void> {
    await this.exclusive(async () => {
      for (const id of [...this.slotsById.keys(), ...this.invalid.keys()]) this.deactivate(id);
    });
    await this.loadAll();
  }

  /** Slots listening to a series (empty when no enabled strategy trades it). */
  slotsFor(key: SeriesKey): readonly StrategySlot[] {
    return this.slotsBySeries.get(seriesId(key)) ?? [];
  }

  status(config: StrategyConfig): StrategyRuntimeStatus {
    const problems = this.invalid.get(config.id);
    if (problems) return { state: 'invalid', problems };
    const slots = this.slotsById.get(config.id);
    if (!slots) return { state: 'disabled' };
    return {
      state: 'running',
      warmUpBars: slots[0]?.warmUpCount,
      symbols: slots.map((slot) => ({
        symbol: slot.key.symbol, warmedBars: slot.warmedBars, lastBarTime: iso(slot.lastFed), lastProcessedBarTime: iso(slot.cursor),
      })),
    };
  }

  /**
   * Warms a slot with the stored bars up to where it left off: the last bar it evaluated, or,
   * for a strategy that never ran, the newest stored bar. Bars after that arrive on the stream.
   * After a change (`fromNewest`) a strategy that ran before resumes at the newest stored bar
   * instead: the bars of a pause are warm-up, not evaluated (their signals would be stale).
   */
  private async warmAtStart(slot: StrategySlot, fromNewest: boolean): Promise<void> {
    let cursor = await this.store.lastProcessed(slot.strategyId, slot.key);
    if (fromNewest && cursor !== undefined) {
      const newest = (await this.history.lastBars(slot.key, 1))[0];
      if (newest && newest.openTime > cursor) {
        await this.store.commitBar({ strategyIds: [slot.strategyId], key: slot.key, barOpenTime: newest.openTime, signals: [], traceHeaders: {} });
        cursor = newest.openTime;
      }
    }
    slot.warm(await warmUpBars(this.history, slot, cursor === undefined ? {} : { atOrBefore: cursor }));
    slot.cursor = cursor ?? Number.NEGATIVE_INFINITY;
  }

  private async activate(config: StrategyConfig, changed: boolean): Promise<void> {
    const slots: StrategySlot[] = [];
    for (const symbol of config.symbols) {
      const built = buildStrategy(config.kind, config.params);
      if (!built.ok) {
        this.invalid.set(config.id, built.problems);
        this.logger.error({ strategyId: config.id, problems: built.problems }, 'stored strategy config is invalid: skipped until fixed');
        return;
      }
      const key: SeriesKey = { venue: config.venue, symbol, timeframe: config.timeframe };
      slots.push(new StrategySlot(config, key, built.instance, warmUpCount(built.instance, this.warmUp.factor, this.warmUp.maxBars), phaseModulus(built.params as Record<string, unknown>)));
    }
    for (const slot of slots) await this.warmAtStart(slot, changed);
    this.slotsById.set(config.id, slots);
    for (const slot of slots) {
      const id = seriesId(slot.key);
      this.slotsBySeries.set(id, [...(this.slotsBySeries.get(id) ?? []), slot]);
    }
  }

  private deactivate(id: string): void {
    this.invalid.delete(id);
    const slots = this.slotsById.get(id);
    if (!slots) return;
    this.slotsById.delete(id);
    for (const slot of slots) {
      const key = seriesId(slot.key);
      const remaining = (this.slotsBySeries.get(key) ?? []).filter((other) => other.strategyId !== id);
      if (remaining.length > 0) this.slotsBySeries.set(key, remaining);
      else this.slotsBySeries.delete(key);
    }
  }
}

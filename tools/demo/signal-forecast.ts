import type { Bar } from '@mt5/domain/market';
import { buildStrategy } from '@mt5/domain/strategies';

/** An enabled strategy as `sig.qry.strategies` lists it (the fields the forecast needs). */
export interface StrategyOnSeries {
  readonly id: string;
  readonly kind: string;
  readonly params: unknown;
  readonly symbols: readonly string[];
  readonly timeframe: string;
}

/** One forecast signal: the bar (open time) a strategy is expected to signal on. */
export interface ForecastSignal {
  readonly strategyId: string;
  readonly symbol: string;
  readonly barTime: number;
}

/**
 * Where the strategies will signal: the same strategy code the signal engine runs (the domain
 * registry), fed with the stored bars of one symbol from its first bar, oldest first. Only bars
 * at or after `from` count. It tells the lockstep replay where to wait for the pipeline; it is a
 * forecast, not a check: a signal it misses is still traded, only on later prices.
 *
 * The engine warms a strategy from a window of stored bars rather than the whole history; for
 * SMA-based rules that is the same state, and recursive averages (EMA, RSI, ATR) forget their
 * seed (signal-engine's SIG_WARM_UP_FACTOR), so the two agree but for rare ties.
 */
export function forecastSignals(strategies: readonly StrategyOnSeries[], symbol: string, bars: Iterable<Bar>, from: number): ForecastSignal[] {
  const instances = strategies
    .filter((strategy) => strategy.timeframe === 'M1' && strategy.symbols.includes(symbol))
    .flatMap((strategy) => {
      const built = buildStrategy(strategy.kind, strategy.params);
      return built.ok ? [{ id: strategy.id, instance: built.instance }] : [];
    });
  const signals: ForecastSignal[] = [];
  if (instances.length === 0) return signals;
  for (const bar of bars) {
    for (const { id, instance } of instances) {
      const draft = instance.onBar(bar);
      if (draft && bar.openTime >= from) signals.push({ strategyId: id, symbol, barTime: bar.openTime });
    }
  }
  return signals;
}

import { bollingerBreakout, type BollingerBreakoutParams } from './bollinger-breakout.strategy.js';
import { donchianBreakout, type DonchianBreakoutParams } from './donchian-breakout.strategy.js';
import { maCrossover, type MaCrossoverParams } from './ma-crossover.strategy.js';
import { macdTrend, type MacdTrendParams } from './macd-trend.strategy.js';
import { rsiReversion, type RsiReversionParams } from './rsi-reversion.strategy.js';
import { StrategyKinds, type BuildResult, type StrategyDefinition, type StrategyKind } from './strategy.js';

/** Parameter type of each strategy kind. */
export interface StrategyParamsByKind {
  'ma-crossover': MaCrossoverParams;
  'rsi-reversion': RsiReversionParams;
  'bollinger-breakout': BollingerBreakoutParams;
  'macd-trend': MacdTrendParams;
  'donchian-breakout': DonchianBreakoutParams;
}

/** Every strategy kind the platform implements, keyed by kind. */
export const strategyRegistry: { readonly [K in StrategyKind]: StrategyDefinition<StrategyParamsByKind[K]> } = {
  'ma-crossover': maCrossover,
  'rsi-reversion': rsiReversion,
  'bollinger-breakout': bollingerBreakout,
  'macd-trend': macdTrend,
  'donchian-breakout': donchianBreakout,
};

export function isStrategyKind(value: string): value is StrategyKind {
  return (StrategyKinds as readonly string[]).includes(value);
}

/**
 * Builds an instance from untyped configuration (a stored strategy config, CLI flags): an unknown
 * kind or invalid parameters come back as problems, never as an exception.
 */
export function buildStrategy(kind: string, params: unknown): BuildResult {
  if (!isStrategyKind(kind)) return { ok: false, problems: [`kind: unknown strategy ${JSON.stringify(kind)} (known: ${StrategyKinds.join(', ')})`] };
  return strategyRegistry[kind].build(params);
}

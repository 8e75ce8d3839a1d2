import type { Bar } from '../market/index.js';
import { buildStrategy } from '../strategies/index.js';
import { BacktestConfigError, type BacktestConfig, type BacktestResult } from './backtest.types.js';
import { validateBacktestConfig } from './backtester.js';
import { SimulatorRun } from './simulator-backtest.js';

/** What the strategies of one portfolio run must share: the account, the instrument and the costs. */
const SHARED = ['initialBalance', 'accountCurrency', 'commissionPerLotPerSide', 'spreadPoints', 'maxPositionsPerSymbol', 'tradeFrom', 'fillModel'] as const;

/**
 * Several strategies on one symbol and one account in the `mt5-simulator` model, as the pipeline
 * trades an enabled strategy set: one balance, one snapshot equity for sizing, one position limit
 * for the symbol; on a bar where several strategies signal, they are decided in the order given
 * (the order signal-engine publishes them). Each strategy keeps its own `strategyId` (signal ids),
 * `riskPercent` and `maxLots`; the rest must be the same in every config. Returns one result per
 * config, in order; each trade's `balance` and the equity curves are the shared account's.
 *
 * @throws BacktestConfigError when a config is invalid, not `mt5-simulator`, or not shared where it must be.
 */
export function runSimulatorPortfolio(bars: readonly Bar[], configs: readonly BacktestConfig[]): BacktestResult[] {
  const problems: string[] = configs.length === 0 ? ['configs: at least one strategy'] : [];
  const [first] = configs;
  const ids = new Set<string>();
  const lanes = configs.flatMap((config, index) => {
    problems.push(...validateBacktestConfig(config).map((problem) => `configs[${index}].${problem}`));
    if (config.fillModel !== 'mt5-simulator') problems.push(`configs[${index}].fillModel: must be mt5-simulator, got ${config.fillModel ?? 'next-open'}`);
    if (config.instrument.symbol !== first!.instrument.symbol) problems.push(`configs[${index}].instrument: must be ${first!.instrument.symbol} like the first, got ${config.instrument.symbol}`);
    for (const field of SHARED) if (config[field] !== first![field]) problems.push(`configs[${index}].${field}: must equal the first config's (${first![field]}), got ${config[field]}`);
    if (ids.has(config.strategyId)) problems.push(`configs[${index}].strategyId: ${config.strategyId} appears twice`);
    ids.add(config.strategyId);
    const built = buildStrategy(config.strategyKind, config.params);
    return built.ok ? [{ config, strategy: built.instance, params: built.params }] : [];
  });
  if (problems.length > 0) throw new BacktestConfigError(problems);
  const run = new SimulatorRun(first!, lanes);
  for (let i = 0; i < bars.length; i++) run.onBar(bars[i]);
  return run.finish(bars);
}

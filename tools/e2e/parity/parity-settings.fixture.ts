// The settings the parity run gives the pipeline and the backtester, side by side: one place, so
// the two cannot drift apart. Why each is what it is: docs/signals.md, "Parity with the pipeline".
import path from 'node:path';
import type { BacktestConfig } from '@mt5/domain/backtest';
import type { InstrumentSpec } from '@mt5/domain/instruments';
import { workspaceRoot } from '../service-process.fixture.js';

/** The shared real data file (read only; the test writes its slice to a temporary folder). */
export const SHARED_GBPUSD = path.resolve(workspaceRoot, '../shared/data/market/GBPUSD_M1.csv');

/**
 * The strategy set: the two strategies of the run command's default set (ma-crossover SMA 10/30
 * and rsi-reversion 14 30/70, ATR 14, stop 2 ATR, target 3 ATR), each at 0.5 % risk. Listed in
 * id order: signal-engine loads configs by id and publishes a bar's signals in that order.
 */
export const PARITY_STRATEGIES = [
  { id: 'parity-cross', kind: 'ma-crossover', params: { fast: 10, slow: 30 }, magic: 4721, riskPercent: 0.5 },
  { id: 'parity-rsi', kind: 'rsi-reversion', params: { period: 14, oversold: 30, overbought: 70 }, magic: 4722, riskPercent: 0.5 },
] as const;
export type ParityStrategy = (typeof PARITY_STRATEGIES)[number];

/** The strategies named in `ids` (comma-separated; all when empty), in id order. */
export function selectStrategies(ids: string | undefined): ParityStrategy[] {
  const wanted = (ids ?? '').split(',').map((id) => id.trim()).filter(Boolean);
  const unknown = wanted.filter((id) => !PARITY_STRATEGIES.some((strategy) => strategy.id === id));
  if (unknown.length > 0) throw new Error(`PARITY_STRATEGIES: unknown ${unknown.join(', ')} (known: ${PARITY_STRATEGIES.map((strategy) => strategy.id).join(', ')})`);
  return PARITY_STRATEGIES.filter((strategy) => wanted.length === 0 || wanted.includes(strategy.id));
}

const RISK_PERCENT_PER_TRADE = 0.5;

/** mt5-simulator's GBPUSD (apps/mt5-simulator/src/broker/sim-symbols.ts): the broker side of the model. */
export const SIMULATOR_GBPUSD = { defaultSpreadPoints: 12, stopsLevel: 10, commissionPerLot: 3.5 } as const;

const BALANCE = 10_000;
const MAX_LOTS_PER_ORDER = 2;

/**
 * risk-guard and simulator settings on top of the demo's replay settings (wall-clock-free quote
 * and snapshot ages, always-open catalogue, a rate limit a replay does not reach): the positions
 * per symbol, which the backtest gets too (risk-guard's default is 3: pyramids and hedges), and
 * breakers that cannot trip in the window (a daily loss or drawdown of 100 %, a losing streak of
 * 1,000), so no denial but RISK.MAX_POSITIONS and the stops refusals can happen, and the
 * backtest models both.
 */
export function parityServiceEnv(maxPositionsPerSymbol: number): Record<string, string> {
  return {
    RISK_PERCENT_PER_TRADE: String(RISK_PERCENT_PER_TRADE),
    MAX_LOTS_PER_ORDER: String(MAX_LOTS_PER_ORDER),
    MAX_OPEN_POSITIONS_PER_SYMBOL: String(maxPositionsPerSymbol),
    MAX_OPEN_POSITIONS: '10',
    DAILY_LOSS_PERCENT: '100',
    MAX_DRAWDOWN_PERCENT: '100',
    LOSING_STREAK_MAX: '1000',
    SIM_BALANCE: String(BALANCE),
    SIM_MARGIN_MODE: 'HEDGING',
    REPORTING_STRATEGY_MAGICS: PARITY_STRATEGIES.map((strategy) => `${strategy.magic}=${strategy.id}`).join(','),
  };
}

/** The backtests of the same run, one config per strategy: the catalogue's instrument for sizing, the simulator's spread, stops level and commission. */
export function parityBacktestConfigs(spec: InstrumentSpec, tradeFrom: number, maxPositionsPerSymbol: number, strategies: readonly ParityStrategy[]): BacktestConfig[] {
  return strategies.map((strategy) => ({
    strategyId: strategy.id, strategyKind: strategy.kind, params: strategy.params,
    instrument: { ...spec, defaultSpreadPoints: SIMULATOR_GBPUSD.defaultSpreadPoints, stopsLevel: SIMULATOR_GBPUSD.stopsLevel },
    initialBalance: BALANCE, riskPercent: Math.min(RISK_PERCENT_PER_TRADE, strategy.riskPercent), commissionPerLotPerSide: SIMULATOR_GBPUSD.commissionPerLot,
    maxLots: MAX_LOTS_PER_ORDER, maxPositionsPerSymbol, fillModel: 'mt5-simulator', tradeFrom,
  }));
}

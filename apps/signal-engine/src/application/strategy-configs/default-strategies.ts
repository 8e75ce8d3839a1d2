import { strategyRegistry } from '@mt5/domain/strategies';
import type { StrategyConfigFields } from '../ports.js';

/** The symbols of the shared market data, and of the simulator's default feed. */
export const DEFAULT_SYMBOLS = ['EURUSD', 'GBPUSD', 'USDJPY'] as const;

/** Magic numbers of the default set; manual orders use risk-guard's MANUAL_MAGIC (900000). */
export const DefaultMagic = { maCrossover: 1001, rsiReversion: 1002 } as const;

/**
 * The default strategy set: a moving-average crossover and an RSI reversion on M1 for the three
 * shared symbols, with the registry's default parameters. Seeded disabled unless asked otherwise:
 * a strategy trades only when someone turns it on.
 */
export function defaultStrategies(venue: string, enabled: boolean): { readonly id: string; readonly fields: StrategyConfigFields }[] {
  const common = { venue, symbols: [...DEFAULT_SYMBOLS], timeframe: 'M1' as const, enabled, account: null, riskPerTradePct: '0.5', maxOpenPositions: 1, maxVolume: null };
  return [
    {
      id: 'ma-crossover-m1',
      fields: { ...common, kind: 'ma-crossover', name: 'SMA 10/30 crossover, ATR(14) stops 2x / targets 3x', params: { ...strategyRegistry['ma-crossover'].defaults }, magic: DefaultMagic.maCrossover },
    },
    {
      id: 'rsi-reversion-m1',
      fields: { ...common, kind: 'rsi-reversion', name: 'RSI(14) 30/70 reversion, ATR(14) stops 2x / targets 3x', params: { ...strategyRegistry['rsi-reversion'].defaults }, magic: DefaultMagic.rsiReversion },
    },
  ];
}

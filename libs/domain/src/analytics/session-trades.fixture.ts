import type { TradeFact } from './analytics.types.js';

/**
 * A scripted three-day session (the same one the reporting integration test sends through NATS),
 * as the trades it must produce. Hand-computed figures are in the specs that use it.
 *
 * | # | strategy  | symbol | side | lots | entry (UTC)      | exit (UTC)       | net     | R      |
 * | 1 | ma-cross  | EURUSD | BUY  | 0.4  | 2024-03-04 09:00 | 2024-03-04 10:00 |   77.20 |  0.965 |
 * | 2 | ma-cross  | EURUSD | BUY  | 0.6  | 2024-03-04 09:00 | 2024-03-04 11:30 |   85.80 |  0.715 |
 * | 3 | donchian  | GBPUSD | SELL | 0.5  | 2024-03-04 13:00 | 2024-03-04 15:00 | -103.50 | -1.035 |
 * | 4 | ma-cross  | USDJPY | BUY  | 1.0  | 2024-03-05 08:00 | 2024-03-06 09:00 |  188.60 | 0.5669 |
 * | 5 | manual    | EURUSD | SELL | 0.3  | 2024-03-05 14:00 | 2024-03-05 16:00 |  -32.10 |   –    |
 * | 6 | ma-cross  | EURUSD | BUY  | 0.2  | 2024-03-06 10:00 | 2024-03-06 12:00 |   -1.40 |  0     |
 */
const at = (text: string) => Date.parse(`${text.replace(' ', 'T')}:00.000Z`);

function trade(values: Partial<TradeFact> & Pick<TradeFact, 'positionId' | 'closeDealTicket' | 'strategyId' | 'symbol' | 'side' | 'volume' | 'entryTime' | 'exitTime' | 'grossProfit' | 'commission' | 'netProfit'>): TradeFact {
  return {
    account: 'A1', entryPrice: '1', exitPrice: '1', swap: '0', fee: '0', pips: null, rMultiple: null, exitReason: 'STRATEGY', external: false,
    durationSeconds: (values.exitTime - values.entryTime) / 1000, ...values,
  };
}

export const SESSION_TRADES: readonly TradeFact[] = [
  trade({ positionId: '500', closeDealTicket: '1002', strategyId: 'ma-cross', symbol: 'EURUSD', side: 'BUY', volume: '0.4', entryTime: at('2024-03-04 09:00'), exitTime: at('2024-03-04 10:00'), entryPrice: '1.085', exitPrice: '1.087', grossProfit: '80', commission: '-2.8', netProfit: '77.2', pips: 20, rMultiple: 0.965 }),
  trade({ positionId: '500', closeDealTicket: '1003', strategyId: 'ma-cross', symbol: 'EURUSD', side: 'BUY', volume: '0.6', entryTime: at('2024-03-04 09:00'), exitTime: at('2024-03-04 11:30'), entryPrice: '1.085', exitPrice: '1.0865', grossProfit: '90', commission: '-4.2', netProfit: '85.8', pips: 15, rMultiple: 0.715, exitReason: 'TP' }),
  trade({ positionId: '501', closeDealTicket: '1005', strategyId: 'donchian', symbol: 'GBPUSD', side: 'SELL', volume: '0.5', entryTime: at('2024-03-04 13:00'), exitTime: at('2024-03-04 15:00'), entryPrice: '1.27', exitPrice: '1.272', grossProfit: '-100', commission: '-3.5', netProfit: '-103.5', pips: -20, rMultiple: -1.035, exitReason: 'SL' }),
  trade({ positionId: '502', closeDealTicket: '1009', strategyId: 'ma-cross', symbol: 'USDJPY', side: 'BUY', volume: '1', entryTime: at('2024-03-05 08:00'), exitTime: at('2024-03-06 09:00'), entryPrice: '150', exitPrice: '150.3', grossProfit: '199.6', commission: '-6', swap: '-5', netProfit: '188.6', pips: 30, rMultiple: 0.5669 }),
  trade({ positionId: '503', closeDealTicket: '1008', strategyId: 'manual', symbol: 'EURUSD', side: 'SELL', volume: '0.3', entryTime: at('2024-03-05 14:00'), exitTime: at('2024-03-05 16:00'), entryPrice: '1.09', exitPrice: '1.091', grossProfit: '-30', commission: '-2.1', netProfit: '-32.1', pips: -10, exitReason: 'MANUAL', external: true }),
  trade({ positionId: '504', closeDealTicket: '1011', strategyId: 'ma-cross', symbol: 'EURUSD', side: 'BUY', volume: '0.2', entryTime: at('2024-03-06 10:00'), exitTime: at('2024-03-06 12:00'), entryPrice: '1.088', exitPrice: '1.088', grossProfit: '0', commission: '-1.4', netProfit: '-1.4', pips: 0, rMultiple: 0 }),
];

export const sessionTime = at;

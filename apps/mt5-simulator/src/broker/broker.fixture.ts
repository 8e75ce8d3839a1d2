import type { MarginMode } from '@mt5/contracts';
import type { SimTradeRequest, SimTransaction } from './broker.types.js';
import { SimBroker } from './sim-broker.js';

/** Monday 2022-01-10 10:00:00 UTC: every forex and metals session is open. */
export const MONDAY = Date.UTC(2022, 0, 10, 10, 0, 0);
/** Saturday 2022-01-15 12:00:00 UTC: forex is closed, crypto trades. */
export const SATURDAY = Date.UTC(2022, 0, 15, 12, 0, 0);

/**
 * A USD 10 000 account at 1:100 with EURUSD 1.10000/1.10008, USDJPY 110.000/110.010,
 * XAUUSD 2000.00/2000.30 and BTCUSDT 20000.00/20015.00 quoted on {@link MONDAY}; transactions
 * are collected in `transactions`.
 */
export function newBroker(marginMode: MarginMode = 'HEDGING', balance = 10_000) {
  const broker = new SimBroker({ account: { login: 5001, currency: 'USD', balance, leverage: 100, marginMode, openedAt: MONDAY - 86_400_000 } });
  const transactions: SimTransaction[] = [];
  broker.onTransaction((transaction) => transactions.push(transaction));
  broker.setQuote('EURUSD', 1.1, 1.10008, MONDAY);
  broker.setQuote('USDJPY', 110, 110.01, MONDAY);
  broker.setQuote('XAUUSD', 2000, 2000.3, MONDAY);
  broker.setQuote('BTCUSDT', 20000, 20015, MONDAY);
  return { broker, transactions };
}

/** A market order as the gateway sends it. */
export function deal(type: 'BUY' | 'SELL', volume: number, extra: Partial<SimTradeRequest> = {}): SimTradeRequest {
  return { action: 'DEAL', symbol: 'EURUSD', type, volume, typeFilling: 'IOC', deviation: 10, magic: 770001, comment: 'order-1', ...extra };
}

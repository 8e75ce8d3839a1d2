import { describe, expect, it } from '@jest/globals';
import type { SymbolSpec } from '@mt5/contracts';
import type { OrderRecord } from '../orders/order.types.js';
import { marketFilling, tradeRequestFor } from './trade-request.mapper.js';

const order = (overrides: Partial<OrderRecord> = {}): OrderRecord => ({
  id: 'o1', clientOrderId: 'co-1', account: 'a', magic: 7, comment: 'co-1', symbol: 'EURUSD', side: 'SELL', orderType: 'MARKET', volume: '0.25',
  filledVolume: '0', price: null, averagePrice: null, stopLoss: '1.1050', takeProfit: '1.09', status: 'NEW', orderTicket: null, positionId: null,
  validUntil: new Date(0), signalId: null, strategyId: null, attempts: 0, lastRetcode: null, lastError: null, version: 2,
  createdAt: new Date(0), updatedAt: new Date(0), origin: { commandId: 'c', commandType: 't', correlationId: 'c' }, ...overrides,
});
const spec = (fillingModes: SymbolSpec['fillingModes']) => ({ digits: 5, fillingModes }) as SymbolSpec;

describe('tradeRequestFor', () => {
  it('sells at the bid with stops, deviation and the filling mode of the symbol', () => {
    const mapped = tradeRequestFor(order(), { spec: spec(['IOC']), quote: { bid: 1.1, ask: 1.10008, time: 0 }, deviationPoints: 10 });
    expect(mapped).toEqual({
      request: { action: 'DEAL', symbol: 'EURUSD', volume: 0.25, magic: 7, comment: 'co-1', type: 'SELL', typeFilling: 'IOC', deviation: 10, price: 1.1, sl: 1.105, tp: 1.09 },
      sentPrice: '1.10000',
    });
  });

  it('closes a position by ticket, without stops, when the order closes one', () => {
    const closing = order({ origin: { commandId: 'c', commandType: 't', correlationId: 'c', closesPosition: '401' } });
    const { request } = tradeRequestFor(closing, { deviationPoints: 5 });
    expect(request).toMatchObject({ action: 'DEAL', position: '401', type: 'SELL' });
    expect(request).not.toHaveProperty('sl');
    expect(request).not.toHaveProperty('price');
  });

  it('places limit and stop orders as pending, GTC, RETURN', () => {
    expect(tradeRequestFor(order({ orderType: 'LIMIT', side: 'BUY', price: '1.095' }), { deviationPoints: 5 }).request)
      .toMatchObject({ action: 'PENDING', type: 'BUY_LIMIT', price: 1.095, typeFilling: 'RETURN', typeTime: 'GTC' });
    expect(tradeRequestFor(order({ orderType: 'STOP', side: 'SELL', price: '1.08' }), { deviationPoints: 5 }).request).toMatchObject({ type: 'SELL_STOP' });
  });
});

describe('marketFilling', () => {
  it('prefers FOK, then IOC, then what the symbol lists, and FOK when the spec is unknown', () => {
    expect(marketFilling(spec(['IOC', 'FOK']))).toBe('FOK');
    expect(marketFilling(spec(['IOC']))).toBe('IOC');
    expect(marketFilling(spec(['RETURN']))).toBe('RETURN');
    expect(marketFilling(undefined)).toBe('FOK');
  });
});

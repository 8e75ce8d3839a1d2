import { describe, expect, it } from '@jest/globals';
import type { BridgeDeal, BridgeOrder, BridgePosition } from '@mt5/contracts';
import type { OrderRecord } from '../orders/order.types.js';
import { decideSettlement } from './settlement.js';

const BECAME_UNKNOWN = Date.UTC(2024, 0, 2, 10, 0);
const WINDOW = 30_000;

const order = (overrides: Partial<OrderRecord> = {}): OrderRecord => ({
  id: 'o1', clientOrderId: 'co-1', account: 'a', magic: 7, comment: 'co-1', symbol: 'EURUSD', side: 'BUY', orderType: 'MARKET', volume: '0.2',
  filledVolume: '0', price: null, averagePrice: null, stopLoss: null, takeProfit: null, status: 'UNKNOWN', orderTicket: null, positionId: null,
  validUntil: new Date(BECAME_UNKNOWN + 60_000), signalId: null, strategyId: null, attempts: 1, lastRetcode: 10012, lastError: null, version: 4,
  createdAt: new Date(BECAME_UNKNOWN - 1000), updatedAt: new Date(BECAME_UNKNOWN), origin: { commandId: 'c', commandType: 't', correlationId: 'c' }, ...overrides,
});

const deal = (overrides: Partial<BridgeDeal> = {}): BridgeDeal => ({
  ticket: '501', order: '401', positionId: '401', symbol: 'EURUSD', type: 'BUY', entry: 'IN', volume: 0.2, price: 1.1, commission: 0, swap: 0, profit: 0, fee: 0,
  time: 1, magic: 7, comment: 'co-1', reason: 'EXPERT', ...overrides,
});

const resting = (overrides: Partial<BridgeOrder> = {}): BridgeOrder => ({
  ticket: '402', symbol: 'EURUSD', type: 'BUY_LIMIT', state: 'PLACED', volumeInitial: 0.2, volumeCurrent: 0.2, priceOpen: 1.09, stopLimit: 0, sl: 0, tp: 0,
  timeSetup: 1, timeExpiration: 0, typeFilling: 'RETURN', typeTime: 'GTC', magic: 7, comment: 'co-1', positionId: '0', ...overrides,
});

const position = (overrides: Partial<BridgePosition> = {}): BridgePosition => ({
  ticket: '401', identifier: '401', symbol: 'EURUSD', type: 'BUY', volume: 0.2, priceOpen: 1.1, priceCurrent: 1.1, sl: 0, tp: 0, profit: 0, swap: 0,
  time: 1, timeUpdate: 1, magic: 7, comment: 'co-1', ...overrides,
});

const none = { deals: [], activeOrders: [], positions: [] };

describe('decideSettlement', () => {
  it('settles as fills when deals with the order comment and magic exist', () => {
    const found = decideSettlement(order(), { ...none, deals: [deal()] }, BECAME_UNKNOWN + 10, WINDOW);
    expect(found).toEqual({ kind: 'fills', deals: [deal()], remainderCancelled: false });
  });

  it('ignores deals with the same comment under another magic, and balance deals', () => {
    const evidence = { ...none, deals: [deal({ magic: 8 }), deal({ type: 'BALANCE', symbol: '', volume: 0 })] };
    expect(decideSettlement(order(), evidence, BECAME_UNKNOWN + 10, WINDOW).kind).toBe('wait');
  });

  it('matches deals by the venue ticket when the order has one, whatever the comment', () => {
    const found = decideSettlement(order({ orderTicket: '401' }), { ...none, deals: [deal({ comment: '[broker rewrote it]' })] }, BECAME_UNKNOWN, WINDOW);
    expect(found.kind).toBe('fills');
  });

  it('cancels the remainder of a part-filled market order once the window is over and nothing rests', () => {
    const partial = { ...none, deals: [deal({ volume: 0.1 })] };
    expect(decideSettlement(order(), partial, BECAME_UNKNOWN + 10, WINDOW)).toMatchObject({ kind: 'fills', remainderCancelled: false });
    expect(decideSettlement(order(), partial, BECAME_UNKNOWN + WINDOW, WINDOW)).toMatchObject({ kind: 'fills', remainderCancelled: true });
  });

  it('settles as accepted when the order rests at the venue', () => {
    expect(decideSettlement(order({ orderType: 'LIMIT' }), { ...none, activeOrders: [resting()] }, BECAME_UNKNOWN, WINDOW)).toEqual({ kind: 'accepted', orderTicket: '402' });
  });

  it('waits when a position carries the comment but its deal is not visible yet', () => {
    expect(decideSettlement(order(), { ...none, positions: [position()] }, BECAME_UNKNOWN + WINDOW * 10, WINDOW).kind).toBe('wait');
  });

  it('waits inside the settle window when nothing is found', () => {
    expect(decideSettlement(order(), none, BECAME_UNKNOWN + WINDOW - 1, WINDOW).kind).toBe('wait');
  });

  it('concludes absence only after the settle window', () => {
    const verdict = decideSettlement(order(), none, BECAME_UNKNOWN + WINDOW, WINDOW);
    expect(verdict.kind).toBe('absent');
    expect(verdict.kind === 'absent' && verdict.reason).toBe('not found at the venue (deals, orders and positions with magic 7 and comment "co-1") 30 s after the outcome became unknown: never executed');
  });

  it('never concludes absence for a market order the terminal confirmed', () => {
    expect(decideSettlement(order({ status: 'ACCEPTED', orderTicket: '401' }), none, BECAME_UNKNOWN + WINDOW * 100, WINDOW).kind).toBe('wait');
  });
});

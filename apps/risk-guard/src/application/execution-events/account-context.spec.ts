import { describe, expect, it } from '@jest/globals';
import type { AccountSnapshot, Deal, PositionSnapshot } from '@mt5/contracts';
import type { RiskInstrument } from '@mt5/domain/risk';
import { emptyAccountContext, type AccountContext } from '../account-world.js';
import {
  addPendingOrder, applyAccountSnapshot, applyDeal, applyPositionClosed, applyPositionSnapshot, PENDING_GRACE_MS, positionsWithPending, prunePendingOrders, resolvePendingOrder,
} from './account-context.js';

// EURUSD as the mt5-demo catalogue has it: 1 USD per point per lot.
const EURUSD: RiskInstrument = {
  symbol: 'EURUSD', venue: 'mt5-demo', digits: 5, point: 0.00001, tickSize: 0.00001, tickValue: 1, contractSize: 100_000,
  baseCurrency: 'EUR', profitCurrency: 'USD', marginCurrency: 'EUR', volumeMin: 0.01, volumeMax: 100, volumeStep: 0.01, stopsLevel: 0, tradeMode: 'FULL',
};
const T = Date.UTC(2024, 2, 4, 9, 0, 0);
const iso = (seconds: number) => new Date(T + seconds * 1000).toISOString();

function deal(overrides: Partial<Deal> & Pick<Deal, 'positionId' | 'side' | 'entry' | 'volume'>, at = 0): Deal {
  return {
    account: 'A', dealTicket: `${overrides.positionId}${overrides.entry}${at}`, orderTicket: '1', clientOrderId: null, symbol: 'EURUSD', price: '1.10000',
    commission: '-3.5', swap: '0', profit: '0', time: iso(at), magic: 1001, comment: '', reason: 'EXPERT', ...overrides,
  };
}

function snapshot(account: Partial<AccountSnapshot>, at: number): AccountSnapshot {
  return {
    account: 'A', currency: 'USD', balance: '10000', equity: '10000', margin: '0', freeMargin: '10000', marginLevel: null, marginMode: 'HEDGING',
    openPositions: 0, time: iso(at), ...account,
  };
}

function positionSnapshot(overrides: Partial<PositionSnapshot>, at: number): PositionSnapshot {
  return {
    account: 'A', positionId: '1', symbol: 'EURUSD', side: 'BUY', volume: '0.5', openPrice: '1.10000', currentPrice: '1.10100', stopLoss: null,
    takeProfit: null, profit: '50', swap: '0', openTime: iso(0), magic: 1001, comment: '', external: false, time: iso(at), ...overrides,
  };
}

const volumes = (context: AccountContext) => context.positions.map((position) => `${position.positionId}:${position.side}:${position.volume}`);

describe('the account context kept from execution events', () => {
  it('keeps the newest account snapshot and ignores an older one delivered late', () => {
    const newer = applyAccountSnapshot(emptyAccountContext, snapshot({ equity: '9900.5', margin: '550' }, 60), 100);
    expect(newer.facts).toEqual({ currency: 'USD', balance: 10_000, equity: 9_900.5, margin: 550, freeMargin: 10_000, leverage: 100, marginMode: 'HEDGING', time: T + 60_000 });
    expect(applyAccountSnapshot(newer, snapshot({ equity: '1' }, 30), 100)).toBe(newer);
  });

  it('opens on an entry deal, books partial exits, and reports the round trip with every cost when the last lot closes', () => {
    const opened = applyDeal(emptyAccountContext, deal({ positionId: '1', side: 'BUY', entry: 'IN', volume: '0.5' }, 0), EURUSD, 'sma');
    expect(volumes(opened.context)).toEqual(['1:BUY:0.5']);
    const partial = applyDeal(opened.context, deal({ positionId: '1', side: 'SELL', entry: 'OUT', volume: '0.2', price: '1.09900', profit: '-20' }, 60), EURUSD, null);
    expect(partial.closedTrade).toBeNull();
    expect(volumes(partial.context)).toEqual(['1:BUY:0.3']);
    const closed = applyDeal(partial.context, deal({ positionId: '1', side: 'SELL', entry: 'OUT', volume: '0.3', price: '1.09900', profit: '-30', swap: '-1.25' }, 120), EURUSD, null);
    // -3.5 commission on each of three deals, -20 and -30 profit, -1.25 swap.
    expect(closed.closedTrade).toEqual({ positionId: '1', strategyId: 'sma', profit: -61.75, time: T + 120_000 });
    expect(closed.context.positions).toEqual([]);
    expect(closed.context.positionMeta['1']).toBeUndefined();
    expect(closed.context.closedPositions).toEqual(['1']);
  });

  it('reports the round trip when the closing deal arrives after the terminal said the position is gone', () => {
    const opened = applyDeal(emptyAccountContext, deal({ positionId: '2', side: 'BUY', entry: 'IN', volume: '0.1' }, 0), EURUSD, 'sma').context;
    const gone = applyPositionClosed(opened, { account: 'A', positionId: '2', symbol: 'EURUSD', side: 'BUY', closeTime: iso(60), external: false });
    expect(gone.positions).toEqual([]);
    const late = applyDeal(gone, deal({ positionId: '2', side: 'SELL', entry: 'OUT', volume: '0.1', profit: '12', commission: '0' }, 60), EURUSD, null);
    expect(late.closedTrade).toMatchObject({ positionId: '2', strategyId: 'sma', profit: 8.5 });
    expect(late.context.positions).toEqual([]);
  });

  it('does not count a deal twice when a newer terminal snapshot already shows it, and never reopens a closed position', () => {
    const seen = applyPositionSnapshot(emptyAccountContext, positionSnapshot({ positionId: '3', volume: '0.5' }, 30), 'sma');
    const entry = applyDeal(seen, deal({ positionId: '3', side: 'BUY', entry: 'IN', volume: '0.5' }, 10), EURUSD, 'sma');
    expect(volumes(entry.context)).toEqual(['3:BUY:0.5']);
    expect(entry.note).toBeNull();
    const closed = applyPositionClosed(entry.context, { account: 'A', positionId: '3', symbol: 'EURUSD', side: 'BUY', closeTime: iso(40), external: false });
    expect(applyPositionSnapshot(closed, positionSnapshot({ positionId: '3' }, 35), 'sma')).toBe(closed);
  });

  it('reports the closed leg of a netting reversal and keeps the new leg under the same position id', () => {
    const netting = applyAccountSnapshot(emptyAccountContext, snapshot({ marginMode: 'NETTING' }, 0), 100);
    const long = applyDeal(netting, deal({ positionId: '4', side: 'BUY', entry: 'IN', volume: '0.3', commission: '0' }, 0), EURUSD, 'sma').context;
    const reversed = applyDeal(long, deal({ positionId: '4', side: 'SELL', entry: 'INOUT', volume: '0.5', price: '1.10100', profit: '30', commission: '0' }, 60), EURUSD, null);
    expect(reversed.closedTrade).toMatchObject({ positionId: '4', strategyId: 'sma', profit: 30 });
    expect(volumes(reversed.context)).toEqual(['4:SELL:0.2']);
    expect(reversed.context.positionMeta['4']).toMatchObject({ strategyId: 'sma', netProfit: 0 });
  });

  it('counts an allowed order as open until its entry deal or final order event arrives, or its deadline and grace pass', () => {
    const pending = addPendingOrder(emptyAccountContext, 'rg-a', { symbol: 'EURUSD', side: 'BUY', volume: 0.5, price: 1.1, validUntil: T + 30_000 });
    const both = addPendingOrder(pending, 'rg-b', { symbol: 'EURUSD', side: 'SELL', volume: 0.2, price: 1.1, validUntil: T + 30_000 });
    expect(positionsWithPending(both, T).map((position) => `${position.positionId}:${position.volume}`)).toEqual(['pending:rg-a:0.5', 'pending:rg-b:0.2']);
    const filled = applyDeal(both, deal({ positionId: '6', side: 'BUY', entry: 'IN', volume: '0.5', clientOrderId: 'rg-a' }, 1), EURUSD, null).context;
    expect(positionsWithPending(filled, T + 1_000).map((position) => position.positionId)).toEqual(['6', 'pending:rg-b']);
    expect(positionsWithPending(resolvePendingOrder(filled, 'rg-b'), T).map((position) => position.positionId)).toEqual(['6']);
    expect(positionsWithPending(filled, T + 30_000 + PENDING_GRACE_MS - 1)).toHaveLength(2);
    expect(positionsWithPending(filled, T + 30_000 + PENDING_GRACE_MS).map((position) => position.positionId)).toEqual(['6']);
  });

  it('prunes only pending orders past deadline and grace, and keeps the same context when none is', () => {
    const early = addPendingOrder(emptyAccountContext, 'rg-early', { symbol: 'EURUSD', side: 'BUY', volume: 0.5, price: 1.1, validUntil: T });
    const both = addPendingOrder(early, 'rg-late', { symbol: 'EURUSD', side: 'SELL', volume: 0.2, price: 1.1, validUntil: T + 10_000 });
    expect(prunePendingOrders(both, T + PENDING_GRACE_MS - 1)).toBe(both);
    expect(Object.keys(prunePendingOrders(both, T + PENDING_GRACE_MS).pendingOrders)).toEqual(['rg-late']);
    expect(resolvePendingOrder(both, 'rg-unknown')).toBe(both);
    expect(Object.keys(resolvePendingOrder(both, 'rg-early').pendingOrders)).toEqual(['rg-late']);
    expect(Object.keys(both.pendingOrders)).toEqual(['rg-early', 'rg-late']);
  });

  it('follows position snapshots only, with a note, for a symbol it has no spec for', () => {
    const change = applyDeal(emptyAccountContext, deal({ positionId: '5', side: 'BUY', entry: 'IN', volume: '1', symbol: 'US30' }, 0), undefined, null);
    expect(change.context.positions).toEqual([]);
    expect(change.note).toBe('no instrument spec for US30: the book follows position snapshots only');
  });
});

import { describe, expect, it } from '@jest/globals';
import { CancelOrderMessage, ClosePositionMessage, createMessage, FlattenAllMessage } from '@mt5/contracts';
import { ACCOUNT, coreHarness, submitCommand } from '../../testing/core-harness.fixture.js';
import { flattenOrderId, mt5CommentFor } from './command-handler.js';

const inAMinute = () => new Date(Date.now() + 60_000).toISOString();
const envelope = <T>(definition: Parameters<typeof createMessage>[0], id: string, data: T) =>
  createMessage(definition, { id, data, tsEvent: new Date(), tsInit: new Date() }) as never;

describe('close-position', () => {
  it('closes a position with an opposite market order that names it', async () => {
    const h = coreHarness();
    const opened = await h.commands.submit(submitCommand({ side: 'SELL', volume: '0.3' }), h.control);
    await h.positionSync.sync({ countDifferences: false });
    const closing = await h.commands.closePosition(envelope(ClosePositionMessage, 'close-1', {
      clientOrderId: 'close-1', account: ACCOUNT, positionId: opened.positionId!, symbol: 'EURUSD', magic: 770001, comment: 'close-1', reason: 'take profit by hand', validUntil: inAMinute(),
    }), h.control);
    expect(closing).toMatchObject({ status: 'FILLED', side: 'BUY', volume: '0.3' });
    expect(h.fake.requests.at(-1)).toMatchObject({ action: 'DEAL', type: 'BUY', position: opened.positionId, volume: 0.3 });
    expect(h.fake.positionBook).toEqual([]);
  });

  it('does nothing for a position nobody knows', async () => {
    const h = coreHarness();
    const closing = await h.commands.closePosition(envelope(ClosePositionMessage, 'close-2', {
      clientOrderId: 'close-2', account: ACCOUNT, positionId: '999', symbol: 'EURUSD', magic: 1, comment: 'close-2', reason: 'x', validUntil: inAMinute(),
    }), h.control);
    expect(closing).toBeUndefined();
    expect(h.fake.requests).toEqual([]);
  });
});

describe('cancel-order', () => {
  it('removes a resting limit order at the venue and marks it CANCELLED', async () => {
    const h = coreHarness();
    const placed = await h.commands.submit(submitCommand({ orderType: 'LIMIT', price: '1.09' }), h.control);
    expect(placed).toMatchObject({ status: 'ACCEPTED', orderTicket: h.fake.activeOrders[0]!.ticket });
    const cancelled = await h.commands.cancel(envelope(CancelOrderMessage, 'cancel-1', {
      clientOrderId: placed.clientOrderId, account: ACCOUNT, reason: 'signal withdrawn', validUntil: inAMinute(),
    }), h.control);
    expect(cancelled).toMatchObject({ status: 'CANCELLED' });
    expect(h.fake.activeOrders).toEqual([]);
    expect(h.published.at(-1)!.envelope.data).toMatchObject({ status: 'CANCELLED', reason: 'signal withdrawn' });
  });

  it('cancels an order that has not been sent without asking the venue', async () => {
    const h = coreHarness();
    h.gate.set('DISCONNECTED');
    const waiting = h.commands.submit(submitCommand({ validUntil: new Date(Date.now() + 300).toISOString() }), h.control);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const [order] = await h.store.listByStatus(ACCOUNT, ['NEW']);
    const cancelled = await h.commands.cancel(envelope(CancelOrderMessage, 'cancel-2', {
      clientOrderId: order!.clientOrderId, account: ACCOUNT, reason: 'operator', validUntil: inAMinute(),
    }), h.control);
    expect(cancelled!.status).toBe('CANCELLED');
    expect((await waiting).status).toBe('CANCELLED');
    expect(h.fake.requests).toEqual([]);
  });
});

describe('flatten-all', () => {
  it('closes our positions and leaves external ones unless asked to include them', async () => {
    const h = coreHarness();
    await h.commands.submit(submitCommand(), h.control);
    await h.fake.trade({ action: 'DEAL', symbol: 'EURUSD', type: 'SELL', volume: 0.2, typeFilling: 'FOK', magic: 0, comment: 'manual' });
    await h.positionSync.sync({ countDifferences: false });
    const flatten = (id: string, includeExternal: boolean) => h.commands.flattenAll(envelope(FlattenAllMessage, id, {
      account: ACCOUNT, includeExternal, reason: 'daily loss breaker', requestedBy: 'risk-guard', validUntil: inAMinute(),
    }), h.control);
    await flatten('flat-1', false);
    expect(h.fake.positionBook.map((p) => p.comment)).toEqual(['manual']);
    await h.positionSync.sync({ countDifferences: false });
    await flatten('flat-2', true);
    expect(h.fake.positionBook).toEqual([]);
    const closing = await h.store.find(flattenOrderId('flat-2', h.fake.dealBook.find((d) => d.comment === 'manual')!.positionId));
    expect(closing).toMatchObject({ status: 'FILLED', side: 'BUY', magic: 0 });
  });
});

describe('submit-order', () => {
  it('refuses a magic number the orders table cannot hold, for good (no retry)', async () => {
    const h = coreHarness();
    await expect(h.commands.submit(submitCommand({ magic: 2 ** 31 }), h.control)).rejects.toMatchObject({ code: 'MSG.SCHEMA_VIOLATION', retryable: false });
    expect(h.fake.requests).toEqual([]);
  });
});

describe('command helpers', () => {
  it('sends the clientOrderId as the MT5 comment', () => {
    expect(mt5CommentFor('co-1')).toBe('co-1');
  });

  it('derives flatten order ids that are stable and fit the MT5 comment', () => {
    expect(flattenOrderId('cmd-1', '401')).toBe(flattenOrderId('cmd-1', '401'));
    expect(flattenOrderId('cmd-1', '401')).not.toBe(flattenOrderId('cmd-1', '402'));
    expect(flattenOrderId('cmd-1', '401')).toMatch(/^fl-[0-9a-f]{28}$/);
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { applyMigrations, createPgPool } from '@mt5/infra/prisma';
import { testEnv, uniqueName } from '@mt5/testing';
import type pg from 'pg';
import { Transitions } from '../../application/orders/order-transitions.js';
import type { DealWrite, NewOrder, OutboxMessage, PositionRecord } from '../../application/orders/order.types.js';
import { PgOrderStore } from './pg-order.store.js';

// The store's guarantees on a real Postgres schema: one row per clientOrderId, optimistic versions,
// a fill (deal + transition) written all or nothing, one deal per (account, ticket).
const schema = uniqueName('store_itest');
let pool: pg.Pool;
let store: PgOrderStore;

const newOrder = (clientOrderId: string): NewOrder => ({
  clientOrderId, account: 'acct-st', magic: 5, comment: clientOrderId, symbol: 'EURUSD', side: 'BUY', orderType: 'MARKET', volume: '0.10',
  price: null, stopLoss: '1.09', takeProfit: null, validUntil: new Date(Date.now() + 60_000), signalId: 'sig-1', strategyId: 'ma-1',
  origin: { commandId: `cmd-${clientOrderId}`, commandType: 'exec.submit-order', correlationId: 'corr-1', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
});

const dealFor = (clientOrderId: string, ticket: string): DealWrite => {
  const deal = {
    account: 'acct-st', dealTicket: ticket, orderTicket: '900', positionId: '900', clientOrderId, symbol: 'EURUSD', side: 'BUY' as const, entry: 'IN' as const,
    volume: '0.1', price: '1.10008', commission: '-0.35', swap: '0', profit: '0', time: '2022-01-10T10:00:01.000Z', magic: 5, comment: clientOrderId, reason: 'EXPERT' as const,
  };
  return { deal, message: { subject: 'exec.evt.acct-st.deal', envelope: { type: 'exec.deal.executed', v: 1, id: `deal:acct-st:${ticket}`, correlationId: 'c', causationId: null, tsEvent: deal.time, tsInit: deal.time, data: deal }, headers: {} } };
};

beforeAll(async () => {
  const { databaseUrl } = testEnv();
  await applyMigrations({ connectionString: databaseUrl, schema });
  pool = createPgPool({ url: databaseUrl, schema, poolMax: 2 });
  store = new PgOrderStore(pool);
});

afterAll(async () => {
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pool.end();
});

describe('PgOrderStore', () => {
  it('creates an order once per clientOrderId, with its NEW event and its origin', async () => {
    const first = await store.create(newOrder('st-1'), new Date());
    const again = await store.create({ ...newOrder('st-1'), volume: '5' }, new Date());
    expect(first.created).toBe(true);
    expect(again).toMatchObject({ created: false, order: { volume: '0.1', status: 'NEW', version: 2 } });
    expect(again.order.origin.traceparent).toBe('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
    const events = await pool.query(`SELECT seq, to_status FROM order_events WHERE client_order_id = 'st-1'`);
    expect(events.rows).toEqual([{ seq: 1, to_status: 'NEW' }]);
  });

  it('refuses a transition from a stale version and writes nothing', async () => {
    const { order } = await store.create(newOrder('st-2'), new Date());
    await store.commit({ transitions: [Transitions.submitted(order, new Date(), 1, null)] });
    await expect(store.commit({ transitions: [Transitions.submitted(order, new Date(), 1, null)] })).rejects.toMatchObject({ code: 'EXEC.ORDER_VERSION_CONFLICT' });
    expect((await pool.query(`SELECT count(*)::int AS n FROM order_events WHERE client_order_id = 'st-2'`)).rows[0].n).toBe(2);
  });

  it('writes a fill (deal, deal event, transition, order event) in one go, and nothing when the version moved', async () => {
    const { order } = await store.create(newOrder('st-3'), new Date());
    const submitted = (await store.commit({ transitions: [Transitions.submitted(order, new Date(), 1, null)] })).orders.get('st-3')!;
    const fill = { orderTicket: '900', lastDealTicket: '901', positionId: '900', filledVolume: '0.1', averagePrice: '1.10008' };
    const stale = Transitions.filled({ ...submitted, version: order.version }, new Date(), fill);
    await expect(store.commit({ deals: [dealFor('st-3', '901')], transitions: [stale] })).rejects.toMatchObject({ code: 'EXEC.ORDER_VERSION_CONFLICT' });
    expect(await store.dealsOfOrder('acct-st', 'st-3')).toEqual([]);
    const result = await store.commit({ deals: [dealFor('st-3', '901')], transitions: [Transitions.filled(submitted, new Date(), fill)] });
    expect(result.newDeals).toEqual(['901']);
    expect(result.outbox.map((m) => m.envelope.type)).toEqual(['exec.deal.executed', 'exec.order.filled']);
    expect(result.orders.get('st-3')).toMatchObject({ status: 'FILLED', filledVolume: '0.1', averagePrice: '1.10008', positionId: '900' });
  });

  it('keeps one deal per account and ticket, and queues its event once', async () => {
    const again = await store.commit({ deals: [dealFor('st-3', '901'), dealFor('st-3', '902')] });
    expect(again.newDeals).toEqual(['902']);
    expect(again.outbox.map((m) => m.envelope.id)).toEqual(['deal:acct-st:902']);
    expect((await store.dealsOfOrder('acct-st', 'st-3')).map((d) => d.dealTicket)).toEqual(['901', '902']);
  });

  it('finds orders by venue ticket or by the clientOrderId in the MT5 comment', async () => {
    const found = await store.findByTicketOrComment('acct-st', ['900'], ['st-1']);
    expect(found.map((o) => o.clientOrderId).sort()).toEqual(['st-1', 'st-3']);
  });

  it('inserts a new order already SUBMITTED with its NEW and SUBMITTED events and one outbox row, all in one commit, and the same as NEW then SUBMITTED would read', async () => {
    const now = new Date();
    const validUntil = new Date(now.getTime() + 60_000);
    const result = await store.createSubmitted({ ...newOrder('st-4'), validUntil }, now, (fresh) => Transitions.submitted(fresh, now, 1, '1.10008'));
    const stepwise = await store.create({ ...newOrder('st-5'), validUntil }, now);
    const submitted = (await store.commit({ transitions: [Transitions.submitted(stepwise.order, now, 1, '1.10008')] })).orders.get('st-5')!;
    expect(result.created).toBe(true);
    const { id: _a, clientOrderId: _b, comment: _c, ...fast } = result.order;
    const { id: _d, clientOrderId: _e, comment: _f, ...slow } = submitted;
    expect({ ...fast, origin: { ...fast.origin, commandId: 'x' } }).toEqual({ ...slow, origin: { ...slow.origin, commandId: 'x' } });
    expect(result.created && result.outbox.map((m) => [m.envelope.id, m.envelope.type])).toEqual([['st-4:2', 'exec.order.submitted']]);
    const events = await pool.query(`SELECT seq, from_status, to_status FROM order_events WHERE client_order_id = 'st-4' ORDER BY seq`);
    expect(events.rows).toEqual([{ seq: 1, from_status: null, to_status: 'NEW' }, { seq: 2, from_status: 'NEW', to_status: 'SUBMITTED' }]);
    expect((await store.find('st-4'))?.origin.traceparent).toBe('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
  });

  it('inserts nothing for a known clientOrderId and hands back the stored order, without rendering a send', async () => {
    let rendered = 0;
    const again = await store.createSubmitted({ ...newOrder('st-4'), volume: '5' }, new Date(), (fresh) => {
      rendered++;
      return Transitions.submitted(fresh, new Date(), 1, null);
    });
    expect(again).toMatchObject({ created: false, order: { status: 'SUBMITTED', volume: '0.1', version: 3 } });
    expect(rendered).toBeLessThanOrEqual(1);
    expect((await pool.query(`SELECT count(*)::int AS n FROM order_events WHERE client_order_id = 'st-4'`)).rows[0].n).toBe(2);
    expect((await pool.query(`SELECT count(*)::int AS n FROM outbox WHERE message_id LIKE 'st-4:%'`)).rows[0].n).toBe(1);
  });

  it('writes a position sync (upserts, closes, its events in their order) in one statement, each event once', async () => {
    const position = (positionId: string, snapshotTime: string): PositionRecord => ({
      account: 'acct-st', positionId, symbol: 'EURUSD', side: 'BUY', volume: '0.1', openPrice: '1.1', currentPrice: '1.1001', stopLoss: null, takeProfit: null,
      profit: '1', swap: '0', openTime: '2022-01-10T10:00:00.000Z', magic: 5, comment: 'st-1', external: false, snapshotTime, strategyId: 'ma-1',
    });
    const message = (id: string): OutboxMessage => ({
      subject: 'exec.evt.acct-st.position', headers: {},
      envelope: { type: 'exec.position.snapshot', v: 1, id, correlationId: 'c', causationId: null, tsEvent: '2022-01-10T10:00:01.000Z', tsInit: '2022-01-10T10:00:01.000Z', data: {} },
    });
    await store.commit({ upsertPositions: [position('p-1', '2022-01-10T10:00:01.000Z'), position('p-2', '2022-01-10T10:00:01.000Z')], messages: [message('sync-a')] });
    const result = await store.commit({
      upsertPositions: [{ ...position('p-1', '2022-01-10T10:00:02.000Z'), volume: '0.2' }],
      closePositions: [{ account: 'acct-st', positionId: 'p-2', closeTime: '2022-01-10T10:00:02.000Z' }],
      messages: [message('sync-c'), message('sync-b'), message('sync-a'), message('sync-c')],
    });
    expect(result.outbox.map((m) => m.envelope.id)).toEqual(['sync-c', 'sync-b']);
    expect(Number(result.outbox[0]!.outboxId)).toBeLessThan(Number(result.outbox[1]!.outboxId));
    expect((await store.openPositions('acct-st')).map((p) => [p.positionId, p.volume])).toEqual([['p-1', '0.2']]);
    // An older snapshot does not overwrite a newer one.
    await store.commit({ upsertPositions: [{ ...position('p-1', '2022-01-10T10:00:01.500Z'), volume: '0.3' }] });
    expect((await store.openPositions('acct-st')).map((p) => p.volume)).toEqual(['0.2']);
    const closed = await pool.query(`SELECT status, close_time FROM positions WHERE position_id = 'p-2'`);
    expect(closed.rows).toEqual([{ status: 'CLOSED', close_time: new Date('2022-01-10T10:00:02.000Z') }]);
  });
});

import { describe, expect, it } from '@jest/globals';
import { metricsRegistry } from '@mt5/infra/health';
import { coreHarness, submitCommand } from '../../testing/core-harness.fixture.js';
import { Transitions } from '../orders/order-transitions.js';

async function differences(kind: string): Promise<number> {
  const metric = await metricsRegistry.getSingleMetric('mt5_reconciliation_differences_total')!.get();
  return metric.values.filter((v) => v.labels.kind === kind && v.labels.account === 'acct-1').reduce((sum, v) => sum + v.value, 0);
}

describe('reconciliation', () => {
  it('adopts a position opened outside the platform as external, and counts it', async () => {
    const h = coreHarness();
    const before = await differences('position_missing');
    await h.fake.trade({ action: 'DEAL', symbol: 'EURUSD', type: 'SELL', volume: 0.3, typeFilling: 'FOK', magic: 0, comment: 'manual' });
    const report = await h.reconciler.reconcile();
    expect(report.positionsOpened).toBe(1);
    const [adopted] = await h.store.openPositions('acct-1');
    expect(adopted).toMatchObject({ side: 'SELL', volume: '0.3', external: true, comment: 'manual' });
    expect(h.published.find((m) => m.envelope.type === 'exec.position.snapshot')!.envelope.data).toMatchObject({ external: true, positionId: adopted!.positionId });
    expect(await differences('position_missing')).toBe(before + 1);
    expect(h.fake.requests).toHaveLength(1);
  });

  it('settles an order left SUBMITTED by a crash from the deal the terminal has, without sending anything', async () => {
    const h = coreHarness();
    const command = submitCommand();
    const { order } = await h.store.create({
      clientOrderId: command.data.clientOrderId, account: 'acct-1', magic: 770001, comment: command.data.clientOrderId, symbol: 'EURUSD', side: 'BUY',
      orderType: 'MARKET', volume: '0.1', price: null, stopLoss: null, takeProfit: null, validUntil: new Date(Date.now() + 60_000), signalId: null, strategyId: null,
      origin: { commandId: command.id, commandType: command.type, correlationId: command.correlationId },
    }, new Date());
    await h.store.commit({ transitions: [Transitions.submitted(order, new Date(), 1, null)] });
    // The broker executed the request; the gateway died before it wrote anything about it.
    await h.fake.trade({ action: 'DEAL', symbol: 'EURUSD', type: 'BUY', volume: 0.1, typeFilling: 'FOK', magic: 770001, comment: order.comment });
    const report = await h.reconciler.reconcile();
    expect(report).toMatchObject({ newDeals: 1, positionsOpened: 1, stillUnknown: 0 });
    expect(h.store.history(order.clientOrderId)).toEqual(['NEW', 'SUBMITTED', 'UNKNOWN', 'FILLED']);
    const positions = await h.store.openPositions('acct-1');
    expect(positions).toHaveLength(1);
    expect(positions[0]!.external).toBe(false);
    expect(h.fake.requests).toHaveLength(1);
  });

  it('closes positions the terminal no longer has and publishes their close', async () => {
    const h = coreHarness();
    await h.commands.submit(submitCommand(), h.control);
    await h.reconciler.reconcile();
    h.fake.positionBook.length = 0;
    const report = await h.reconciler.reconcile();
    expect(report.positionsClosed).toBe(1);
    expect(await h.store.openPositions('acct-1')).toEqual([]);
    expect(h.published.some((m) => m.envelope.type === 'exec.position.closed')).toBe(true);
  });

  it('fails, rather than assume a flat account, when a query fails', async () => {
    const h = coreHarness();
    h.fake.failQueries = true;
    await expect(h.reconciler.reconcile()).rejects.toMatchObject({ code: 'BRIDGE.REQUEST_TIMEOUT' });
  });

  it('records a deal twice reported only once', async () => {
    const h = coreHarness();
    await h.commands.submit(submitCommand(), h.control);
    const deals = h.published.filter((m) => m.envelope.type === 'exec.deal.executed').length;
    await h.reconciler.reconcile();
    await h.reconciler.reconcile();
    expect(h.store.deals.size).toBe(1);
    expect(h.published.filter((m) => m.envelope.type === 'exec.deal.executed')).toHaveLength(deals);
  });
});

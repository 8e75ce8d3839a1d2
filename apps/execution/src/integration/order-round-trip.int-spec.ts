import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BarClosedMessage, ClosePositionMessage, createMessage, Subjects, SubmitOrderMessage, type BarClosed, type Envelope, type SubmitOrder } from '@mt5/contracts';
import { requestQuery } from '@mt5/infra/nats';
import { startTelemetry, withSpan, currentTraceId } from '@mt5/infra/telemetry';
import { waitFor } from '@mt5/testing';
import { ACCOUNT, ExecutionHarness, MONDAY_10 } from '../testing/execution-harness.fixture.js';

// A market order from command to fill against the simulator over the real bridge socket, with
// real NATS, Postgres and Redis; then a fill whose transactions arrive twice; then a position
// opened in the terminal by hand, which the gateway adopts.
let harness: ExecutionHarness;
let sequence = 0;

function submit(overrides: Partial<SubmitOrder> = {}) {
  const clientOrderId = overrides.clientOrderId ?? `rt-${Date.now().toString(36)}-${++sequence}`;
  return createMessage(SubmitOrderMessage, {
    id: `cmd-${clientOrderId}`, tsEvent: new Date(), tsInit: new Date(),
    data: {
      clientOrderId, account: ACCOUNT, symbol: 'EURUSD', side: 'BUY', orderType: 'MARKET', volume: '0.1', magic: 770001, comment: clientOrderId,
      validUntil: new Date(Date.now() + 30_000).toISOString(), ...overrides,
    },
  });
}

beforeAll(async () => {
  startTelemetry('execution-itest');
  harness = await ExecutionHarness.start();
  await harness.quote(1.1, 1.10008);
}, 60_000);

afterAll(async () => {
  await harness?.stop();
});

describe('a market order against the simulator', () => {
  it('goes NEW → SUBMITTED → FILLED with its deal, position and events, in the trace of the command', async () => {
    const command = submit();
    const clientOrderId = command.data.clientOrderId;
    const traceId = await withSpan('test signal', {}, async () => {
      await harness.send(command);
      return currentTraceId();
    });
    const order = await harness.waitStatus(clientOrderId, ['FILLED', 'REJECTED', 'EXPIRED', 'UNKNOWN']);
    expect(order).toMatchObject({ status: 'FILLED', filledVolume: '0.1', averagePrice: '1.10008', attempts: 1 });

    const [deal] = (await harness.runtime.store.deals(ACCOUNT)).filter((d) => d.clientOrderId === clientOrderId);
    expect(deal).toMatchObject({ side: 'BUY', entry: 'IN', volume: '0.1', price: '1.10008', magic: 770001, comment: clientOrderId, time: '2022-01-10T10:00:01.000Z' });
    await harness.assertInvariants([clientOrderId]);
    const positions = await harness.runtime.store.openPositions(ACCOUNT);
    expect(positions.find((p) => p.positionId === order.positionId)).toMatchObject({ side: 'BUY', volume: '0.1', external: false });

    const events = () => harness.eventsOf((e) => (e.envelope.data as { clientOrderId?: string }).clientOrderId === clientOrderId);
    await waitFor(() => events().length >= 3, { description: 'three events for the order' });
    expect(events().map((e) => [e.subject, e.envelope.type, e.envelope.id])).toEqual([
      ['exec.evt.itest-1.order', 'exec.order.submitted', `${clientOrderId}:2`],
      ['exec.evt.itest-1.deal', 'exec.deal.executed', `deal:${ACCOUNT}:${deal!.dealTicket}`],
      ['exec.evt.itest-1.order', 'exec.order.filled', `${clientOrderId}:3`],
    ]);
    const fill = events().find((e) => e.envelope.type === 'exec.deal.executed')!;
    expect(fill.envelope.data).toMatchObject({ clientOrderId, magic: 770001 });
    expect(fill.envelope.causationId).toBe(command.id);
    expect(traceId).toBeDefined();
    for (const event of events()) expect(event.headers.traceparent?.split('-')[1]).toBe(traceId);
  });
});

describe('duplicated transaction events', () => {
  it('record one deal, one deal event and one fill when every transaction arrives three times', async () => {
    await harness.simControl('faults', { mode: 'replace', rules: [{ kind: 'duplicate_transactions', copies: 3 }] });
    const command = submit({ side: 'SELL', volume: '0.2' });
    const clientOrderId = command.data.clientOrderId;
    await harness.send(command);
    const order = await harness.waitStatus(clientOrderId, ['FILLED', 'REJECTED', 'EXPIRED', 'UNKNOWN']);
    expect(order.status).toBe('FILLED');
    // Let the copies land and be handled before counting.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const deals = (await harness.runtime.store.deals(ACCOUNT)).filter((d) => d.clientOrderId === clientOrderId);
    expect(deals).toHaveLength(1);
    await waitFor(() => harness.eventsOf((e) => e.envelope.type === 'exec.order.filled' && (e.envelope.data as { clientOrderId: string }).clientOrderId === clientOrderId).length > 0);
    const forOrder = harness.eventsOf((e) => (e.envelope.data as { clientOrderId?: string }).clientOrderId === clientOrderId);
    expect(forOrder.filter((e) => e.envelope.type === 'exec.deal.executed')).toHaveLength(1);
    expect(forOrder.filter((e) => e.envelope.type === 'exec.order.filled')).toHaveLength(1);
    await harness.assertInvariants([clientOrderId]);
  });
});

describe('a position opened outside the platform', () => {
  it('is adopted as external by the reconciliation of the next session', async () => {
    await harness.killRuntime();
    // Someone trades by hand while the gateway is away: a bare bridge server stands in for the
    // terminal's own UI and sends one order with a magic and comment the platform never used.
    const manual = await harness.manualTrade({ action: 'DEAL', symbol: 'EURUSD', type: 'BUY', volume: 0.3, typeFilling: 'FOK', magic: 0, comment: 'by hand' });
    expect(manual.retcode).toBe(10009);
    await harness.startRuntime();
    await harness.waitReady();
    const adopted = (await harness.runtime.store.openPositions(ACCOUNT)).find((p) => p.comment === 'by hand');
    expect(adopted).toMatchObject({ external: true, side: 'BUY', volume: '0.3', magic: 0 });
    const snapshot = harness.eventsOf((e) => e.envelope.type === 'exec.position.snapshot' && (e.envelope.data as { positionId: string }).positionId === adopted!.positionId);
    expect(snapshot.at(-1)?.envelope.data).toMatchObject({ external: true });
    await harness.assertInvariants([]);
  });
});

describe('market data and queries', () => {
  it('republishes terminal ticks on md.tick.<venue>.<symbol> as decimal strings in UTC', async () => {
    const ticks: Envelope[] = [];
    const subscription = harness.client.nc.subscribe('md.tick.>', { callback: (_error, msg) => { ticks.push(msg.json<Envelope>()); } });
    await harness.quote(1.1005, 1.10058);
    await waitFor(() => ticks.some((t) => (t.data as { bid: string }).bid === '1.10050'), { description: 'the tick republished' });
    subscription.unsubscribe();
    const tick = ticks.find((t) => (t.data as { bid: string }).bid === '1.10050')!;
    expect(tick).toMatchObject({ type: 'md.tick', data: { venue: 'MT5', symbol: 'EURUSD', bid: '1.10050', ask: '1.10058' } });
    expect(tick.data).toHaveProperty('time', expect.stringMatching(/^2022-01-10T10:00:\d\d\.000Z$/));
  });

  it('answers exec.qry.history with the closed bars the terminal has, for market-data backfill', async () => {
    const barAt = (openTime: number, close: string) => createMessage(BarClosedMessage, {
      id: `bar-${openTime}`, tsEvent: new Date(openTime + 60_000), tsInit: new Date(openTime + 60_000),
      data: { venue: 'NOFEED', symbol: 'EURUSD', timeframe: 'M1', openTime: new Date(openTime).toISOString(), closeTime: new Date(openTime + 60_000).toISOString(), tickVolume: 12, open: '1.10050', high: '1.10090', low: '1.10040', close },
    });
    const first = MONDAY_10 + 3_600_000;
    for (const bar of [barAt(first, '1.10070'), barAt(first + 60_000, '1.10080')]) harness.client.nc.publish(BarClosedMessage.subject(bar.data), JSON.stringify(bar));
    await waitFor(async () => (await harness.simState()).serverTime === first + 60_000 + 59_000, { description: 'bars replayed by the simulator' });
    const reply = await requestQuery<{ bars: BarClosed[]; truncated: boolean }>(harness.client.nc, Subjects.query('execution', 'history'), {
      symbol: 'EURUSD', timeframe: 'M1', from: new Date(first).toISOString(), to: new Date(first + 120_000).toISOString(),
    });
    expect(reply.ok).toBe(true);
    // The second bar is still forming on the terminal's clock: only the first is closed.
    expect(reply.ok && reply.data).toEqual({ truncated: false, bars: [{
      venue: 'MT5', symbol: 'EURUSD', timeframe: 'M1', openTime: new Date(first).toISOString(), closeTime: new Date(first + 60_000).toISOString(),
      open: '1.10050', high: '1.10090', low: '1.10040', close: '1.10070', tickVolume: 12, spread: 8,
    }] });
  });

  it('answers exec.qry.orders and exec.qry.positions from its tables', async () => {
    const [filled] = await harness.runtime.store.query({ account: ACCOUNT, statuses: ['FILLED'], limit: 1 });
    const orders = await requestQuery<{ clientOrderId: string; status: string }[]>(harness.client.nc, Subjects.query('execution', 'orders'), { clientOrderId: filled!.clientOrderId });
    expect(orders.ok && orders.data.map((o) => [o.clientOrderId, o.status])).toEqual([[filled!.clientOrderId, 'FILLED']]);
    const positions = await requestQuery<{ positionId: string }[]>(harness.client.nc, Subjects.query('execution', 'positions'), { account: ACCOUNT });
    // An instance serving another account stays silent, so the right one's answer is the only one.
    await expect(requestQuery(harness.client.nc, Subjects.query('execution', 'positions'), { account: 'someone-else' }, 300)).rejects.toThrow();
    expect(positions.ok && positions.data.map((p) => p.positionId).sort()).toEqual((await harness.simState()).positions.map((p) => p.positionId).sort());
  });

  it('closes a position on a close-position command, and the books agree', async () => {
    const [position] = (await harness.runtime.store.openPositions(ACCOUNT)).filter((p) => !p.external);
    const command = createMessage(ClosePositionMessage, {
      id: `close-${position!.positionId}`, tsEvent: new Date(), tsInit: new Date(),
      data: { clientOrderId: `close-${position!.positionId}`, account: ACCOUNT, positionId: position!.positionId, symbol: 'EURUSD', magic: 770001,
        comment: `close-${position!.positionId}`, reason: 'test closes it', validUntil: new Date(Date.now() + 30_000).toISOString() },
    });
    await harness.send(command);
    const closing = await harness.waitStatus(command.data.clientOrderId, ['FILLED', 'REJECTED', 'EXPIRED', 'UNKNOWN']);
    expect(closing).toMatchObject({ status: 'FILLED', positionId: position!.positionId });
    expect((await harness.simState()).positions.some((p) => p.positionId === position!.positionId)).toBe(false);
    await harness.assertInvariants([command.data.clientOrderId]);
    expect((await harness.runtime.store.openPositions(ACCOUNT)).some((p) => p.positionId === position!.positionId)).toBe(false);
  });
});

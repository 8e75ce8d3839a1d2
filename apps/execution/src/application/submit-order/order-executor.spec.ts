import { describe, expect, it, jest } from '@jest/globals';
import { FakeClock } from '@mt5/testing';
import { coreHarness, submitCommand } from '../../testing/core-harness.fixture.js';

describe('submitting a market order', () => {
  it('commits the row, sends once and records the fill: NEW → SUBMITTED → FILLED', async () => {
    const h = coreHarness();
    const command = submitCommand();
    const order = await h.commands.submit(command, h.control);
    expect(order.status).toBe('FILLED');
    expect(h.store.history(order.clientOrderId)).toEqual(['NEW', 'SUBMITTED', 'FILLED']);
    expect(h.fake.requests).toHaveLength(1);
    expect(h.fake.requests[0]).toMatchObject({ action: 'DEAL', symbol: 'EURUSD', type: 'BUY', volume: 0.1, magic: 770001, comment: order.clientOrderId, typeFilling: 'FOK' });
    expect(order).toMatchObject({ filledVolume: '0.1', averagePrice: '1.10008' });
    expect(h.eventTypes(order.clientOrderId)).toEqual(['exec.order.submitted', 'exec.deal.executed', 'exec.order.filled']);
    const filled = h.published.find((m) => m.envelope.type === 'exec.order.filled')!;
    expect(filled.envelope.id).toBe(`${order.clientOrderId}:3`);
    expect(filled.envelope.causationId).toBe(command.id);
    expect(filled.subject).toBe('exec.evt.acct-1.order');
  });

  it('sends the clientOrderId as the MT5 comment, whatever the command comment says', async () => {
    const h = coreHarness();
    const order = await h.commands.submit(submitCommand({ clientOrderId: 'abc-1', comment: 'ma-cross' }), h.control);
    expect(order.comment).toBe('abc-1');
    expect(h.fake.requests[0]!.comment).toBe('abc-1');
  });

  it('does nothing more for a redelivered command whose order is already filled', async () => {
    const h = coreHarness();
    const command = submitCommand();
    await h.commands.submit(command, h.control);
    const again = await h.commands.submit(command, h.control);
    expect(again.status).toBe('FILLED');
    expect(h.fake.requests).toHaveLength(1);
  });
});

describe('the first sight of a command with the bridge ready (one write before the send)', () => {
  it('stores the order already SUBMITTED, with its NEW and SUBMITTED events, in one write before its one send', async () => {
    const h = coreHarness();
    const create = jest.spyOn(h.store, 'create');
    const createSubmitted = jest.spyOn(h.store, 'createSubmitted');
    const atSend: string[] = [];
    const trade = h.fake.trade.bind(h.fake);
    h.fake.trade = async (request) => {
      atSend.push(...h.store.history(request.comment));
      return trade(request);
    };
    const order = await h.commands.submit(submitCommand(), h.control);
    expect({ create: create.mock.calls.length, createSubmitted: createSubmitted.mock.calls.length, atSend }).toEqual({ create: 0, createSubmitted: 1, atSend: ['NEW', 'SUBMITTED'] });
    expect(h.store.history(order.clientOrderId)).toEqual(['NEW', 'SUBMITTED', 'FILLED']);
    expect(h.eventTypes(order.clientOrderId)).toEqual(['exec.order.submitted', 'exec.deal.executed', 'exec.order.filled']);
  });

  it('creates the order NEW and sends nothing while no rate-limit token is there', async () => {
    const h = coreHarness();
    let tokens = 0;
    Object.assign(h.context, { rateLimiter: { acquire: async () => (tokens-- > 0 ? { allowed: true, retryAfterMs: 0 } : { allowed: false, retryAfterMs: 20 }) } });
    const createSubmitted = jest.spyOn(h.store, 'createSubmitted');
    const command = submitCommand();
    const { clientOrderId } = command.data;
    const pending = h.commands.submit(command, h.control);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect({ history: h.store.history(clientOrderId), sent: h.fake.requests.length }).toEqual({ history: ['NEW'], sent: 0 });
    tokens = 1;
    expect((await pending).status).toBe('FILLED');
    expect({ createSubmitted: createSubmitted.mock.calls.length, sent: h.fake.requests.length }).toEqual({ createSubmitted: 0, sent: 1 });
    expect(h.store.history(clientOrderId)).toEqual(['NEW', 'SUBMITTED', 'FILLED']);
  });

  it('drives a redelivered command from its stored state and never sends it twice', async () => {
    const h = coreHarness();
    const command = submitCommand();
    const first = await h.commands.submit(command, h.control);
    const createSubmitted = jest.spyOn(h.store, 'createSubmitted');
    const again = await h.commands.submit(command, h.control);
    expect({ status: again.status, id: again.id, sent: h.fake.requests.length, createSubmitted: createSubmitted.mock.calls.length }).toEqual({ status: 'FILLED', id: first.id, sent: 1, createSubmitted: 1 });
  });
});

describe('price retries', () => {
  it.each([[10004], [10020], [10021]])('sends again after retcode %i with a fresh price, then fills', async (retcode) => {
    const h = coreHarness();
    h.fake.script.push({ kind: 'retcode', retcode });
    h.fake.ask = 1.10011;
    const order = await h.commands.submit(submitCommand(), h.control);
    expect(order.status).toBe('FILLED');
    expect(h.fake.requests).toHaveLength(2);
    expect(h.fake.requests[1]!.price).toBe(1.10011);
    expect(h.store.history(order.clientOrderId)).toEqual(['NEW', 'SUBMITTED', 'SUBMITTED', 'FILLED']);
    expect(h.store.events.find((e) => e.clientOrderId === order.clientOrderId && e.seq === 3)).toMatchObject({ retcode });
  });

  it('gives up after the configured number of sends and rejects with the last retcode', async () => {
    const h = coreHarness();
    h.fake.script.push({ kind: 'retcode', retcode: 10004 }, { kind: 'retcode', retcode: 10004 }, { kind: 'retcode', retcode: 10004 });
    const order = await h.commands.submit(submitCommand(), h.control);
    expect(order).toMatchObject({ status: 'REJECTED', lastRetcode: 10004 });
    expect(h.fake.requests).toHaveLength(3);
    const rejected = h.published.find((m) => m.envelope.type === 'exec.order.rejected')!.envelope.data;
    expect(rejected).toMatchObject({ retcode: 10004, retcodeName: 'REQUOTE', code: 'EXEC.RETRIES_EXHAUSTED' });
  });
});

describe('final rejections', () => {
  it.each([[10014, 'INVALID_VOLUME'], [10016, 'INVALID_STOPS'], [10018, 'MARKET_CLOSED'], [10019, 'NO_MONEY'], [10030, 'INVALID_FILL']])(
    'rejects on retcode %i (%s) without sending again', async (retcode, name) => {
      const h = coreHarness();
      h.fake.script.push({ kind: 'retcode', retcode, comment: name });
      const order = await h.commands.submit(submitCommand(), h.control);
      expect(order.status).toBe('REJECTED');
      expect(h.fake.requests).toHaveLength(1);
      expect(h.published.find((m) => m.envelope.type === 'exec.order.rejected')!.envelope.data).toMatchObject({ retcode, retcodeName: name, code: 'EXEC.VENUE_REJECTED' });
    });
});

describe('unknown outcomes', () => {
  it('settles a timeout the broker executed as FILLED, with one broker order and no second send', async () => {
    const h = coreHarness();
    h.fake.script.push({ kind: 'timeout', executed: true });
    const order = await h.commands.submit(submitCommand(), h.control);
    expect(order.status).toBe('FILLED');
    expect(h.store.history(order.clientOrderId)).toEqual(['NEW', 'SUBMITTED', 'UNKNOWN', 'FILLED']);
    expect(h.fake.requests).toHaveLength(1);
    expect(h.fake.brokerOrdersFor(order.comment)).toHaveLength(1);
  });

  it('treats a 10012 reply like silence: unknown, settled by query', async () => {
    const h = coreHarness();
    h.fake.script.push({ kind: 'timeout', executed: true, reply: true });
    const order = await h.commands.submit(submitCommand(), h.control);
    expect(order.status).toBe('FILLED');
    expect(h.fake.requests).toHaveLength(1);
  });

  it('keeps an unexecuted timeout UNKNOWN inside the settle window, then rejects it with the retcode once provably absent', async () => {
    const clock = new FakeClock(new Date());
    const h = coreHarness({ clock });
    h.fake.script.push({ kind: 'timeout', executed: false, reply: true });
    const order = await h.commands.submit(submitCommand({ validUntil: new Date(Date.now() + 3_600_000).toISOString() }), h.control);
    expect(order.status).toBe('UNKNOWN');
    clock.advance(30_000);
    const settled = await h.settler.settle(order);
    expect(settled.order.status).toBe('REJECTED');
    expect(settled.order.lastRetcode).toBe(10012);
    expect(h.fake.requests).toHaveLength(1);
  });

  it('does not take a failed query for absence: the order stays UNKNOWN', async () => {
    const clock = new FakeClock(new Date());
    const h = coreHarness({ clock });
    h.fake.script.push({ kind: 'timeout', executed: false });
    const order = await h.commands.submit(submitCommand(), h.control);
    clock.advance(3_600_000);
    h.fake.failQueries = true;
    const attempt = await h.settler.settle(order);
    expect(attempt.settlement.kind).toBe('query-failed');
    expect(attempt.order.status).toBe('UNKNOWN');
  });

  it('never sends a redelivered command whose order was left SUBMITTED; it settles it instead', async () => {
    const h = coreHarness();
    const command = submitCommand();
    h.fake.connected = false;
    h.gate.set('DISCONNECTED');
    const { order } = await h.store.create({
      clientOrderId: command.data.clientOrderId, account: command.data.account, magic: 770001, comment: command.data.clientOrderId, symbol: 'EURUSD', side: 'BUY',
      orderType: 'MARKET', volume: '0.1', price: null, stopLoss: null, takeProfit: null, validUntil: new Date(command.data.validUntil), signalId: null, strategyId: null,
      origin: { commandId: command.id, commandType: command.type, correlationId: command.correlationId },
    }, new Date());
    const { Transitions } = await import('../orders/order-transitions.js');
    await h.store.commit({ transitions: [Transitions.submitted(order, new Date(), 1, null)] });
    h.fake.connected = true;
    h.fake.script.push({ kind: 'fill' });
    await h.fake.trade({ action: 'DEAL', symbol: 'EURUSD', type: 'BUY', volume: 0.1, typeFilling: 'FOK', magic: 770001, comment: order.comment });
    h.gate.set('READY');
    const after = await h.commands.submit(command, h.control);
    expect(after.status).toBe('FILLED');
    expect(h.store.history(order.clientOrderId)).toEqual(['NEW', 'SUBMITTED', 'UNKNOWN', 'FILLED']);
    expect(h.fake.requests).toHaveLength(1);
  });
});

describe('waiting for the bridge', () => {
  it('expires a command whose deadline passes while the bridge is down, with the reason, and sends nothing', async () => {
    const h = coreHarness();
    h.gate.set('DISCONNECTED');
    const order = await h.commands.submit(submitCommand({ validUntil: new Date(Date.now() + 150).toISOString() }), h.control);
    expect(order.status).toBe('EXPIRED');
    expect(order.lastError).toMatch(/no terminal session/);
    expect(h.fake.requests).toHaveLength(0);
  });

  it('sends a waiting command once the gate opens, after risk approves it again', async () => {
    const h = coreHarness();
    h.gate.set('RECONCILING');
    const command = submitCommand();
    setTimeout(() => h.gate.set('READY'), 50);
    const order = await h.commands.submit(command, h.control);
    expect(order.status).toBe('FILLED');
    expect(h.rechecks).toEqual([command.data.clientOrderId]);
  });

  it('expires a waiting command that risk no longer approves', async () => {
    const h = coreHarness({ riskApproves: false });
    h.gate.set('DISCONNECTED');
    setTimeout(() => h.gate.set('READY'), 30);
    const order = await h.commands.submit(submitCommand(), h.control);
    expect(order.status).toBe('EXPIRED');
    expect(order.lastError).toMatch(/risk re-check after waiting for the bridge: RISK.TRADING_HALTED/);
    expect(h.fake.requests).toHaveLength(0);
  });

  it('hands a waiting command back when the service stops', async () => {
    const h = coreHarness();
    h.gate.set('DISCONNECTED');
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 30);
    await expect(h.commands.submit(submitCommand(), { signal: stop.signal })).rejects.toMatchObject({ code: 'EXEC.BRIDGE_DISCONNECTED', retryable: true });
    expect(h.fake.requests).toHaveLength(0);
  });
});

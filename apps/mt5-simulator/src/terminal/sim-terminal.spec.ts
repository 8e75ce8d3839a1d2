import { afterEach, describe, expect, it } from '@jest/globals';
import type { BridgeBody } from '@mt5/contracts';
import { MONDAY } from '../broker/broker.fixture.js';
import type { FaultRuleInput } from './fault-plan.js';
import { startHarness, until } from './terminal-harness.fixture.js';

type Harness = Awaited<ReturnType<typeof startHarness>>;
const harnesses: Harness[] = [];
async function harness(options: Parameters<typeof startHarness>[0] = {}): Promise<Harness> {
  const started = await startHarness(options);
  harnesses.push(started);
  return started;
}
afterEach(async () => {
  for (const started of harnesses.splice(0)) await started.stop();
});

const buy = (extra: Partial<BridgeBody<'trade_request'>> = {}): BridgeBody<'trade_request'> => ({
  action: 'DEAL', symbol: 'EURUSD', type: 'BUY', volume: 0.1, typeFilling: 'IOC', deviation: 10, magic: 770001, comment: 'order-1', ...extra,
});

describe('the simulator terminal over the bridge', () => {
  it('runs a market order round trip: result, then five sequenced transactions, then the position and deal in snapshots', async () => {
    const h = await harness();
    const reply = await h.session.request('trade_request', buy({ sl: 1.099 }), 1000);
    expect(reply.body).toMatchObject({ retcode: 10009, order: '4000001', deal: '3000002', price: 1.10008, volume: 0.1 });
    await until(() => h.transactions().length === 5);
    expect(h.transactions().map((f) => [f.body.seq, f.body.type])).toEqual([[1, 'ORDER_ADD'], [2, 'DEAL_ADD'], [3, 'ORDER_DELETE'], [4, 'HISTORY_ADD'], [5, 'REQUEST']]);
    const positions = await h.session.request('positions_request', { magic: 770001 }, 1000);
    expect(positions.body.positions).toEqual([expect.objectContaining({ ticket: '4000001', identifier: '4000001', type: 'BUY', volume: 0.1, sl: 1.099, priceCurrent: 1.1, profit: -0.8 })]);
    const deals = await h.session.request('deals_request', { from: MONDAY, to: MONDAY, magic: 770001, comment: 'order-1', maxCount: 10 }, 1000);
    expect(deals.body).toEqual({ truncated: false, deals: [expect.objectContaining({ ticket: '3000002', entry: 'IN', reason: 'EXPERT' })] });
  });

  it.each([
    ['requote', 10004],
    ['price_changed', 10020],
    ['price_off', 10021],
  ] as const)('injects %s as retcode %i without executing, and the retry with a fresh price fills', async (kind, retcode) => {
    const h = await harness({ faults: [{ kind, times: 2 }] });
    for (let attempt = 0; attempt < 2; attempt++) {
      const refused = await h.session.request('trade_request', buy(), 1000);
      expect(refused.body).toMatchObject({ retcode, order: '0', deal: '0', bid: 1.1, ask: 1.10008 });
    }
    expect(h.broker.positions()).toEqual([]);
    expect((await h.session.request('trade_request', buy(), 1000)).body.retcode).toBe(10009);
    expect(h.broker.positions()).toHaveLength(1);
  });

  /** Moves the server clock to a Saturday (through a crypto quote), when forex is closed. */
  const saturday = (h: Harness) => h.broker.setQuote('BTCUSDT', 20000, 20015, Date.UTC(2022, 0, 15, 12));
  it.each([
    ['an invalid volume', 10014, buy({ volume: 0.015 }), undefined],
    ['invalid stops', 10016, buy({ sl: 1.1002 }), undefined],
    ['a closed market', 10018, buy(), saturday],
    ['no money', 10019, buy({ volume: 95 }), undefined],
    ['an invalid filling mode', 10030, buy({ typeFilling: 'RETURN' }), undefined],
  ])('answers %s with the final retcode %i and opens nothing', async (_name, retcode, request, prepare) => {
    const h = await harness();
    prepare?.(h);
    const reply = await h.session.request('trade_request', request, 1000);
    expect(reply.body.retcode).toBe(retcode);
    expect(h.broker.positions()).toEqual([]);
  });

  it('timeout with a 10012 reply: the broker executed exactly once, and the deal is findable by magic and comment', async () => {
    const h = await harness({ faults: [{ kind: 'timeout', mode: 'reply' }] });
    const reply = await h.session.request('trade_request', buy({ comment: 'cid-timeout' }), 1000);
    expect(reply.body).toMatchObject({ retcode: 10012, order: '0', deal: '0' });
    expect(h.broker.positions()).toHaveLength(1);
    const deals = await h.session.request('deals_request', { from: MONDAY, to: MONDAY, magic: 770001, comment: 'cid-timeout', maxCount: 10 }, 1000);
    expect(deals.body.deals).toHaveLength(1);
  });

  it('timeout without a reply: the gateway request times out with sent=true and exactly one position exists', async () => {
    const h = await harness({ faults: [{ kind: 'timeout', mode: 'no_reply' }] });
    await expect(h.session.request('trade_request', buy(), 200)).rejects.toMatchObject({ code: 'BRIDGE.REQUEST_TIMEOUT', sent: true });
    const positions = await h.session.request('positions_request', {}, 1000);
    expect(positions.body.positions).toHaveLength(1);
  });

  it('disconnect before the broker: the request fails in flight, nothing executed, the terminal comes back', async () => {
    const h = await harness({ faults: [{ kind: 'disconnect_before' }] });
    const first = h.session;
    await expect(first.request('trade_request', buy(), 1000)).rejects.toMatchObject({ code: 'BRIDGE.NOT_CONNECTED', sent: true });
    const second = await h.nextSession(first);
    expect((await second.request('positions_request', {}, 1000)).body.positions).toEqual([]);
  });

  it('disconnect after the broker executed: no result, and after reconnect exactly one position and one deal', async () => {
    const h = await harness({ faults: [{ kind: 'disconnect_after' }] });
    const first = h.session;
    await expect(first.request('trade_request', buy({ comment: 'cid-after' }), 1000)).rejects.toMatchObject({ code: 'BRIDGE.NOT_CONNECTED', sent: true });
    const second = await h.nextSession(first);
    expect((await second.request('positions_request', {}, 1000)).body.positions).toHaveLength(1);
    const deals = await second.request('deals_request', { from: MONDAY, to: MONDAY, magic: 770001, comment: 'cid-after', maxCount: 10 }, 1000);
    expect(deals.body.deals).toHaveLength(1);
    // The lost transactions used seq 1..5: the next one is 6, so the gateway sees the gap.
    h.broker.setQuote('EURUSD', 1.0985, 1.09858, MONDAY + 60_000);
    await second.request('trade_request', buy({ comment: 'cid-next' }), 1000);
    await until(() => h.transactions().length > 0);
    expect(h.transactions()[0]!.body.seq).toBe(6);
  });

  it('crash after accept: the terminal dies silently and returns as a new EA instance; the broker kept the position', async () => {
    const h = await harness({ faults: [{ kind: 'crash_after_accept', restartAfterMs: 100 }] });
    const first = h.session;
    await expect(first.request('trade_request', buy(), 1000)).rejects.toMatchObject({ code: 'BRIDGE.NOT_CONNECTED' });
    const second = await h.nextSession(first);
    expect(second.hello.eaInstanceId).not.toBe(first.hello.eaInstanceId);
    expect((await second.request('positions_request', {}, 1000)).body.positions).toHaveLength(1);
    await second.request('trade_request', buy({ comment: 'after-restart' }), 1000);
    await until(() => h.transactions().length === 5);
    expect(h.transactions()[0]!.body.seq).toBe(1);
  });

  it('duplicated transaction events carry the same seq, so the gateway can drop the copies', async () => {
    const h = await harness({ faults: [{ kind: 'duplicate_transactions', copies: 2 }] });
    await h.session.request('trade_request', buy(), 1000);
    await until(() => h.transactions().length === 10);
    const bySeq = new Map<number, unknown[]>();
    for (const frame of h.transactions()) bySeq.set(frame.body.seq, [...(bySeq.get(frame.body.seq) ?? []), frame.body]);
    expect([...bySeq.keys()]).toEqual([1, 2, 3, 4, 5]);
    for (const copies of bySeq.values()) expect(copies[0]).toEqual(copies[1]);
  });

  it('delayed transaction events arrive after the result, by the configured delay', async () => {
    const h = await harness({ faults: [{ kind: 'delay_transactions', delayMs: 150 }] });
    const sentAt = Date.now();
    await h.session.request('trade_request', buy(), 1000);
    expect(h.transactions()).toEqual([]);
    await until(() => h.transactions().length === 5);
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(140);
  });

  it('streams ticks of subscribed symbols and the transactions of an SL triggered by the price', async () => {
    const h = await harness();
    await h.session.request('trade_request', buy({ sl: 1.099 }), 1000);
    h.session.send('ticks_subscribe', { symbols: ['EURUSD'] });
    await until(() => h.pushed.some((f) => f.kind === 'tick'));
    h.broker.applyBar('EURUSD', { time: MONDAY + 60_000, open: 1.1, high: 1.1001, low: 1.0985, close: 1.0987 });
    await until(() => h.transactions().some((f) => f.body.type === 'DEAL_ADD' && f.body.dealType === 'SELL'));
    const ticks = h.pushed.filter((f) => f.kind === 'tick').map((f) => (f.body as BridgeBody<'tick'>).bid);
    expect(ticks).toEqual([1.1, 1.1, 1.1001, 1.0985, 1.0987]);
    expect((await h.session.request('positions_request', {}, 1000)).body.positions).toEqual([]);
  });

  it('answers symbols, account and bars requests', async () => {
    const h = await harness();
    const symbols = await h.session.request('symbols_request', { symbols: ['EURUSD', 'NOPE'] }, 1000);
    expect(symbols.body).toMatchObject({ specs: [{ symbol: 'EURUSD', digits: 5, fillingModes: ['FOK', 'IOC'], stopsLevel: 10 }], unknownSymbols: ['NOPE'] });
    const account = await h.session.request('account_request', {}, 1000);
    expect(account.body).toMatchObject({ login: 5001, currency: 'USD', balance: 10_000, equity: 10_000, marginLevel: null, marginMode: 'HEDGING', leverage: 100 });
    h.broker.applyBar('EURUSD', { time: MONDAY + 60_000, open: 1.1, high: 1.1003, low: 1.0999, close: 1.1002, tickVolume: 12 });
    h.broker.applyBar('EURUSD', { time: MONDAY + 120_000, open: 1.1002, high: 1.1004, low: 1.1, close: 1.1001, tickVolume: 8 });
    const bars = await h.session.request('bars_request', { symbol: 'EURUSD', timeframe: 'M5', from: MONDAY, to: MONDAY + 300_000, maxCount: 10 }, 1000);
    expect(bars.body).toEqual({ symbol: 'EURUSD', timeframe: 'M5', truncated: false, bars: [{ time: MONDAY, open: 1.1, high: 1.1004, low: 1.0999, close: 1.1001, tickVolume: 20, spread: 8, realVolume: 0 }] });
  });

  it('takes new faults while running', async () => {
    const h = await harness();
    const rules: FaultRuleInput[] = [{ kind: 'requote', symbol: 'GBPUSD' }, { kind: 'price_off', symbol: 'EURUSD' }];
    h.terminal.faults.replace(rules);
    expect((await h.session.request('trade_request', buy(), 1000)).body.retcode).toBe(10021);
    expect(h.terminal.faults.pending()).toEqual([{ kind: 'requote', symbol: 'GBPUSD', times: 1 }]);
  });
});

import { describe, expect, it } from '@jest/globals';
import { deal, MONDAY, newBroker, SATURDAY } from './broker.fixture.js';

describe('SimBroker market orders', () => {
  it('fills a buy at the ask, opens a position, books the deal and emits the MT5 transaction sequence', () => {
    const { broker, transactions } = newBroker();
    const result = broker.execute(deal('BUY', 0.1, { sl: 1.099, tp: 1.102 }));
    expect(result).toEqual({
      retcode: 10009, deal: '3000002', order: '4000001', volume: 0.1, price: 1.10008, bid: 1.1, ask: 1.10008,
      comment: 'Request executed', requestId: 1, retcodeExternal: 0,
    });
    expect(broker.positions()).toEqual([expect.objectContaining({
      ticket: '4000001', positionId: '4000001', symbol: 'EURUSD', side: 'BUY', volume: 0.1, openPrice: 1.10008, sl: 1.099, tp: 1.102,
      magic: 770001, comment: 'order-1', openTime: MONDAY,
    })]);
    // Commission 3.5 USD per lot per side: 0.35 for 0.1 lot.
    expect(broker.deals({ from: MONDAY, to: MONDAY, magic: 770001, comment: 'order-1', maxCount: 10 }).deals).toEqual([{
      ticket: '3000002', order: '4000001', positionId: '4000001', symbol: 'EURUSD', type: 'BUY', entry: 'IN', volume: 0.1, price: 1.10008,
      commission: -0.35, swap: 0, profit: 0, fee: 0, time: MONDAY, magic: 770001, comment: 'order-1', reason: 'EXPERT',
    }]);
    expect(transactions.map((t) => [t.type, t.orderState ?? t.dealType ?? t.retcode])).toEqual([
      ['ORDER_ADD', 'STARTED'], ['DEAL_ADD', 'BUY'], ['ORDER_DELETE', 'FILLED'], ['HISTORY_ADD', 'FILLED'], ['REQUEST', 10009],
    ]);
  });

  it('reports balance, equity, margin, free margin and margin level as computed by hand', () => {
    const { broker } = newBroker();
    broker.execute(deal('BUY', 0.1));
    // balance   = 10 000 − 0.35 commission                       = 9 999.65
    // profit    = (1.10000 − 1.10008) / 0.00001 × 1 USD × 0.1 lot = −0.80
    // equity    = 9 999.65 − 0.80                                 = 9 998.85
    // margin    = 100 000 × 0.1 × 1.10008 (ask) / 100             = 110.008 → 110.01
    // free      = 9 998.85 − 110.01                               = 9 888.84
    // level     = 9 998.85 / 110.01 × 100                         = 9 089.037… → 9 089.04
    expect(broker.accountState()).toEqual({ balance: 9999.65, equity: 9998.85, profit: -0.8, margin: 110.01, freeMargin: 9888.84, marginLevel: 9089.04 });
  });

  it('computes margin per calculation mode: USD-based pair, metal, crypto with its own leverage', () => {
    const { broker } = newBroker();
    broker.execute(deal('BUY', 0.1, { symbol: 'USDJPY' }));
    // USDJPY margin currency is the account currency: 100 000 × 0.1 / 100 = 100.00
    expect(broker.accountState().margin).toBe(100);
    broker.execute(deal('BUY', 0.1, { symbol: 'XAUUSD' }));
    // XAUUSD: 100 oz × 0.1 × 2000.30 / 100 = 200.03
    expect(broker.accountState().margin).toBe(300.03);
    broker.execute(deal('BUY', 0.1, { symbol: 'BTCUSDT' }));
    // BTCUSDT at 1:2: 1 × 0.1 × 20 015 / 2 = 1 000.75
    expect(broker.accountState().margin).toBe(1300.78);
  });

  it('converts USDJPY profit to USD at the closing price', () => {
    const { broker } = newBroker();
    broker.execute(deal('BUY', 0.1, { symbol: 'USDJPY' }));
    broker.setQuote('USDJPY', 110.5, 110.51, MONDAY + 60_000);
    const [position] = broker.positions();
    broker.execute(deal('SELL', 0.1, { symbol: 'USDJPY', position: position!.ticket }));
    // 490 points × (0.001 × 100 000 / 110.5) USD × 0.1 lot = 44.3438… → 44.34
    expect(broker.deals({ from: 0, to: MONDAY + 60_000, maxCount: 10 }).deals.at(-1)).toMatchObject({ entry: 'OUT', price: 110.5, profit: 44.34, commission: -0.35 });
    expect(broker.positions()).toEqual([]);
    expect(broker.accountState().balance).toBe(10_000 - 0.35 - 0.35 + 44.34);
  });

  it('closes part of a position with a DEAL on its ticket and a smaller volume', () => {
    const { broker } = newBroker();
    const opened = broker.execute(deal('BUY', 0.1));
    const result = broker.execute(deal('SELL', 0.04, { position: opened.order }));
    expect(result).toMatchObject({ retcode: 10009, volume: 0.04, price: 1.1 });
    expect(broker.positions()).toEqual([expect.objectContaining({ ticket: opened.order, volume: 0.06, openPrice: 1.10008 })]);
    // −8 points × 1 USD × 0.04 lot = −0.32; commission 0.04 × 3.5 = 0.14.
    expect(broker.deals({ from: 0, to: MONDAY, maxCount: 10 }).deals.at(-1)).toMatchObject({ entry: 'OUT', volume: 0.04, profit: -0.32, commission: -0.14, positionId: opened.order });
  });

  it.each([
    ['a volume under the minimum', 10014, deal('BUY', 0.001)],
    ['a volume off the step', 10014, deal('BUY', 0.015)],
    ['a volume over the maximum', 10014, deal('BUY', 150)],
    ['a buy stop loss above the bid', 10016, deal('BUY', 0.1, { sl: 1.1001 })],
    ['a buy stop loss inside the 10-point stops level', 10016, deal('BUY', 0.1, { sl: 1.09995 })],
    ['a sell take profit above the ask', 10016, deal('SELL', 0.1, { tp: 1.1005 })],
    ['more lots than the free margin carries', 10019, deal('BUY', 95)],
    ['the RETURN filling mode on a market order', 10030, deal('BUY', 0.1, { typeFilling: 'RETURN' })],
    ['FOK on a symbol that only allows IOC', 10030, deal('BUY', 0.1, { symbol: 'BTCUSDT', typeFilling: 'FOK' })],
    ['an unknown symbol', 10013, deal('BUY', 0.1, { symbol: 'NOPE' })],
    ['a close of a position that does not exist', 10036, deal('SELL', 0.1, { position: '123' })],
  ])('refuses %s with retcode %i and changes nothing', (_name, retcode, request) => {
    const { broker, transactions } = newBroker();
    const before = broker.accountState();
    transactions.length = 0;
    const result = broker.execute(request);
    expect(result).toMatchObject({ retcode, deal: '0', order: '0' });
    expect(broker.positions()).toEqual([]);
    expect(broker.accountState()).toEqual(before);
    // Refused before the server (the EA's OrderCheck): no transaction at all.
    expect(transactions).toEqual([]);
  });

  it('refuses with 10018 outside the trading session and with 10021 before any quote', () => {
    const { broker } = newBroker();
    broker.setQuote('BTCUSDT', 21000, 21015, SATURDAY);
    expect(broker.execute(deal('BUY', 0.1)).retcode).toBe(10018);
    expect(broker.execute(deal('BUY', 0.1, { symbol: 'BTCUSDT' })).retcode).toBe(10009);
    expect(broker.execute(deal('BUY', 0.1, { symbol: 'GBPUSD' })).retcode).toBe(10021);
  });

  it('refuses to close more than the position holds with 10038', () => {
    const { broker } = newBroker();
    const opened = broker.execute(deal('BUY', 0.1));
    expect(broker.execute(deal('SELL', 0.2, { position: opened.order })).retcode).toBe(10038);
    expect(broker.positions()[0]!.volume).toBe(0.1);
  });

  it('keeps the initial deposit as a BALANCE deal', () => {
    const { broker } = newBroker();
    expect(broker.deals({ from: 0, to: MONDAY, maxCount: 10 }).deals).toEqual([expect.objectContaining({ ticket: '3000001', type: 'BALANCE', profit: 10_000 })]);
  });
});

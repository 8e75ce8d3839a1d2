import { describe, expect, it } from '@jest/globals';
import { deal, MONDAY, newBroker } from './broker.fixture.js';

const MINUTE = 60_000;

describe('SimBroker SL and TP', () => {
  it('closes a long at its stop loss level when a bar moves through it, with reason SL', () => {
    const { broker, transactions } = newBroker();
    const opened = broker.execute(deal('BUY', 0.1, { sl: 1.099 }));
    transactions.length = 0;
    // Down bar: open 1.10000 → high 1.10020 → low 1.09800 → close 1.09850; the SL at 1.09900 is crossed between high and low.
    broker.applyBar('EURUSD', { time: MONDAY + MINUTE, open: 1.1, high: 1.1002, low: 1.098, close: 1.0985 });
    expect(broker.positions()).toEqual([]);
    // (1.09900 − 1.10008) / 0.00001 × 1 × 0.1 = −10.80
    expect(broker.deals({ from: 0, to: MONDAY + 2 * MINUTE, maxCount: 10 }).deals.at(-1)).toMatchObject({
      entry: 'OUT', type: 'SELL', price: 1.099, profit: -10.8, reason: 'SL', comment: '[sl 1.09900]', positionId: opened.order, magic: 770001,
    });
    expect(transactions.map((t) => t.type)).toEqual(['ORDER_ADD', 'DEAL_ADD', 'ORDER_DELETE', 'HISTORY_ADD']);
  });

  it('fills a stop loss jumped over by a new quote at that quote (slippage), not at the level', () => {
    const { broker } = newBroker();
    broker.execute(deal('BUY', 0.1, { sl: 1.099 }));
    broker.setQuote('EURUSD', 1.0985, 1.09858, MONDAY + MINUTE);
    expect(broker.deals({ from: 0, to: MONDAY + MINUTE, maxCount: 10 }).deals.at(-1)).toMatchObject({ price: 1.0985, reason: 'SL' });
  });

  it('closes a short at its take profit when the ask reaches it, with reason TP', () => {
    const { broker } = newBroker();
    broker.execute(deal('SELL', 0.1, { tp: 1.099 }));
    // The ask is bid + 8 points: the short's TP at 1.09900 needs the bid at 1.09892.
    broker.setQuote('EURUSD', 1.09895, 1.09903, MONDAY + MINUTE);
    expect(broker.positions()).toHaveLength(1);
    broker.applyBar('EURUSD', { time: MONDAY + 2 * MINUTE, open: 1.09895, high: 1.09897, low: 1.0988, close: 1.0989 });
    // Short from the bid 1.10000 to 1.09900: +100 points × 0.1 = +10.00
    expect(broker.deals({ from: 0, to: MONDAY + 3 * MINUTE, maxCount: 10 }).deals.at(-1)).toMatchObject({ type: 'BUY', price: 1.099, profit: 10, reason: 'TP' });
    expect(broker.positions()).toEqual([]);
  });

  it('walks a bar low first when it closes up: the stop loss below is hit before the take profit above', () => {
    const { broker } = newBroker();
    broker.execute(deal('BUY', 0.1, { sl: 1.0995, tp: 1.1005 }));
    broker.applyBar('EURUSD', { time: MONDAY + MINUTE, open: 1.1, high: 1.1006, low: 1.0994, close: 1.1004 });
    expect(broker.deals({ from: 0, to: MONDAY + 2 * MINUTE, maxCount: 10 }).deals.at(-1)).toMatchObject({ reason: 'SL', price: 1.0995 });
  });

  it('modifies stops with SLTP, emits a POSITION transaction and answers 10025 when nothing changes', () => {
    const { broker, transactions } = newBroker();
    const opened = broker.execute(deal('BUY', 0.1));
    const request = { action: 'SLTP', symbol: 'EURUSD', position: opened.order, sl: 1.098, tp: 1.103, magic: 770001, comment: '' } as const;
    expect(broker.execute(request).retcode).toBe(10009);
    expect(transactions.at(-2)).toMatchObject({ type: 'POSITION', position: opened.order, priceSl: 1.098, priceTp: 1.103 });
    expect(broker.execute(request).retcode).toBe(10025);
    expect(broker.execute({ ...request, sl: 1.1001 }).retcode).toBe(10016);
  });

  it('stops out the losing position when the margin level falls under 50%', () => {
    const { broker } = newBroker('HEDGING', 200);
    // Margin 100 000 × 0.15 × 1.10008 / 100 = 165.01 on 200 of equity.
    expect(broker.execute(deal('BUY', 0.15)).retcode).toBe(10009);
    broker.setQuote('EURUSD', 1.0885, 1.08858, MONDAY + MINUTE);
    expect(broker.positions()).toEqual([]);
    expect(broker.deals({ from: 0, to: MONDAY + MINUTE, maxCount: 10 }).deals.at(-1)).toMatchObject({ reason: 'SO', price: 1.0885 });
  });
});

describe('SimBroker pending orders', () => {
  const pending = (type: 'BUY_LIMIT' | 'SELL_LIMIT' | 'BUY_STOP' | 'SELL_STOP', price: number, extra = {}) =>
    ({ action: 'PENDING', symbol: 'EURUSD', type, volume: 0.1, price, typeFilling: 'RETURN', magic: 770001, comment: 'order-2', ...extra } as const);

  it('places a buy limit (10008) and fills it at its price when the ask comes down to it', () => {
    const { broker, transactions } = newBroker();
    const placed = broker.execute(pending('BUY_LIMIT', 1.0995, { sl: 1.099 }));
    expect(placed).toMatchObject({ retcode: 10008, order: '4000001', deal: '0' });
    expect(broker.orders()).toEqual([expect.objectContaining({ ticket: '4000001', type: 'BUY_LIMIT', state: 'PLACED', priceOpen: 1.0995 })]);
    broker.applyBar('EURUSD', { time: MONDAY + MINUTE, open: 1.1, high: 1.1001, low: 1.0993, close: 1.0996 });
    expect(broker.orders()).toEqual([]);
    expect(broker.positions()).toEqual([expect.objectContaining({ positionId: '4000001', side: 'BUY', openPrice: 1.0995, sl: 1.099 })]);
    expect(transactions.map((t) => t.type)).toEqual(['ORDER_ADD', 'REQUEST', 'DEAL_ADD', 'ORDER_DELETE', 'HISTORY_ADD']);
  });

  it.each([
    ['a buy limit above the ask', pending('BUY_LIMIT', 1.1002), 10015],
    ['a sell stop above the bid', pending('SELL_STOP', 1.1001), 10015],
    ['a buy stop inside the stops level', pending('BUY_STOP', 1.10012), 10015],
    ['a sell limit with its stop loss below the price', pending('SELL_LIMIT', 1.101, { sl: 1.1005 }), 10016],
    ['a stop-limit order', { ...pending('BUY_LIMIT', 1.099), type: 'BUY_STOP_LIMIT' } as const, 10035],
    ['an expiry in the past', pending('BUY_LIMIT', 1.099, { typeTime: 'SPECIFIED', expiration: MONDAY - 1 }), 10022],
  ])('refuses %s', (_name, request, retcode) => {
    const { broker } = newBroker();
    expect(broker.execute(request).retcode).toBe(retcode);
    expect(broker.orders()).toEqual([]);
  });

  it('expires a pending order at its expiration time', () => {
    const { broker } = newBroker();
    broker.execute(pending('SELL_STOP', 1.098, { typeTime: 'SPECIFIED', expiration: MONDAY + MINUTE }));
    broker.setQuote('EURUSD', 1.1, 1.10008, MONDAY + MINUTE);
    expect(broker.orders()).toEqual([]);
    expect(broker.historyOrders().at(-1)).toMatchObject({ type: 'SELL_STOP', state: 'EXPIRED' });
  });

  it('modifies and removes a pending order', () => {
    const { broker } = newBroker();
    const placed = broker.execute(pending('BUY_LIMIT', 1.099));
    expect(broker.execute({ action: 'MODIFY', order: placed.order, price: 1.0985, magic: 770001, comment: '' }).retcode).toBe(10009);
    expect(broker.orders()[0]!.priceOpen).toBe(1.0985);
    expect(broker.execute({ action: 'REMOVE', order: placed.order, magic: 770001, comment: '' }).retcode).toBe(10009);
    expect(broker.orders()).toEqual([]);
    expect(broker.historyOrders().at(-1)).toMatchObject({ ticket: placed.order, state: 'CANCELED' });
  });
});

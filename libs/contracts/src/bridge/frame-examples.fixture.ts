import type { BridgeBody, BridgeFrameKind } from './frame.js';

/**
 * One valid body per frame kind, shaped like what an MT5 terminal reports for EURUSD on a
 * hedging demo account. Tests copy and change them to probe one rule at a time.
 */
export const bridgeBodyExamples: { [K in BridgeFrameKind]: BridgeBody<K> } = {
  challenge: { nonce: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', protocolVersions: [1] },
  hello: {
    account: '12345678', login: 12345678, server: 'MetaQuotes-Demo', company: 'MetaQuotes Ltd.', protocolVersion: 1,
    terminalBuild: 4755, eaVersion: '1.0.0', eaInstanceId: 'ea-7f3a9c21', serverTimeOffsetSeconds: 7200,
    marginMode: 'HEDGING', tradeAllowed: true, hmac: 'b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad',
  },
  welcome: { sessionId: 'sess-1', heartbeatIntervalMs: 5000, maxFrameBytes: 1_048_576 },
  heartbeat: { terminalConnected: true, tradeAllowed: true, serverTimeOffsetSeconds: 7200 },
  error: { code: 'BRIDGE.SCHEMA_VIOLATION', message: 'trade_request: symbol is required for action DEAL', refId: 'g-42' },
  symbols_request: { symbols: ['EURUSD', 'XAUUSD'] },
  symbol_spec: {
    specs: [{
      symbol: 'EURUSD', description: 'Euro vs US Dollar', digits: 5, point: 0.00001, tickSize: 0.00001, tickValue: 1,
      contractSize: 100000, volumeMin: 0.01, volumeMax: 500, volumeStep: 0.01, volumeLimit: 0, stopsLevel: 0, freezeLevel: 0,
      fillingModes: ['FOK', 'IOC'], tradeMode: 'FULL', executionMode: 'MARKET',
      sessions: { quote: [{ day: 1, fromMinute: 0, toMinute: 1440 }], trade: [{ day: 1, fromMinute: 0, toMinute: 1440 }] },
      currencyBase: 'EUR', currencyProfit: 'USD', currencyMargin: 'EUR', swapLong: -6.8, swapShort: 1.2,
    }],
    unknownSymbols: ['XAUUSD'],
  },
  ticks_subscribe: { symbols: ['EURUSD'] },
  tick: { symbol: 'EURUSD', time: 1641290700123, bid: 1.12953, ask: 1.12956, flags: 6 },
  bars_request: { symbol: 'EURUSD', timeframe: 'M1', from: 1641254400000, to: 1641340800000, maxCount: 5000 },
  bars: {
    symbol: 'EURUSD', timeframe: 'M1', truncated: false,
    bars: [{ time: 1641254400000, open: 1.12953, high: 1.1296, low: 1.1295, close: 1.12956, tickVolume: 41, spread: 3, realVolume: 0 }],
  },
  account_request: {},
  account: {
    login: 12345678, currency: 'USD', balance: 10000, equity: 10005.1, margin: 112.96, freeMargin: 9892.14, marginLevel: 8857.22,
    marginMode: 'HEDGING', leverage: 100, tradeAllowed: true, time: 1641304800000,
  },
  positions_request: { magic: 770001 },
  positions: {
    positions: [{
      ticket: '4000001', identifier: '4000001', symbol: 'EURUSD', type: 'BUY', volume: 0.1, priceOpen: 1.12959, priceCurrent: 1.1301,
      sl: 1.12756, tp: 0, profit: 5.1, swap: -0.12, time: 1641290700200, timeUpdate: 1641290700200, magic: 770001, comment: 'order-1',
    }],
  },
  orders_request: {},
  orders: {
    orders: [{
      ticket: '4000002', symbol: 'EURUSD', type: 'SELL_LIMIT', state: 'PLACED', volumeInitial: 0.1, volumeCurrent: 0.1,
      priceOpen: 1.131, stopLimit: 0, sl: 1.133, tp: 0, timeSetup: 1641290800000, timeExpiration: 0, typeFilling: 'RETURN',
      typeTime: 'GTC', magic: 770001, comment: 'order-2', positionId: '0',
    }],
  },
  deals_request: { from: 1641290000000, to: 1641291000000, magic: 770001, comment: 'order-1', maxCount: 100 },
  deals: {
    truncated: false,
    deals: [{
      ticket: '3000002', order: '4000001', positionId: '4000001', symbol: 'EURUSD', type: 'BUY', entry: 'IN', volume: 0.1,
      price: 1.12959, commission: -0.7, swap: 0, profit: 0, fee: 0, time: 1641290700200, magic: 770001, comment: 'order-1', reason: 'EXPERT',
    }],
  },
  trade_request: {
    action: 'DEAL', symbol: 'EURUSD', volume: 0.1, type: 'BUY', price: 1.12956, sl: 1.12756, tp: 1.13356, deviation: 10,
    typeFilling: 'IOC', magic: 770001, comment: 'order-1',
  },
  trade_result: {
    retcode: 10009, deal: '3000002', order: '4000001', volume: 0.1, price: 1.12959, bid: 1.12953, ask: 1.12959,
    comment: 'Request executed', requestId: 17, retcodeExternal: 0,
  },
  trade_transaction: {
    seq: 1, type: 'DEAL_ADD', deal: '3000002', order: '4000001', position: '4000001', symbol: 'EURUSD', dealType: 'BUY',
    price: 1.12959, volume: 0.1,
  },
};

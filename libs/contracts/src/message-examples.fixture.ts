import type { AnyMessageDefinition, PayloadOf } from './message-definition.js';
import type { AllMessages } from './message-registry.js';

type Examples = { [D in (typeof AllMessages)[number] as D['type']]: PayloadOf<D> };

/**
 * One valid payload per message type, shaped like real traffic (EURUSD and XAUUSD figures from
 * ../shared/data/market). Tests mutate copies of these to probe one rule at a time.
 */
export const messageExamples: Examples = {
  'md.bar.closed': {
    venue: 'mt5-demo', symbol: 'EURUSD', timeframe: 'M1',
    openTime: '2022-01-04T00:00:00.000Z', closeTime: '2022-01-04T00:01:00.000Z',
    open: '1.12953', high: '1.12960', low: '1.12950', close: '1.12956', tickVolume: 41, spread: 3,
  },
  'md.tick': {
    venue: 'mt5-demo', symbol: 'XAUUSD', time: '2026-06-29T08:15:02.345Z', bid: '2345.12', ask: '2345.40',
  },
  'sig.signal': {
    signalId: '01JBR1Q1Y5Z7K2T3V4W5X6Y7Z8', strategyId: 'sma-cross-eurusd-m5', strategyKind: 'sma-cross',
    symbol: 'EURUSD', venue: 'mt5-demo', timeframe: 'M5', barTime: '2022-01-04T10:05:00.000Z', side: 'BUY',
    strength: 0.8, reason: 'fast SMA 10 crossed above slow SMA 30', price: '1.12956', stopLoss: '1.12756',
    takeProfit: '1.13356', atr: '0.00071',
  },
  'risk.submit-order-intent': {
    intentId: 'intent-1', account: '12345678', symbol: 'EURUSD', side: 'SELL', orderType: 'LIMIT',
    volume: '0.10', price: '1.13100', stopLoss: '1.13300', requestedBy: 'ops:alice',
  },
  'exec.submit-order': {
    clientOrderId: '01JBR1Q1Y5Z7K2T3V4W5X6Y7Z8', account: '12345678', symbol: 'EURUSD', side: 'BUY',
    orderType: 'MARKET', volume: '0.10', price: '1.12956', stopLoss: '1.12756', takeProfit: '1.13356',
    magic: 770001, comment: '01JBR1Q1Y5Z7K2T3V4W5X6Y7Z8', validUntil: '2022-01-04T10:06:00.000Z',
    signalId: 'sig-1', strategyId: 'sma-cross-eurusd-m5',
  },
  'exec.cancel-order': {
    clientOrderId: 'order-2', account: '12345678', reason: 'operator cancel', validUntil: '2022-01-04T10:06:00.000Z',
  },
  'exec.close-position': {
    clientOrderId: 'close-3', account: '12345678', positionId: '5000123', symbol: 'EURUSD', volume: '0.05',
    magic: 770001, comment: 'close-3', reason: 'take half off', validUntil: '2022-01-04T10:06:00.000Z',
  },
  'exec.flatten-all': {
    account: '12345678', includeExternal: false, reason: 'kill switch', requestedBy: 'ops:alice',
    validUntil: '2022-01-04T10:06:00.000Z',
  },
  'exec.order.submitted': {
    account: '12345678', clientOrderId: 'order-1', symbol: 'EURUSD', side: 'BUY', orderType: 'MARKET',
    time: '2022-01-04T10:05:00.120Z', status: 'SUBMITTED', volume: '0.10', price: null, stopLoss: '1.12756',
    takeProfit: null, magic: 770001, comment: 'order-1', attempt: 1,
  },
  'exec.order.accepted': {
    account: '12345678', clientOrderId: 'order-1', symbol: 'EURUSD', side: 'BUY', orderType: 'MARKET',
    time: '2022-01-04T10:05:00.180Z', status: 'ACCEPTED', orderTicket: '4000001',
  },
  'exec.order.partially-filled': {
    account: '12345678', clientOrderId: 'order-1', symbol: 'EURUSD', side: 'BUY', orderType: 'MARKET',
    time: '2022-01-04T10:05:00.190Z', status: 'PARTIALLY_FILLED', orderTicket: '4000001', dealTicket: '3000001',
    filledVolume: '0.04', remainingVolume: '0.06', averagePrice: '1.12958',
  },
  'exec.order.filled': {
    account: '12345678', clientOrderId: 'order-1', symbol: 'EURUSD', side: 'BUY', orderType: 'MARKET',
    time: '2022-01-04T10:05:00.200Z', status: 'FILLED', orderTicket: '4000001', dealTicket: '3000002',
    filledVolume: '0.10', averagePrice: '1.12959', positionId: '4000001',
  },
  'exec.order.cancelled': {
    account: '12345678', clientOrderId: 'order-2', symbol: 'EURUSD', side: 'SELL', orderType: 'LIMIT',
    time: '2022-01-04T11:00:00.000Z', status: 'CANCELLED', orderTicket: '4000002', reason: 'operator cancel',
  },
  'exec.order.rejected': {
    account: '12345678', clientOrderId: 'order-3', symbol: 'EURUSD', side: 'BUY', orderType: 'MARKET',
    time: '2022-01-04T10:05:00.150Z', status: 'REJECTED', retcode: 10019, retcodeName: 'NO_MONEY',
    code: 'EXEC.VENUE_REJECTED', reason: 'There is not enough money to complete the request',
  },
  'exec.order.expired': {
    account: '12345678', clientOrderId: 'order-4', symbol: 'EURUSD', side: 'BUY', orderType: 'MARKET',
    time: '2022-01-04T10:07:00.000Z', status: 'EXPIRED', orderTicket: null, reason: 'bridge down past validUntil',
  },
  'exec.order.unknown': {
    account: '12345678', clientOrderId: 'order-5', symbol: 'EURUSD', side: 'BUY', orderType: 'MARKET',
    time: '2022-01-04T10:05:10.000Z', status: 'UNKNOWN', retcode: 10012, reason: 'trade request timed out',
  },
  'exec.deal.executed': {
    account: '12345678', dealTicket: '3000002', orderTicket: '4000001', positionId: '4000001', clientOrderId: 'order-1',
    symbol: 'EURUSD', side: 'BUY', entry: 'IN', volume: '0.10', price: '1.12959', commission: '-0.70', swap: '0',
    profit: '0', time: '2022-01-04T10:05:00.200Z', magic: 770001, comment: 'order-1', reason: 'EXPERT',
  },
  'exec.position.snapshot': {
    account: '12345678', positionId: '4000001', symbol: 'EURUSD', side: 'BUY', volume: '0.10', openPrice: '1.12959',
    currentPrice: '1.13010', stopLoss: '1.12756', takeProfit: null, profit: '5.10', swap: '-0.12',
    openTime: '2022-01-04T10:05:00.200Z', magic: 770001, comment: 'order-1', external: false,
    time: '2022-01-04T12:00:00.000Z',
  },
  'exec.position.closed': {
    account: '12345678', positionId: '4000001', symbol: 'EURUSD', side: 'BUY', closeTime: '2022-01-04T15:00:00.000Z',
    external: false,
  },
  'exec.account.snapshot': {
    account: '12345678', currency: 'USD', balance: '10000.00', equity: '10005.10', margin: '112.96',
    freeMargin: '9892.14', marginLevel: '8857.22', marginMode: 'HEDGING', openPositions: 1,
    time: '2022-01-04T12:00:00.000Z',
  },
  'exec.bridge.health': {
    account: '12345678', connected: true, lastHeartbeat: '2022-01-04T12:00:00.000Z', latencyMs: 12.5,
    reconciling: false, healthScore: 100, time: '2022-01-04T12:00:01.000Z',
  },
  'risk.decision': {
    decisionId: 'dec-1', source: 'SIGNAL', signalId: 'sig-1',
    intent: { account: '12345678', symbol: 'EURUSD', side: 'BUY', orderType: 'MARKET', price: '1.12956', stopLoss: '1.12756' },
    outcome: 'ALLOW', context: { riskPercent: '1', volume: '0.10' }, message: 'allowed: volume=0.10',
    volume: '0.10', clientOrderId: 'order-1', decidedAt: '2022-01-04T10:05:00.050Z',
  },
  'risk.order-denied': {
    decisionId: 'dec-2', source: 'MANUAL', intentId: 'intent-1', account: '12345678', symbol: 'EURUSD', side: 'SELL',
    code: 'RISK.MAX_LOTS_EXCEEDED', context: { volume: '2.5', max: '2.0' },
    message: 'RISK.MAX_LOTS_EXCEEDED: volume=2.5, max=2.0', decidedAt: '2022-01-04T10:05:00.050Z',
  },
  'risk.trading-state.changed': {
    account: '12345678', from: 'ACTIVE', to: 'HALTED', by: 'breaker:DAILY_LOSS', reason: 'daily loss 523.10 over 500',
    time: '2022-01-04T16:00:00.000Z',
  },
  'risk.breaker.changed': {
    account: '12345678', breaker: 'DAILY_LOSS', state: 'OPEN', previousState: 'CLOSED',
    figures: { dailyLoss: '-523.10', limit: '500' }, reason: 'daily loss over limit', time: '2022-01-04T16:00:00.000Z',
  },
  'svc.health': {
    service: 'execution', status: 'degraded', checks: { postgres: { status: 'ok' }, 'bridge:12345678': { status: 'down', detail: 'no session' } },
    version: '0.1.0', uptimeSeconds: 3600, time: '2022-01-04T12:00:00.000Z',
  },
};

/** The example payload for a definition, deep-copied so a test can change it. */
export function exampleFor<D extends AnyMessageDefinition>(definition: D): PayloadOf<D> {
  return structuredClone((messageExamples as Record<string, unknown>)[definition.type]) as PayloadOf<D>;
}

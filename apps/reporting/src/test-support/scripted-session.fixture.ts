import {
  AccountSnapshotMessage, DealExecutedMessage, OrderSubmittedMessage, PositionClosedMessage, PositionSnapshotMessage, createMessage,
  type AccountSnapshot, type AnyMessageDefinition, type Deal, type Envelope, type PositionSnapshot,
} from '@mt5/contracts';

/**
 * A three-day session on a USD hedging account, as the execution gateway would publish it: order
 * stops, deals (with two partial closes), position snapshots and closes, and an account snapshot
 * after every balance change. The trades it must produce are libs/domain/src/analytics/
 * session-trades.fixture.ts; the balance goes from 10 000.00 to 10 214.60.
 */
export const SESSION_ACCOUNT = 'A1';
export const SESSION_MAGICS = new Map([[770001, 'ma-cross'], [770002, 'donchian']]);

export interface ScriptedEvent {
  readonly subject: string;
  readonly envelope: Envelope<unknown>;
}

const t = (day: number, time: string) => `2024-03-0${3 + day}T${time}.000Z`;

function event<D extends AnyMessageDefinition>(definition: D, id: string, data: Parameters<D['subject']>[0], time: string): ScriptedEvent {
  const envelope = createMessage(definition, { id, data, tsEvent: time, tsInit: time });
  return { subject: definition.subject(data), envelope: envelope as Envelope<unknown> };
}

function deal(ticket: string, position: string, fields: Partial<Deal> & Pick<Deal, 'symbol' | 'side' | 'entry' | 'volume' | 'price' | 'time'>): ScriptedEvent {
  const data: Deal = {
    account: SESSION_ACCOUNT, dealTicket: ticket, orderTicket: `9${ticket}`, positionId: position, clientOrderId: `c-${position}`,
    commission: '0', swap: '0', profit: '0', magic: 770001, comment: `c-${position}`, reason: 'EXPERT', ...fields,
  };
  return event(DealExecutedMessage, `deal-${ticket}`, data, data.time);
}

function account(id: string, time: string, balance: string, equity: string, open: number): ScriptedEvent {
  const data: AccountSnapshot = {
    account: SESSION_ACCOUNT, currency: 'USD', balance, equity, margin: open ? '1000' : '0', freeMargin: open ? String(Number(equity) - 1000) : equity,
    marginLevel: open ? ((Number(equity) / 1000) * 100).toFixed(2) : null, marginMode: 'HEDGING', openPositions: open, time,
  };
  return event(AccountSnapshotMessage, `acct-${id}`, data, time);
}

function position(id: string, fields: Pick<PositionSnapshot, 'positionId' | 'symbol' | 'side' | 'volume' | 'openPrice' | 'stopLoss' | 'openTime' | 'time'> & Partial<PositionSnapshot>): ScriptedEvent {
  const data: PositionSnapshot = {
    account: SESSION_ACCOUNT, currentPrice: fields.openPrice, takeProfit: null, profit: '0', swap: '0', magic: 770001,
    comment: `c-${fields.positionId}`, external: false, ...fields,
  };
  return event(PositionSnapshotMessage, `pos-${id}`, data, data.time);
}

function closed(positionId: string, symbol: string, side: 'BUY' | 'SELL', time: string): ScriptedEvent {
  return event(PositionClosedMessage, `closed-${positionId}`, { account: SESSION_ACCOUNT, positionId, symbol, side, closeTime: time, external: false }, time);
}

function submitted(positionId: string, symbol: string, side: 'BUY' | 'SELL', volume: string, stopLoss: string, magic: number, time: string): ScriptedEvent {
  return event(OrderSubmittedMessage, `sub-${positionId}`, {
    account: SESSION_ACCOUNT, clientOrderId: `c-${positionId}`, symbol, side, orderType: 'MARKET', time, status: 'SUBMITTED', volume, price: null,
    stopLoss, takeProfit: null, magic, comment: `c-${positionId}`, attempt: 1,
  }, time);
}

/** The session in publishing order. The snapshot of position 504 comes late (after its close). */
export function scriptedSession(): ScriptedEvent[] {
  return [
    account('0', t(1, '08:00:00'), '10000', '10000', 0),
    // Position 500: buy 1.00 EURUSD, half-ish closed at +20 pips, the rest by TP at +15.
    submitted('500', 'EURUSD', 'BUY', '1', '1.083', 770001, t(1, '08:59:59')),
    deal('1001', '500', { symbol: 'EURUSD', side: 'BUY', entry: 'IN', volume: '1', price: '1.085', commission: '-3.5', time: t(1, '09:00:00') }),
    position('500a', { positionId: '500', symbol: 'EURUSD', side: 'BUY', volume: '1', openPrice: '1.085', stopLoss: '1.083', openTime: t(1, '09:00:00'), time: t(1, '09:00:01') }),
    account('1', t(1, '09:00:01'), '9996.5', '9996.5', 1),
    account('2', t(1, '09:30:00'), '9996.5', '9846.5', 1),
    deal('1002', '500', { symbol: 'EURUSD', side: 'SELL', entry: 'OUT', volume: '0.4', price: '1.087', profit: '80', commission: '-1.4', time: t(1, '10:00:00') }),
    account('3', t(1, '10:00:00'), '10075.1', '10195.1', 1),
    deal('1003', '500', { symbol: 'EURUSD', side: 'SELL', entry: 'OUT', volume: '0.6', price: '1.0865', profit: '90', commission: '-2.1', reason: 'TP', time: t(1, '11:30:00') }),
    closed('500', 'EURUSD', 'BUY', t(1, '11:30:00')),
    account('4', t(1, '11:30:00'), '10163', '10163', 0),
    // Position 501: sell 0.50 GBPUSD (donchian), stopped out at -20 pips.
    submitted('501', 'GBPUSD', 'SELL', '0.5', '1.272', 770002, t(1, '12:59:59')),
    deal('1004', '501', { symbol: 'GBPUSD', side: 'SELL', entry: 'IN', volume: '0.5', price: '1.27', commission: '-1.75', magic: 770002, time: t(1, '13:00:00') }),
    account('5', t(1, '13:00:00'), '10161.25', '10161.25', 1),
    deal('1005', '501', { symbol: 'GBPUSD', side: 'BUY', entry: 'OUT', volume: '0.5', price: '1.272', profit: '-100', commission: '-1.75', magic: 770002, reason: 'SL', time: t(1, '15:00:00') }),
    closed('501', 'GBPUSD', 'SELL', t(1, '15:00:00')),
    account('6', t(1, '15:00:00'), '10059.5', '10059.5', 0),
    // Position 502: buy 1.00 USDJPY overnight; its stop is known only from the position snapshot.
    deal('1006', '502', { symbol: 'USDJPY', side: 'BUY', entry: 'IN', volume: '1', price: '150', commission: '-3', time: t(2, '08:00:00') }),
    position('502a', { positionId: '502', symbol: 'USDJPY', side: 'BUY', volume: '1', openPrice: '150', stopLoss: '149.5', openTime: t(2, '08:00:00'), time: t(2, '08:00:01') }),
    account('7', t(2, '08:00:00'), '10056.5', '10056.5', 1),
    // Position 503: a manual sell 0.30 EURUSD without a stop, closed by hand at -10 pips.
    deal('1007', '503', { symbol: 'EURUSD', side: 'SELL', entry: 'IN', volume: '0.3', price: '1.09', commission: '-1.05', magic: 0, clientOrderId: null, comment: '', reason: 'CLIENT', time: t(2, '14:00:00') }),
    account('8', t(2, '14:00:00'), '10055.45', '10105.45', 2),
    deal('1008', '503', { symbol: 'EURUSD', side: 'BUY', entry: 'OUT', volume: '0.3', price: '1.091', profit: '-30', commission: '-1.05', magic: 0, clientOrderId: null, comment: '', reason: 'CLIENT', time: t(2, '16:00:00') }),
    account('9', t(2, '16:00:00'), '10024.4', '10044.4', 1),
    deal('1009', '502', { symbol: 'USDJPY', side: 'SELL', entry: 'OUT', volume: '1', price: '150.3', profit: '199.6', commission: '-3', swap: '-5', time: t(3, '09:00:00') }),
    closed('502', 'USDJPY', 'BUY', t(3, '09:00:00')),
    account('10', t(3, '09:00:00'), '10216', '10216', 0),
    // Position 504: buy 0.20 EURUSD closed at its entry price.
    deal('1010', '504', { symbol: 'EURUSD', side: 'BUY', entry: 'IN', volume: '0.2', price: '1.088', commission: '-0.7', time: t(3, '10:00:00') }),
    account('11', t(3, '10:00:00'), '10215.3', '10215.3', 1),
    deal('1011', '504', { symbol: 'EURUSD', side: 'SELL', entry: 'OUT', volume: '0.2', price: '1.088', commission: '-0.7', time: t(3, '12:00:00') }),
    account('12', t(3, '12:00:00'), '10214.6', '10214.6', 0),
    position('504a', { positionId: '504', symbol: 'EURUSD', side: 'BUY', volume: '0.2', openPrice: '1.088', stopLoss: '1.087', openTime: t(3, '10:00:00'), time: t(3, '10:00:01') }),
  ];
}

/** The partial close of position 500 re-sent under another message id, as after a reconciliation. */
export function resentPartialClose(): ScriptedEvent {
  const original = scriptedSession().find((e) => e.envelope.id === 'deal-1002') as ScriptedEvent;
  return event(DealExecutedMessage, 'deal-1002-reconciled', original.envelope.data as Deal, (original.envelope.data as Deal).time);
}

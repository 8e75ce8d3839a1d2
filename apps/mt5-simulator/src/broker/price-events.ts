import type { Side } from '@mt5/contracts';
import type { BrokerLedger } from './broker-ledger.js';
import type { PricePoint, SimOrder, SimPosition } from './broker.types.js';
import { floatingProfit, marginFor } from './account-math.js';
import { PendingKinds, pendingTriggered } from './trade-checks.js';
import type { SimSymbol } from './sim-symbols.js';

/**
 * What the broker does when a symbol's price moves to `point`, in this order: expire pending
 * orders past their time, trigger pending orders, trigger SL and TP, then stop out while the
 * margin level is under the stop-out level.
 *
 * Fill prices (the model a backtester must share to match the simulator):
 * - a level reached by a continuous move (inside one bar's path) fills at the level itself;
 * - a level jumped over (a new quote, the gap at a bar's open) fills at the quote: the bid for a
 *   sell, the ask for a buy, worse than the level for stops, better for limits and take profits.
 * Longs close on the bid (SL when bid ≤ sl, TP when bid ≥ tp); shorts close on the ask.
 */
export function onPricePoint(ledger: BrokerLedger, symbol: SimSymbol, point: PricePoint): void {
  ledger.quotes.set(symbol.symbol, { bid: point.bid, ask: point.ask, time: point.time });
  if (point.time > ledger.serverTime) ledger.serverTime = point.time;
  for (const order of ledger.orders.filter((o) => o.symbol === symbol.symbol)) {
    if (order.timeExpiration > 0 && ledger.serverTime >= order.timeExpiration && order.typeTime !== 'GTC') expire(ledger, order);
    else if (pendingTriggered(order.type, order.priceOpen, point)) activate(ledger, symbol, order, point);
  }
  for (const position of ledger.positions.filter((p) => p.symbol === symbol.symbol)) {
    const hit = stopHit(position, point);
    if (hit) closeBy(ledger, symbol, position, hit.reason, hit.price, `[${hit.reason.toLowerCase()} ${hit.level.toFixed(symbol.digits)}]`);
  }
  stopOut(ledger);
}

function fillPrice(side: Side, level: number, point: PricePoint): number {
  if (point.continuous) return level;
  return side === 'BUY' ? point.ask : point.bid;
}

function expire(ledger: BrokerLedger, order: SimOrder): void {
  const archived = ledger.archiveOrder(order, 'EXPIRED');
  ledger.emitOrder('ORDER_DELETE', archived);
  ledger.emitOrder('HISTORY_ADD', archived);
}

/**
 * A triggered pending order becomes a deal, unless the free margin cannot carry it: then it is
 * cancelled as REJECTED (MT5's "pending order activation rejected").
 */
function activate(ledger: BrokerLedger, symbol: SimSymbol, order: SimOrder, point: PricePoint): void {
  const side = PendingKinds[order.type]!.side;
  const price = fillPrice(side, order.priceOpen, point);
  const quote = { bid: point.bid, ask: point.ask, time: point.time };
  const required = marginFor(symbol, side, order.volumeCurrent, quote, ledger.account.leverage, ledger.account.currency);
  if (ledger.state().freeMargin - required < 0) {
    const rejected = ledger.archiveOrder(order, 'REJECTED');
    ledger.emitOrder('ORDER_DELETE', rejected);
    ledger.emitOrder('HISTORY_ADD', rejected);
    return;
  }
  const deal = ledger.bookFill({
    symbol, side, volume: order.volumeCurrent, price, orderTicket: order.ticket, magic: order.magic, comment: order.comment,
    reason: 'EXPERT', sl: order.sl, tp: order.tp,
  });
  const filled = ledger.archiveOrder(order, 'FILLED', deal.positionId);
  ledger.emitOrder('ORDER_DELETE', filled);
  ledger.emitOrder('HISTORY_ADD', filled);
}

function stopHit(position: SimPosition, point: PricePoint): { reason: 'SL' | 'TP'; level: number; price: number } | null {
  const closeSide: Side = position.side === 'BUY' ? 'SELL' : 'BUY';
  const market = position.side === 'BUY' ? point.bid : point.ask;
  const dir = position.side === 'BUY' ? 1 : -1;
  if (position.sl > 0 && (market - position.sl) * dir <= 0) return { reason: 'SL', level: position.sl, price: fillPrice(closeSide, position.sl, point) };
  if (position.tp > 0 && (market - position.tp) * dir >= 0) return { reason: 'TP', level: position.tp, price: fillPrice(closeSide, position.tp, point) };
  return null;
}

function closeBy(ledger: BrokerLedger, symbol: SimSymbol, position: SimPosition, reason: 'SL' | 'TP' | 'SO', price: number, comment: string): void {
  ledger.marketOrder({
    symbol, side: position.side === 'BUY' ? 'SELL' : 'BUY', volume: position.volume, price,
    closesPosition: position.positionId, magic: position.magic, comment, reason, filling: 'FOK',
  });
}

/** While the margin level is under the stop-out level, closes the position with the largest loss at market. */
function stopOut(ledger: BrokerLedger): void {
  const level = ledger.account.stopOutLevel ?? 50;
  for (let state = ledger.state(); state.marginLevel !== null && state.marginLevel < level; state = ledger.state()) {
    const worst = [...ledger.positions].sort((a, b) => profitOf(ledger, a) - profitOf(ledger, b))[0];
    if (!worst) return;
    const symbol = ledger.symbols.get(worst.symbol)!;
    const quote = ledger.quotes.get(worst.symbol);
    const price = worst.side === 'BUY' ? quote?.bid ?? worst.openPrice : quote?.ask ?? worst.openPrice;
    closeBy(ledger, symbol, worst, 'SO', price, `[so ${state.marginLevel.toFixed(2)}%/${state.equity.toFixed(2)}/${state.margin.toFixed(2)}]`);
  }
}

function profitOf(ledger: BrokerLedger, position: SimPosition): number {
  return floatingProfit(ledger.symbols.get(position.symbol)!, position, ledger.quotes.get(position.symbol), ledger.account.currency);
}

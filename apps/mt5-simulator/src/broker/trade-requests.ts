import { classifyRetcode, Mt5Retcode, type Side } from '@mt5/contracts';
import { applyFill } from '@mt5/domain/positions';
import type { BrokerLedger } from './broker-ledger.js';
import type { SimOrder, SimQuote, SimTradeRequest, SimTradeResult } from './broker.types.js';
import { isInSession, type SimSymbol } from './sim-symbols.js';
import { checkFilling, checkPendingPrice, checkStops, checkVolume, PendingKinds, type Refusal } from './trade-checks.js';

/** What a request handler returns before the broker adds the request id and the quote. */
type Outcome = Refusal & { readonly order?: string; readonly deal?: string; readonly volume?: number; readonly price?: number };

const done = (extra: Omit<Outcome, 'retcode' | 'comment'> = {}, comment = 'Request executed'): Outcome => ({ retcode: Mt5Retcode.DONE, comment, ...extra });

/**
 * Runs one trade request against the books and returns MT5's `MqlTradeResult`. A request that
 * was carried out (done, placed, no changes) ends with a REQUEST transaction carrying its retcode.
 * A refused one emits nothing: the EA runs `OrderCheck` before `OrderSend`, so the checks made
 * here (volume, filling, stops, money, session) refuse it in the terminal, before any server.
 */
export function processTradeRequest(ledger: BrokerLedger, request: SimTradeRequest): SimTradeResult {
  const outcome = dispatch(ledger, request);
  const quote = request.symbol ? ledger.quotes.get(request.symbol) : undefined;
  const reachedServer = classifyRetcode(outcome.retcode) === 'success';
  // The server numbers the requests it receives; a refusal by OrderCheck has no request id.
  const requestId = reachedServer ? ledger.newRequestId() : 0;
  if (reachedServer) ledger.emit({
    type: 'REQUEST', requestId, retcode: outcome.retcode, ...(request.symbol ? { symbol: request.symbol } : {}),
    ...(outcome.order ? { order: outcome.order } : {}), ...(outcome.deal ? { deal: outcome.deal } : {}),
  });
  return {
    retcode: outcome.retcode, deal: outcome.deal ?? '0', order: outcome.order ?? '0', volume: outcome.volume ?? 0, price: outcome.price ?? 0,
    bid: quote?.bid ?? 0, ask: quote?.ask ?? 0, comment: outcome.comment, requestId, retcodeExternal: 0,
  };
}

function dispatch(ledger: BrokerLedger, request: SimTradeRequest): Outcome {
  switch (request.action) {
    case 'DEAL':
      return marketDeal(ledger, request);
    case 'PENDING':
      return placePending(ledger, request);
    case 'SLTP':
      return modifyPositionStops(ledger, request);
    case 'MODIFY':
      return modifyPending(ledger, request);
    case 'REMOVE':
      return removePending(ledger, request);
    default:
      return { retcode: Mt5Retcode.INVALID, comment: `Action ${request.action} is not simulated` };
  }
}

/** Symbol known, quoted, tradable and in session: the checks every action on a symbol shares. */
function tradableSymbol(ledger: BrokerLedger, name: string | undefined): { symbol: SimSymbol; quote: SimQuote } | Refusal {
  const symbol = name === undefined ? undefined : ledger.symbols.get(name);
  if (!symbol) return { retcode: Mt5Retcode.INVALID, comment: `Invalid request: unknown symbol ${name}` };
  const quote = ledger.quotes.get(symbol.symbol);
  if (!quote) return { retcode: Mt5Retcode.PRICE_OFF, comment: `No prices for ${symbol.symbol}` };
  if (symbol.tradeMode === 'DISABLED') return { retcode: Mt5Retcode.TRADE_DISABLED, comment: 'Trade is disabled' };
  if (!isInSession(symbol, ledger.serverTime)) return { retcode: Mt5Retcode.MARKET_CLOSED, comment: 'Market is closed' };
  return { symbol, quote };
}

const isRefusal = (value: object): value is Refusal => 'retcode' in value;

function marketDeal(ledger: BrokerLedger, request: SimTradeRequest): Outcome {
  const target = tradableSymbol(ledger, request.symbol);
  if (isRefusal(target)) return target;
  const { symbol, quote } = target;
  const side = request.type as Side;
  if (side !== 'BUY' && side !== 'SELL') return { retcode: Mt5Retcode.INVALID_ORDER, comment: `Order type ${request.type} is not a market order` };
  const volume = request.volume!;
  const refusal = checkVolume(symbol, volume) ?? checkFilling(symbol, 'DEAL', request.typeFilling);
  if (refusal) return refusal;
  const price = side === 'BUY' ? quote.ask : quote.bid;
  let closesPosition: string | undefined;
  if (request.position && request.position !== '0') {
    const position = ledger.position(request.position);
    if (!position || position.symbol !== symbol.symbol) return { retcode: Mt5Retcode.POSITION_CLOSED, comment: `Position ${request.position} not found` };
    if (position.side === side) return { retcode: Mt5Retcode.INVALID, comment: `Position ${request.position} is ${position.side}: close it with the opposite type` };
    if (volume > position.volume + 1e-9) return { retcode: Mt5Retcode.INVALID_CLOSE_VOLUME, comment: `Close volume ${volume} exceeds position volume ${position.volume}` };
    closesPosition = position.positionId;
  } else {
    const stops = checkStops(symbol, side, side === 'BUY' ? quote.bid : quote.ask, request.sl, request.tp);
    if (stops) return stops;
    const money = checkMoney(ledger, symbol, side, volume, price);
    if (money) return money;
  }
  const { order, deal } = ledger.marketOrder({
    symbol, side, volume, price, closesPosition, magic: request.magic, comment: request.comment, reason: 'EXPERT',
    sl: request.sl, tp: request.tp, filling: request.typeFilling ?? 'FOK',
  });
  return done({ order: order.ticket, deal: deal.ticket, volume: deal.volume, price: deal.price });
}

/**
 * 10019 when the margin after the fill would exceed equity (free margin below zero). A fill that
 * does not raise the margin (a netting reduction, the smaller leg of a hedge) always passes.
 */
function checkMoney(ledger: BrokerLedger, symbol: SimSymbol, side: Side, volume: number, price: number): Refusal | null {
  const hypothetical = applyFill(
    { marginMode: ledger.account.marginMode, positions: ledger.positions },
    { fillId: 'check', positionId: ledger.account.marginMode === 'NETTING' ? ledger.positions.find((p) => p.symbol === symbol.symbol)?.positionId ?? 'check' : 'check', symbol: symbol.symbol, side, volume, price, time: ledger.serverTime },
    symbol,
    ledger.account.currency,
  );
  const before = ledger.margin();
  const after = ledger.margin(hypothetical.book.positions);
  const equity = ledger.state().equity - symbol.commissionPerLot * volume;
  if (after > before + 1e-9 && equity - after < 0) {
    return { retcode: Mt5Retcode.NO_MONEY, comment: `No money [margin ${after.toFixed(2)} > equity ${equity.toFixed(2)}]` };
  }
  return null;
}

function placePending(ledger: BrokerLedger, request: SimTradeRequest): Outcome {
  const target = tradableSymbol(ledger, request.symbol);
  if (isRefusal(target)) return target;
  const { symbol, quote } = target;
  const pending = PendingKinds[request.type!];
  if (!pending) return { retcode: Mt5Retcode.INVALID_ORDER, comment: `Order type ${request.type} is not supported for pending orders` };
  const price = request.price!;
  const refusal = checkVolume(symbol, request.volume!) ?? checkFilling(symbol, 'PENDING', request.typeFilling)
    ?? checkPendingPrice(symbol, request.type!, price, quote) ?? checkStops(symbol, pending.side, price, request.sl, request.tp)
    ?? checkExpiration(ledger, request);
  if (refusal) return refusal;
  const order: SimOrder = {
    ticket: ledger.newOrderTicket(), symbol: symbol.symbol, type: request.type!, state: 'PLACED', volumeInitial: request.volume!,
    volumeCurrent: request.volume!, priceOpen: price, stopLimit: 0, sl: request.sl ?? 0, tp: request.tp ?? 0, timeSetup: ledger.serverTime,
    timeExpiration: request.expiration ?? 0, typeFilling: request.typeFilling ?? 'RETURN', typeTime: request.typeTime ?? 'GTC',
    magic: request.magic, comment: request.comment, positionId: '0',
  };
  ledger.orders.push(order);
  ledger.emitOrder('ORDER_ADD', order);
  return { retcode: Mt5Retcode.PLACED, comment: 'Request executed', order: order.ticket, volume: order.volumeInitial, price };
}

function checkExpiration(ledger: BrokerLedger, request: Pick<SimTradeRequest, 'typeTime' | 'expiration'>): Refusal | null {
  const timed = request.typeTime === 'SPECIFIED' || request.typeTime === 'SPECIFIED_DAY';
  if (timed && !(request.expiration !== undefined && request.expiration > ledger.serverTime)) {
    return { retcode: Mt5Retcode.INVALID_EXPIRATION, comment: 'Invalid expiration' };
  }
  return null;
}

function modifyPending(ledger: BrokerLedger, request: SimTradeRequest): Outcome {
  const index = ledger.orders.findIndex((order) => order.ticket === request.order);
  if (index < 0) return { retcode: Mt5Retcode.INVALID, comment: `Order ${request.order} not found` };
  const order = ledger.orders[index]!;
  const target = tradableSymbol(ledger, order.symbol);
  if (isRefusal(target)) return target;
  const next = { ...order, priceOpen: request.price!, sl: request.sl ?? 0, tp: request.tp ?? 0, timeExpiration: request.expiration ?? order.timeExpiration, typeTime: request.typeTime ?? order.typeTime };
  if (next.priceOpen === order.priceOpen && next.sl === order.sl && next.tp === order.tp && next.timeExpiration === order.timeExpiration) {
    return { retcode: Mt5Retcode.NO_CHANGES, comment: 'No changes', order: order.ticket };
  }
  const refusal = checkPendingPrice(target.symbol, order.type, next.priceOpen, target.quote)
    ?? checkStops(target.symbol, PendingKinds[order.type]!.side, next.priceOpen, next.sl, next.tp) ?? checkExpiration(ledger, { typeTime: next.typeTime, expiration: next.timeExpiration });
  if (refusal) return refusal;
  ledger.orders[index] = next;
  ledger.emitOrder('ORDER_UPDATE', next);
  return done({ order: order.ticket, volume: order.volumeCurrent, price: next.priceOpen });
}

function removePending(ledger: BrokerLedger, request: SimTradeRequest): Outcome {
  const order = ledger.orders.find((candidate) => candidate.ticket === request.order);
  if (!order) return { retcode: Mt5Retcode.INVALID, comment: `Order ${request.order} not found` };
  const archived = ledger.archiveOrder(order, 'CANCELED');
  ledger.emitOrder('ORDER_DELETE', archived);
  ledger.emitOrder('HISTORY_ADD', archived);
  return done({ order: order.ticket });
}

function modifyPositionStops(ledger: BrokerLedger, request: SimTradeRequest): Outcome {
  const position = request.position ? ledger.position(request.position) : undefined;
  if (!position) return { retcode: Mt5Retcode.POSITION_CLOSED, comment: `Position ${request.position} not found` };
  const target = tradableSymbol(ledger, position.symbol);
  if (isRefusal(target)) return target;
  const sl = request.sl ?? 0;
  const tp = request.tp ?? 0;
  if (sl === position.sl && tp === position.tp) return { retcode: Mt5Retcode.NO_CHANGES, comment: 'No changes' };
  const refusal = checkStops(target.symbol, position.side, position.side === 'BUY' ? target.quote.bid : target.quote.ask, sl, tp);
  if (refusal) return refusal;
  ledger.positions = ledger.positions.map((p) => (p === position ? { ...p, sl, tp, timeUpdate: ledger.serverTime } : p));
  ledger.emit({ type: 'POSITION', position: position.positionId, symbol: position.symbol, priceSl: sl, priceTp: tp, volume: position.volume, price: position.openPrice });
  return done();
}

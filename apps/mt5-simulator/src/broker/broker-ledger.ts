import type { Mt5DealTypes, Mt5OrderState, Side } from '@mt5/contracts';
import { applyFill, normalizeVolume } from '@mt5/domain/positions';
import { accountState, roundMoney, totalMargin } from './account-math.js';
import type { SimAccountConfig, SimAccountState, SimDeal, SimOrder, SimPosition, SimQuote, SimTransaction } from './broker.types.js';
import type { SimSymbol } from './sim-symbols.js';

type DealReason = SimDeal['reason'];

/** One fill to book: a market order, a triggered pending order, an SL/TP or a stop-out. */
export interface FillRequest {
  readonly symbol: SimSymbol;
  readonly side: Side;
  readonly volume: number;
  readonly price: number;
  readonly orderTicket: string;
  /** Hedging: the position this fill closes (partly or fully). Absent: opens a new one. */
  readonly closesPosition?: string;
  readonly magic: number;
  readonly comment: string;
  readonly reason: DealReason;
  /** SL/TP to set on the position the fill opens or adds to (0 or absent keeps what is there). */
  readonly sl?: number;
  readonly tp?: number;
}

/**
 * The broker's books: quotes, positions, active and history orders, deals, balance, ticket
 * counters and the transaction feed. Every change goes through here so that transactions come out
 * in the order MT5 emits them.
 */
export class BrokerLedger {
  readonly symbols: ReadonlyMap<string, SimSymbol>;
  readonly quotes = new Map<string, SimQuote>();
  positions: SimPosition[] = [];
  readonly orders: SimOrder[] = [];
  readonly historyOrders: SimOrder[] = [];
  readonly deals: SimDeal[] = [];
  balance: number;
  serverTime: number;
  private nextOrder = 4_000_001;
  private nextDeal = 3_000_001;
  private nextRequest = 1;
  private readonly transactionListeners: ((transaction: SimTransaction) => void)[] = [];

  constructor(readonly account: SimAccountConfig, symbols: readonly SimSymbol[]) {
    this.symbols = new Map(symbols.map((symbol) => [symbol.symbol, symbol]));
    this.balance = account.balance;
    this.serverTime = account.openedAt ?? 0;
    this.deals.push({
      ticket: this.newDealTicket(), order: '0', positionId: '0', symbol: '', type: 'BALANCE', entry: 'IN', volume: 0, price: 0,
      commission: 0, swap: 0, profit: account.balance, fee: 0, time: this.serverTime, magic: 0, comment: 'Initial deposit', reason: 'CLIENT',
    });
  }

  newOrderTicket(): string {
    return String(this.nextOrder++);
  }

  newRequestId(): number {
    return this.nextRequest++;
  }

  private newDealTicket(): string {
    return String(this.nextDeal++);
  }

  onTransaction(listener: (transaction: SimTransaction) => void): void {
    this.transactionListeners.push(listener);
  }

  emit(transaction: SimTransaction): void {
    for (const listener of this.transactionListeners) listener(transaction);
  }

  emitOrder(type: 'ORDER_ADD' | 'ORDER_UPDATE' | 'ORDER_DELETE' | 'HISTORY_ADD', order: SimOrder, state: Mt5OrderState = order.state): void {
    this.emit({
      type, order: order.ticket, symbol: order.symbol, orderType: order.type, orderState: state, timeType: order.typeTime,
      timeExpiration: order.timeExpiration, price: order.priceOpen, priceSl: order.sl, priceTp: order.tp, volume: order.volumeCurrent,
      ...(order.positionId === '0' ? {} : { position: order.positionId }),
    });
  }

  state(): SimAccountState {
    const { leverage, currency } = this.account;
    return accountState(this.balance, this.positions, this.symbols, this.quotes, leverage, currency);
  }

  margin(positions: readonly { symbol: string; side: Side; volume: number; openPrice: number }[] = this.positions): number {
    return totalMargin(positions, this.symbols, this.quotes, this.account.leverage, this.account.currency);
  }

  position(ticketOrId: string): SimPosition | undefined {
    return this.positions.find((position) => position.positionId === ticketOrId || position.ticket === ticketOrId);
  }

  /** Moves an active order to history in its final state. */
  archiveOrder(order: SimOrder, state: Mt5OrderState, positionId = order.positionId): SimOrder {
    const index = this.orders.indexOf(order);
    if (index >= 0) this.orders.splice(index, 1);
    const archived: SimOrder = { ...order, state, positionId, volumeCurrent: state === 'FILLED' ? 0 : order.volumeCurrent };
    this.historyOrders.push(archived);
    return archived;
  }

  /**
   * Books one fill: positions through the domain's `applyFill` (hedging or netting), the deal with
   * its entry (IN, OUT, INOUT on a netting reversal), profit and commission on the balance, and
   * the DEAL_ADD transaction. Returns the deal.
   */
  bookFill(fill: FillRequest): SimDeal {
    const { symbol, side, orderTicket } = fill;
    const netting = this.account.marginMode === 'NETTING';
    const existing = netting ? this.positions.find((p) => p.symbol === symbol.symbol) : fill.closesPosition ? this.position(fill.closesPosition) : undefined;
    // Netting keeps the position identifier through adds, reductions and reversals (MT5 does).
    const positionId = existing?.positionId ?? orderTicket;
    const outcome = applyFill(
      { marginMode: this.account.marginMode, positions: this.positions },
      { fillId: orderTicket, positionId, symbol: symbol.symbol, side, volume: fill.volume, price: fill.price, time: this.serverTime },
      symbol,
      this.account.currency,
    );
    const opened = outcome.opened;
    this.positions = outcome.book.positions.map((position) => {
      if (position !== opened) return position as SimPosition;
      const before = position as Partial<SimPosition>;
      const reversed = existing !== undefined && existing.side !== position.side;
      return {
        ...position,
        ticket: before.ticket !== undefined && !reversed ? before.ticket : orderTicket,
        sl: fill.sl || (reversed ? 0 : before.sl ?? 0),
        tp: fill.tp || (reversed ? 0 : before.tp ?? 0),
        magic: before.magic !== undefined && !reversed ? before.magic : fill.magic,
        comment: before.comment !== undefined && !reversed ? before.comment : fill.comment,
        timeUpdate: this.serverTime,
      };
    });
    const profit = roundMoney(outcome.closed.reduce((sum, slice) => sum + slice.profit, 0));
    const commission = -roundMoney(symbol.commissionPerLot * fill.volume);
    this.balance = roundMoney(this.balance + profit + commission);
    // A fill that both closed and opened is a netting reversal.
    const entry = outcome.closed.length === 0 ? 'IN' : opened ? 'INOUT' : 'OUT';
    const deal: SimDeal = {
      ticket: this.newDealTicket(), order: orderTicket, positionId, symbol: symbol.symbol, type: side as (typeof Mt5DealTypes)[number],
      entry, volume: normalizeVolume(fill.volume), price: fill.price, commission, swap: 0, profit, fee: 0, time: this.serverTime,
      magic: fill.magic, comment: fill.comment, reason: fill.reason,
    };
    this.deals.push(deal);
    this.emit({
      type: 'DEAL_ADD', deal: deal.ticket, order: orderTicket, position: positionId, symbol: symbol.symbol, dealType: deal.type,
      price: deal.price, volume: deal.volume,
    });
    return deal;
  }

  /**
   * A market order from start to history, as MT5 reports it: ORDER_ADD (STARTED), DEAL_ADD,
   * ORDER_DELETE and HISTORY_ADD (FILLED). Used for requests, SL/TP closes and stop-outs.
   */
  marketOrder(fill: Omit<FillRequest, 'orderTicket'> & { readonly filling: SimOrder['typeFilling'] }): { order: SimOrder; deal: SimDeal } {
    const started: SimOrder = {
      ticket: this.newOrderTicket(), symbol: fill.symbol.symbol, type: fill.side, state: 'STARTED', volumeInitial: fill.volume,
      volumeCurrent: fill.volume, priceOpen: fill.price, stopLimit: 0, sl: fill.sl ?? 0, tp: fill.tp ?? 0, timeSetup: this.serverTime,
      timeExpiration: 0, typeFilling: fill.filling, typeTime: 'GTC', magic: fill.magic, comment: fill.comment, positionId: fill.closesPosition ?? '0',
    };
    this.orders.push(started);
    this.emitOrder('ORDER_ADD', started);
    const deal = this.bookFill({ ...fill, orderTicket: started.ticket });
    const order = this.archiveOrder(started, 'FILLED', deal.positionId);
    this.emitOrder('ORDER_DELETE', order);
    this.emitOrder('HISTORY_ADD', order);
    return { order, deal };
  }
}

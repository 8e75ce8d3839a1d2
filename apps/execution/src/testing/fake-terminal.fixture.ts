import type { BridgeBody, BridgeDeal, BridgeOrder, BridgePosition, TradeRequestBody, TradeResultBody } from '@mt5/contracts';
import { BridgeRequestError } from '@mt5/infra/bridge';
import type { TerminalPort } from '../application/ports.js';

/** What the fake does with one trade request. */
export type TradeBehaviour =
  | { readonly kind: 'fill' }
  | { readonly kind: 'retcode'; readonly retcode: number; readonly comment?: string }
  /** The broker executes; the terminal never answers (or answers 10012 with `reply`). */
  | { readonly kind: 'timeout'; readonly executed: boolean; readonly reply?: boolean }
  | { readonly kind: 'disconnect'; readonly executed: boolean };

const SERVER_START = Date.UTC(2022, 0, 10, 10, 0);

/**
 * A scriptable terminal for unit tests: trade requests follow a script (default: fill), fills
 * create deals and hedging positions, and queries answer from that state. Server time is fixed
 * (a Monday in 2022, as a replaying simulator would report) and moves only with `advance`.
 */
export class FakeTerminal implements TerminalPort {
  connected = true;
  readonly script: TradeBehaviour[] = [];
  readonly requests: TradeRequestBody[] = [];
  readonly dealBook: BridgeDeal[] = [];
  readonly positionBook: BridgePosition[] = [];
  readonly activeOrders: BridgeOrder[] = [];
  failQueries = false;
  bid = 1.1;
  ask = 1.10008;
  private now = SERVER_START;
  private ticket = 1000;

  advance(ms: number): void {
    this.now += ms;
  }

  isConnected(): boolean {
    return this.connected;
  }

  async trade(request: TradeRequestBody): Promise<TradeResultBody> {
    if (!this.connected) throw new BridgeRequestError('BRIDGE.NOT_CONNECTED', 'no session', { sent: false, kind: 'trade_request' });
    this.requests.push(request);
    const behaviour = this.script.shift() ?? { kind: 'fill' };
    switch (behaviour.kind) {
      case 'fill':
        return this.execute(request);
      case 'retcode':
        return { ...this.emptyResult(), retcode: behaviour.retcode, comment: behaviour.comment ?? `retcode ${behaviour.retcode}` };
      case 'timeout':
        if (behaviour.executed) this.execute(request);
        if (behaviour.reply) return { ...this.emptyResult(), retcode: 10012, comment: 'Request timed out' };
        throw new BridgeRequestError('BRIDGE.REQUEST_TIMEOUT', 'no reply', { sent: true, kind: 'trade_request' });
      case 'disconnect':
        if (behaviour.executed) this.execute(request);
        this.connected = false;
        throw new BridgeRequestError('BRIDGE.NOT_CONNECTED', 'connection closed before the reply', { sent: true, kind: 'trade_request' });
    }
  }

  async account(): Promise<BridgeBody<'account'>> {
    this.query();
    return { login: 1, currency: 'USD', balance: 10_000, equity: 10_000, margin: 0, freeMargin: 10_000, marginLevel: null, marginMode: 'HEDGING', leverage: 100, tradeAllowed: true, time: this.now };
  }

  async positions(filter: BridgeBody<'positions_request'> = {}): Promise<BridgePosition[]> {
    this.query();
    return this.positionBook.filter((p) => filter.magic === undefined || p.magic === filter.magic);
  }

  async orders(filter: BridgeBody<'orders_request'> = {}): Promise<BridgeOrder[]> {
    this.query();
    return this.activeOrders.filter((o) => filter.magic === undefined || o.magic === filter.magic);
  }

  async deals(request: BridgeBody<'deals_request'>): Promise<BridgeBody<'deals'>> {
    this.query();
    const deals = this.dealBook.filter((d) => d.time >= request.from && d.time <= request.to && (request.magic === undefined || d.magic === request.magic)
      && (request.comment === undefined || d.comment === request.comment) && (request.positionId === undefined || d.positionId === request.positionId));
    return { deals: deals.slice(0, request.maxCount), truncated: deals.length > request.maxCount };
  }

  async symbols(symbols: readonly string[]): Promise<BridgeBody<'symbol_spec'>> {
    this.query();
    return { specs: [], unknownSymbols: [...symbols] };
  }

  async bars(request: BridgeBody<'bars_request'>): Promise<BridgeBody<'bars'>> {
    this.query();
    return { symbol: request.symbol, timeframe: request.timeframe, bars: [], truncated: false };
  }

  serverNow(): number {
    return this.now;
  }

  serverTimeAt(utcMs: number): number {
    return this.now - Math.max(0, Date.now() - utcMs);
  }

  toUtc(serverMs: number): number {
    return serverMs;
  }

  toServer(utcMs: number): number {
    return utcMs;
  }

  /** Broker orders (distinct order tickets of deals) carrying this comment. */
  brokerOrdersFor(comment: string): string[] {
    return [...new Set(this.dealBook.filter((d) => d.comment === comment).map((d) => d.order))];
  }

  private query(): void {
    if (!this.connected) throw new BridgeRequestError('BRIDGE.NOT_CONNECTED', 'no session', { sent: false, kind: 'account_request' });
    if (this.failQueries) throw new BridgeRequestError('BRIDGE.REQUEST_TIMEOUT', 'query timed out', { sent: true, kind: 'deals_request' });
  }

  private execute(request: TradeRequestBody): TradeResultBody {
    if (request.action === 'PENDING') {
      const ticket = String(++this.ticket);
      this.activeOrders.push({
        ticket, symbol: request.symbol!, type: request.type!, state: 'PLACED', volumeInitial: request.volume!, volumeCurrent: request.volume!,
        priceOpen: request.price!, stopLimit: 0, sl: request.sl ?? 0, tp: request.tp ?? 0, timeSetup: this.now, timeExpiration: 0, typeFilling: 'RETURN',
        typeTime: 'GTC', magic: request.magic, comment: request.comment, positionId: '0',
      });
      return { ...this.emptyResult(), retcode: 10008, order: ticket, volume: request.volume!, price: request.price!, comment: 'Order placed' };
    }
    if (request.action === 'REMOVE') {
      const index = this.activeOrders.findIndex((o) => o.ticket === request.order);
      if (index < 0) return { ...this.emptyResult(), retcode: 10013, comment: 'Order not found' };
      this.activeOrders.splice(index, 1);
      return { ...this.emptyResult(), retcode: 10009, order: request.order!, comment: 'Request executed' };
    }
    const order = String(++this.ticket);
    const deal = String(++this.ticket);
    const side = request.type as 'BUY' | 'SELL';
    const price = side === 'BUY' ? this.ask : this.bid;
    this.now += 1;
    this.dealBook.push({
      ticket: deal, order, positionId: request.position ?? order, symbol: request.symbol!, type: side, entry: request.position ? 'OUT' : 'IN',
      volume: request.volume!, price, commission: -0.35, swap: 0, profit: 0, fee: 0, time: this.now, magic: request.magic, comment: request.comment, reason: 'EXPERT',
    });
    if (!request.position) {
      this.positionBook.push({
        ticket: order, identifier: order, symbol: request.symbol!, type: side, volume: request.volume!, priceOpen: price, priceCurrent: price, sl: request.sl ?? 0,
        tp: request.tp ?? 0, profit: 0, swap: 0, time: this.now, timeUpdate: this.now, magic: request.magic, comment: request.comment,
      });
    } else {
      const index = this.positionBook.findIndex((p) => p.identifier === request.position);
      if (index >= 0) this.positionBook.splice(index, 1);
    }
    return { retcode: 10009, deal, order, volume: request.volume!, price, bid: this.bid, ask: this.ask, comment: 'Request executed', requestId: this.ticket, retcodeExternal: 0 };
  }

  private emptyResult(): TradeResultBody {
    return { retcode: 0, deal: '0', order: '0', volume: 0, price: 0, bid: this.bid, ask: this.ask, comment: '', requestId: 0, retcodeExternal: 0 };
  }
}

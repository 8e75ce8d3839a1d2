import type { BridgeBar, Timeframe } from '@mt5/contracts';
import { roundToDigits } from '@mt5/domain/market';
import { copyRates, type HistoryBar } from './bar-history.js';
import { BrokerLedger } from './broker-ledger.js';
import type {
  DealsFilter,
  PricePoint,
  SimAccountConfig,
  SimAccountState,
  SimDeal,
  SimOrder,
  SimPosition,
  SimQuote,
  SimTradeRequest,
  SimTradeResult,
  SimTransaction,
  SnapshotFilter,
} from './broker.types.js';
import { onPricePoint } from './price-events.js';
import { DEFAULT_SIM_SYMBOLS, type SimSymbol } from './sim-symbols.js';
import { processTradeRequest } from './trade-requests.js';

/** A bar the broker replays: M1 open time (server time, epoch ms), bid prices, spread in points (the symbol's default when absent). */
export type SimBar = HistoryBar;

export interface SimBrokerOptions {
  readonly account: SimAccountConfig;
  readonly symbols?: readonly SimSymbol[];
}

/**
 * A simulated MT5 trade server for one account: quotes, market and pending orders, SL/TP, margin,
 * hedging or netting, deals history and trade transactions. Pure and synchronous (no sockets, no
 * clocks, no randomness): time is the time of the latest quote, so the same inputs always give the
 * same tickets, prices and transactions.
 */
export class SimBroker {
  private readonly ledger: BrokerLedger;
  private readonly quoteListeners: ((symbol: string, quote: SimQuote) => void)[] = [];
  /** Bars seen per symbol (oldest first), for history requests. */
  private readonly bars = new Map<string, SimBar[]>();

  constructor(options: SimBrokerOptions) {
    this.ledger = new BrokerLedger(options.account, options.symbols ?? DEFAULT_SIM_SYMBOLS);
  }

  get account(): SimAccountConfig {
    return this.ledger.account;
  }

  /** Server time: the latest quote's time (or the account opening time before any quote). */
  get serverTime(): number {
    return this.ledger.serverTime;
  }

  symbols(): SimSymbol[] {
    return [...this.ledger.symbols.values()];
  }

  symbol(name: string): SimSymbol | undefined {
    return this.ledger.symbols.get(name);
  }

  quote(symbol: string): SimQuote | undefined {
    return this.ledger.quotes.get(symbol);
  }

  onTransaction(listener: (transaction: SimTransaction) => void): void {
    this.ledger.onTransaction(listener);
  }

  /** Called on every quote change (the terminal streams ticks from it). */
  onQuote(listener: (symbol: string, quote: SimQuote) => void): void {
    this.quoteListeners.push(listener);
  }

  /** Sets a quote directly, as a jump (levels crossed fill at this quote), and runs triggers. */
  setQuote(symbol: string, bid: number, ask: number, time: number): void {
    this.movePrice(this.requireSymbol(symbol), { bid, ask, time, continuous: false });
  }

  /**
   * Replays one bar: its {@link pricePath} point by point, then keeps the bar for history
   * requests. SL/TP and pending orders are checked at every point (`onPricePoint` has the fill
   * prices).
   */
  applyBar(symbol: string, bar: SimBar): void {
    for (const point of this.pricePath(symbol, bar)) this.applyPricePoint(symbol, point);
    this.recordBar(symbol, bar);
  }

  /**
   * A bar as four quotes: the open (a jump from wherever price was), then low and high (low
   * first on an up bar, high first on a down bar, as MT5's tester walks OHLC), then the close, at
   * bid = bar price and ask = bid + spread, at 0 s, 15 s, 30 s and 59 s into the minute.
   */
  pricePath(symbol: string, bar: SimBar): PricePoint[] {
    const spec = this.requireSymbol(symbol);
    const spread = (bar.spreadPoints ?? spec.defaultSpreadPoints) * spec.point;
    const bids = bar.close >= bar.open ? [bar.open, bar.low, bar.high, bar.close] : [bar.open, bar.high, bar.low, bar.close];
    return bids.map((bid, index) => ({
      bid, ask: roundToDigits(bid + spread, spec.digits), time: bar.time + PATH_OFFSETS_MS[index]!, continuous: index > 0,
    }));
  }

  /** Moves a symbol's price to one point of a path and runs the triggers. */
  applyPricePoint(symbol: string, point: PricePoint): void {
    this.movePrice(this.requireSymbol(symbol), point);
  }

  /** Keeps an M1 bar for history requests (`bars_request`). */
  recordBar(symbol: string, bar: SimBar): void {
    const history = this.bars.get(symbol) ?? [];
    history.push(bar);
    this.bars.set(symbol, history);
  }

  /** Runs one trade request (MqlTradeRequest → MqlTradeResult). */
  execute(request: SimTradeRequest): SimTradeResult {
    return processTradeRequest(this.ledger, request);
  }

  accountState(): SimAccountState {
    return this.ledger.state();
  }

  positions(filter: SnapshotFilter = {}): SimPosition[] {
    return this.ledger.positions.filter((p) => matches(filter, p.symbol, p.magic));
  }

  orders(filter: SnapshotFilter = {}): SimOrder[] {
    return this.ledger.orders.filter((o) => matches(filter, o.symbol, o.magic));
  }

  historyOrders(): SimOrder[] {
    return [...this.ledger.historyOrders];
  }

  /** History deals in [from, to] (inclusive), oldest first, with the exact filters; truncated past maxCount. */
  deals(filter: DealsFilter): { deals: SimDeal[]; truncated: boolean } {
    const found = this.ledger.deals.filter((deal) =>
      deal.time >= filter.from && deal.time <= filter.to
      && (filter.magic === undefined || deal.magic === filter.magic)
      && (filter.comment === undefined || deal.comment === filter.comment)
      && (filter.positionId === undefined || deal.positionId === filter.positionId));
    return { deals: found.slice(0, filter.maxCount), truncated: found.length > filter.maxCount };
  }

  /** Bars of `timeframe` built from the M1 bars the broker has replayed (see {@link copyRates}). */
  history(symbol: string, timeframe: Timeframe, from: number, to: number, maxCount: number): { bars: BridgeBar[]; truncated: boolean } {
    return copyRates(this.bars.get(symbol) ?? [], timeframe, from, to, maxCount, this.symbol(symbol)?.defaultSpreadPoints ?? 0);
  }

  private movePrice(symbol: SimSymbol, point: PricePoint): void {
    onPricePoint(this.ledger, symbol, point);
    const quote = this.ledger.quotes.get(symbol.symbol)!;
    for (const listener of this.quoteListeners) listener(symbol.symbol, quote);
  }

  private requireSymbol(name: string): SimSymbol {
    const symbol = this.ledger.symbols.get(name);
    if (!symbol) throw new Error(`SimBroker: unknown symbol ${name}`);
    return symbol;
  }
}

/** Where the four quotes of a bar's path fall inside its minute. */
const PATH_OFFSETS_MS = [0, 15_000, 30_000, 59_000] as const;

function matches(filter: SnapshotFilter, symbol: string, magic: number): boolean {
  return (filter.symbol === undefined || filter.symbol === symbol) && (filter.magic === undefined || filter.magic === magic);
}

import type { BridgeBar } from '@mt5/contracts';
import { roundToDigits } from '@mt5/domain/market';
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

/** A bar the broker replays: open time (server time, epoch ms) and prices as bid. */
export interface SimBar {
  readonly time: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  /** Spread in points for this bar; the symbol's default when absent. */
  readonly spreadPoints?: number;
  readonly tickVolume?: number;
}

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
   * Replays one bar as four quotes: the open (a jump from the previous close), then low and high
   * (low first on an up bar, high first on a down bar, as MT5's tester does for OHLC), then the
   * close, each at bid = bar price and ask = bid + spread. SL/TP and pending orders are checked at
   * every point (see `onPricePoint` for fill prices).
   */
  applyBar(symbol: string, bar: SimBar): void {
    const spec = this.requireSymbol(symbol);
    const spread = (bar.spreadPoints ?? spec.defaultSpreadPoints) * spec.point;
    const path = bar.close >= bar.open ? [bar.open, bar.low, bar.high, bar.close] : [bar.open, bar.high, bar.low, bar.close];
    // Times inside the bar's minute keep quotes ordered; the close lands on the bar's last second.
    const offsets = [0, 15_000, 30_000, 59_000];
    path.forEach((bid, index) => {
      this.movePrice(spec, { bid, ask: roundToDigits(bid + spread, spec.digits), time: bar.time + offsets[index]!, continuous: index > 0 });
    });
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

  /** M1 bars the broker has replayed, opening within [from, to]. */
  history(symbol: string, from: number, to: number, maxCount: number): { bars: BridgeBar[]; truncated: boolean } {
    const spec = this.symbol(symbol);
    const inRange = (this.bars.get(symbol) ?? []).filter((bar) => bar.time >= from && bar.time <= to);
    const bars = inRange.slice(0, maxCount).map((bar) => ({
      time: bar.time, open: bar.open, high: bar.high, low: bar.low, close: bar.close, tickVolume: bar.tickVolume ?? 0,
      spread: bar.spreadPoints ?? spec?.defaultSpreadPoints ?? 0, realVolume: 0,
    }));
    return { bars, truncated: inRange.length > maxCount };
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

function matches(filter: SnapshotFilter, symbol: string, magic: number): boolean {
  return (filter.symbol === undefined || filter.symbol === symbol) && (filter.magic === undefined || filter.magic === magic);
}

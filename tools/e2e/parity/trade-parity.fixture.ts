// The pipeline's trades and the backtester's, in one comparable form, and the comparison that
// names the first trade where they part. Shared by the parity test and its unit test.
import type { BacktestTrade } from '@mt5/domain/backtest';

/**
 * One round trip, every figure as text at the precision both sides book it (prices with the
 * instrument's digits, lots and money with two decimals, times as ISO UTC with milliseconds), so
 * equal means equal to the last digit. A position still open at the end of the data has no exit.
 */
export interface ComparableTrade {
  /** The strategy id (reporting's from the magic number). */
  readonly strategy: string | null;
  readonly side: string;
  readonly volume: string;
  readonly entryTime: string;
  readonly entryPrice: string;
  readonly exitTime: string | null;
  readonly exitPrice: string | null;
  /** SL or TP (the closing deal's reason); null while open. */
  readonly exitReason: string | null;
  /** Net of both sides' commission, in account currency; null while open. */
  readonly net: string | null;
}

export const TradeFields = ['strategy', 'side', 'volume', 'entryTime', 'entryPrice', 'exitTime', 'exitPrice', 'exitReason', 'net'] as const;

const iso = (ms: number) => new Date(ms).toISOString();

/** A backtest trade; one that the data's end closed (`END`) is still open in the pipeline. */
export function fromBacktest(trade: BacktestTrade, strategy: string, digits: number): ComparableTrade {
  const open = trade.exitReason === 'END';
  return {
    strategy, side: trade.side, volume: trade.volume.toFixed(2), entryTime: iso(trade.entryTime), entryPrice: trade.entryPrice.toFixed(digits),
    exitTime: open ? null : iso(trade.exitTime), exitPrice: open ? null : trade.exitPrice.toFixed(digits), exitReason: open ? null : trade.exitReason,
    net: open ? null : trade.net.toFixed(2),
  };
}

/** A row of reporting's `trades` (numbers as Postgres sends decimals: text). */
export interface ReportingTradeRow {
  readonly strategy_id: string | null;
  readonly side: string;
  readonly volume: string;
  readonly entry_time: Date;
  readonly entry_price: string;
  readonly exit_time: Date;
  readonly exit_price: string;
  readonly exit_reason: string;
  readonly net_profit: string;
}

export function fromReporting(row: ReportingTradeRow, digits: number): ComparableTrade {
  return {
    strategy: row.strategy_id, side: row.side, volume: Number(row.volume).toFixed(2), entryTime: row.entry_time.toISOString(), entryPrice: Number(row.entry_price).toFixed(digits),
    exitTime: row.exit_time.toISOString(), exitPrice: Number(row.exit_price).toFixed(digits), exitReason: row.exit_reason, net: Number(row.net_profit).toFixed(2),
  };
}

/** A position the simulator still holds (`sim.qry.state`). */
export function fromOpenPosition(position: { side: string; volume: number; openTime: number; openPrice: number }, strategy: string | null, digits: number): ComparableTrade {
  return {
    strategy, side: position.side, volume: position.volume.toFixed(2), entryTime: iso(position.openTime), entryPrice: position.openPrice.toFixed(digits),
    exitTime: null, exitPrice: null, exitReason: null, net: null,
  };
}

/** One trade as a line of a mismatch report. */
export function describeTrade(trade: ComparableTrade | undefined): string {
  if (!trade) return '(none)';
  const exit = trade.exitTime === null ? 'still open' : `exit ${trade.exitTime} ${trade.exitPrice} ${trade.exitReason}, net ${trade.net}`;
  return `${trade.strategy ?? '(no strategy)'}: ${trade.side} ${trade.volume} lot, entry ${trade.entryTime} ${trade.entryPrice}, ${exit}`;
}

export interface ParityOutcome {
  /** Trades equal, in order, before the first difference (all of them when there is none). */
  readonly matched: number;
  /** Null when both lists are equal; else the first differing trade from both sides. */
  readonly difference: string | null;
}

/** Entry order (then strategy, then exit order, open positions last): how both sides are lined up. */
export function inEntryOrder(trades: readonly ComparableTrade[]): ComparableTrade[] {
  const key = (trade: ComparableTrade) => `${trade.entryTime} ${trade.strategy ?? ''} ${trade.exitTime ?? '~'}`;
  return [...trades].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** Compares the two lists trade for trade, in entry order; every field must be equal. */
export function compareTrades(pipelineTrades: readonly ComparableTrade[], backtestTrades: readonly ComparableTrade[]): ParityOutcome {
  const pipeline = inEntryOrder(pipelineTrades);
  const backtest = inEntryOrder(backtestTrades);
  const count = Math.max(pipeline.length, backtest.length);
  for (let index = 0; index < count; index++) {
    const mine = pipeline[index];
    const theirs = backtest[index];
    const fields = mine && theirs ? TradeFields.filter((field) => mine[field] !== theirs[field]) : ['missing'];
    if (fields.length === 0) continue;
    return {
      matched: index,
      difference: [
        `trade ${index + 1} of ${pipeline.length} (pipeline) / ${backtest.length} (backtest) differs in ${fields.join(', ')}:`,
        `  pipeline: ${describeTrade(mine)}`,
        `  backtest: ${describeTrade(theirs)}`,
      ].join('\n'),
    };
  }
  return { matched: count, difference: null };
}

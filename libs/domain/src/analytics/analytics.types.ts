import type { DealEntry, DealReason, Side } from '@mt5/contracts';

/**
 * A deal (MT5 fill) as the analytics see it. Money, prices and volumes stay decimal strings as
 * they came off the wire, so sums are exact; times are epoch milliseconds like everywhere in the
 * domain.
 */
export interface DealFact {
  readonly dealTicket: string;
  readonly positionId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly entry: DealEntry;
  readonly volume: string;
  readonly price: string;
  readonly commission: string;
  readonly swap: string;
  readonly profit: string;
  readonly fee: string;
  readonly time: number;
  readonly magic: number;
  readonly comment: string;
  readonly reason: DealReason;
  /** Null for deals the platform did not originate. */
  readonly clientOrderId: string | null;
}

/**
 * One closed round trip: the lots of a position closed by one deal, with the position's entry.
 * A partial close is a trade of its own.
 */
export interface TradeFact {
  readonly account: string;
  readonly positionId: string;
  readonly closeDealTicket: string;
  /** Strategy key (see `strategyKeyOf`): a configured strategy id, `magic-<n>` or `manual`. */
  readonly strategyId: string;
  readonly symbol: string;
  /** Side of the position (a BUY trade was long). */
  readonly side: Side;
  readonly volume: string;
  readonly entryTime: number;
  readonly entryPrice: string;
  readonly exitTime: number;
  readonly exitPrice: string;
  /** Booked price profit of the closed lots (the broker's figure). */
  readonly grossProfit: string;
  /** Closing commission plus this trade's share of the entry commission (≤ 0 normally). */
  readonly commission: string;
  readonly swap: string;
  readonly fee: string;
  /** gross + commission + swap + fee. */
  readonly netProfit: string;
  /** Price move in pips in the trade's favour; null when the symbol's pip size is unknown. */
  readonly pips: number | null;
  /** Net result over the initial risk; null without an initial stop. */
  readonly rMultiple: number | null;
  readonly durationSeconds: number;
  readonly exitReason: string;
  readonly external: boolean;
}

/** A point of an equity curve (account equity, or starting capital plus realised results). */
export interface EquityPoint {
  /** Epoch milliseconds. */
  readonly time: number;
  readonly equity: number;
  /** Account balance at that time, when known. */
  readonly balance?: number;
}

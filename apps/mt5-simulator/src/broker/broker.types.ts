import type {
  BridgeDeal,
  BridgeOrder,
  MarginMode,
  TradeRequestBody,
  TradeResultBody,
  TradeTransactionBody,
} from '@mt5/contracts';
import type { Position } from '@mt5/domain/positions';

/*
 * The simulated broker speaks MT5's own data model (MqlTradeRequest, MqlTradeResult,
 * MqlTradeTransaction, history deals, active orders), which is exactly what the bridge contract
 * describes; the broker reuses those types instead of a renamed copy. Positions are the domain's
 * `Position` (volume, average price, realized profit) plus MT5's bookkeeping.
 */

export type SimTradeRequest = TradeRequestBody;
export type SimTradeResult = TradeResultBody;
/** A transaction before the terminal numbers it (`seq` belongs to the EA instance, not the broker). */
export type SimTransaction = Omit<TradeTransactionBody, 'seq'>;
export type SimDeal = BridgeDeal;
export type SimOrder = BridgeOrder;

export interface SimAccountConfig {
  readonly login: number;
  readonly currency: string;
  /** Initial deposit, booked as a BALANCE deal. */
  readonly balance: number;
  readonly leverage: number;
  readonly marginMode: MarginMode;
  /** Margin level (percent) at which the broker closes the worst position. Default 50. */
  readonly stopOutLevel?: number;
  /** Server time of the initial deposit. Default 0. */
  readonly openedAt?: number;
}

/** A quote with its server time (epoch ms). */
export interface SimQuote {
  readonly bid: number;
  readonly ask: number;
  readonly time: number;
}

/** An open position: the domain position plus the fields MT5 reports. */
export interface SimPosition extends Position {
  /** `POSITION_TICKET`: changes on a netting reversal; `positionId` (the identifier) does not. */
  readonly ticket: string;
  readonly sl: number;
  readonly tp: number;
  readonly magic: number;
  readonly comment: string;
  readonly timeUpdate: number;
}

/** Account figures in account currency, rounded to cents. */
export interface SimAccountState {
  readonly balance: number;
  readonly equity: number;
  readonly profit: number;
  readonly margin: number;
  readonly freeMargin: number;
  /** Percent; null when no margin is used. */
  readonly marginLevel: number | null;
}

/** Filters of the snapshot queries. */
export interface SnapshotFilter {
  readonly symbol?: string;
  readonly magic?: number;
}

export interface DealsFilter {
  readonly from: number;
  readonly to: number;
  readonly magic?: number;
  readonly comment?: string;
  readonly positionId?: string;
  readonly maxCount: number;
}

/** One point of a price path: a quote, and whether price got there continuously from the previous point. */
export interface PricePoint extends SimQuote {
  /**
   * `true`: price moved continuously from the previous point (inside one bar), so a level crossed
   * on the way fills at the level. `false`: a jump (a new quote, a gap at the bar open), so a
   * crossed level fills at this quote.
   */
  readonly continuous: boolean;
}

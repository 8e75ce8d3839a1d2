import type { MarginMode, Side } from '@mt5/contracts';

/**
 * One open position. Plain data: it is stored as JSON and restored as is.
 * Invariant: `volume > 0` (a position at zero volume is closed and leaves the book).
 */
export interface Position {
  readonly positionId: string;
  readonly symbol: string;
  readonly side: Side;
  /** Lots still open. */
  readonly volume: number;
  /** Volume-weighted average entry price (netting adds move it; partial closes do not). */
  readonly openPrice: number;
  /** Epoch ms of the fill that opened the position. */
  readonly openTime: number;
  /** Profit already booked by partial closes, in account currency. */
  readonly realizedProfit: number;
}

/** The open positions of one account. In NETTING mode there is at most one per symbol. */
export interface PositionBook {
  readonly marginMode: MarginMode;
  readonly positions: readonly Position[];
}

/**
 * A fill (MT5 deal) to apply to a book.
 *
 * HEDGING: a fill whose `positionId` is not in the book opens that position; a fill on the
 * opposite side of an existing `positionId` closes it, fully or partly. NETTING: the fill acts on
 * the symbol's single position whatever its id; `positionId` names the position it opens when the
 * symbol is flat or the fill reverses it.
 */
export interface Fill {
  readonly fillId: string;
  readonly positionId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly volume: number;
  readonly price: number;
  /** Epoch ms. */
  readonly time: number;
}

/** One closed slice of a position, produced when a fill reduces, closes or reverses it. */
export interface ClosedSlice {
  readonly positionId: string;
  readonly fillId: string;
  readonly symbol: string;
  /** Side of the position that was closed (the fill is on the other side). */
  readonly side: Side;
  readonly volume: number;
  readonly openPrice: number;
  readonly closePrice: number;
  readonly openTime: number;
  readonly closeTime: number;
  /** Price profit in account currency, before commission and swap. */
  readonly profit: number;
  /** True when this slice left the position at zero volume. */
  readonly positionClosed: boolean;
}

/** A book after a fill, and what the fill closed. */
export interface FillOutcome {
  readonly book: PositionBook;
  readonly closed: readonly ClosedSlice[];
  /** The position the fill opened or added to, when it did. */
  readonly opened: Position | null;
}

import type { MarginMode } from '@mt5/contracts';
import type { InstrumentMath } from './instrument-math.types.js';
import type { ClosedSlice, Fill, FillOutcome, Position, PositionBook } from './position.types.js';
import { priceProfit, sideSign } from './profit.js';
import { normalizeVolume } from './volume-math.js';

/** A book with no positions. */
export function emptyBook(marginMode: MarginMode): PositionBook {
  return { marginMode, positions: [] };
}

/** Open positions on one symbol, in book order. */
export function positionsFor(book: PositionBook, symbol: string): readonly Position[] {
  return book.positions.filter((position) => position.symbol === symbol);
}

/** Net lots on a symbol: + long, - short (longs and shorts offset, even in a hedging book). */
export function netVolume(book: PositionBook, symbol: string): number {
  return normalizeVolume(positionsFor(book, symbol).reduce((sum, position) => sum + position.volume * sideSign(position.side), 0));
}

/**
 * Applies one fill to a book and returns the new book (the input is not changed), the slices it
 * closed with their price profit, and the position it opened or added to.
 *
 * Throws on a broken invariant: a non-positive or non-finite volume or price, a fill for another
 * symbol than `instrument`, a hedging fill that would add to an existing position, or one that
 * closes more than the position holds. Those are bugs upstream, not business outcomes.
 */
export function applyFill(book: PositionBook, fill: Fill, instrument: InstrumentMath, accountCurrency: string): FillOutcome {
  assertValidFill(fill, instrument);
  return book.marginMode === 'HEDGING'
    ? applyHedgingFill(book, fill, instrument, accountCurrency)
    : applyNettingFill(book, fill, instrument, accountCurrency);
}

function assertValidFill(fill: Fill, instrument: InstrumentMath): void {
  if (!(fill.volume > 0) || !Number.isFinite(fill.volume)) throw new Error(`applyFill(${fill.fillId}): invalid volume ${fill.volume}`);
  if (!(fill.price > 0) || !Number.isFinite(fill.price)) throw new Error(`applyFill(${fill.fillId}): invalid price ${fill.price}`);
  if (fill.symbol !== instrument.symbol) {
    throw new Error(`applyFill(${fill.fillId}): fill is for ${fill.symbol}, instrument is ${instrument.symbol}`);
  }
}

function openFrom(fill: Fill, volume: number): Position {
  return {
    positionId: fill.positionId,
    symbol: fill.symbol,
    side: fill.side,
    volume,
    openPrice: fill.price,
    openTime: fill.time,
    realizedProfit: 0,
  };
}

/** Closes `volume` lots of `position` at the fill's price; returns the slice and what is left (null when flat). */
function closeSlice(
  position: Position,
  fill: Fill,
  volume: number,
  instrument: InstrumentMath,
  accountCurrency: string,
): { slice: ClosedSlice; rest: Position | null } {
  const profit = priceProfit(instrument, position.side, volume, position.openPrice, fill.price, accountCurrency);
  const remaining = normalizeVolume(position.volume - volume);
  const slice: ClosedSlice = {
    positionId: position.positionId,
    fillId: fill.fillId,
    symbol: position.symbol,
    side: position.side,
    volume,
    openPrice: position.openPrice,
    closePrice: fill.price,
    openTime: position.openTime,
    closeTime: fill.time,
    profit,
    positionClosed: remaining <= 0,
  };
  const rest = remaining > 0 ? { ...position, volume: remaining, realizedProfit: position.realizedProfit + profit } : null;
  return { slice, rest };
}

function replace(book: PositionBook, positionId: string, next: Position | null): readonly Position[] {
  return next === null
    ? book.positions.filter((position) => position.positionId !== positionId)
    : book.positions.map((position) => (position.positionId === positionId ? next : position));
}

function applyHedgingFill(book: PositionBook, fill: Fill, instrument: InstrumentMath, accountCurrency: string): FillOutcome {
  const existing = book.positions.find((position) => position.positionId === fill.positionId);
  if (!existing) {
    const opened = openFrom(fill, normalizeVolume(fill.volume));
    return { book: { ...book, positions: [...book.positions, opened] }, closed: [], opened };
  }
  if (existing.symbol !== fill.symbol) {
    throw new Error(`applyFill(${fill.fillId}): position ${existing.positionId} is on ${existing.symbol}, fill on ${fill.symbol}`);
  }
  if (existing.side === fill.side) {
    throw new Error(`applyFill(${fill.fillId}): a hedging position (${existing.positionId}) cannot be added to`);
  }
  const volume = normalizeVolume(fill.volume);
  if (volume > existing.volume) {
    throw new Error(`applyFill(${fill.fillId}): closes ${volume} lots of position ${existing.positionId} holding ${existing.volume}`);
  }
  const { slice, rest } = closeSlice(existing, fill, volume, instrument, accountCurrency);
  return { book: { ...book, positions: replace(book, existing.positionId, rest) }, closed: [slice], opened: null };
}

function applyNettingFill(book: PositionBook, fill: Fill, instrument: InstrumentMath, accountCurrency: string): FillOutcome {
  const existing = book.positions.find((position) => position.symbol === fill.symbol);
  const volume = normalizeVolume(fill.volume);
  if (!existing) {
    const opened = openFrom(fill, volume);
    return { book: { ...book, positions: [...book.positions, opened] }, closed: [], opened };
  }
  if (existing.side === fill.side) {
    const total = normalizeVolume(existing.volume + volume);
    const openPrice = (existing.openPrice * existing.volume + fill.price * volume) / total;
    const opened: Position = { ...existing, volume: total, openPrice };
    return { book: { ...book, positions: replace(book, existing.positionId, opened) }, closed: [], opened };
  }
  const closing = Math.min(volume, existing.volume);
  const { slice, rest } = closeSlice(existing, fill, closing, instrument, accountCurrency);
  const leftover = normalizeVolume(volume - closing);
  const positions = replace(book, existing.positionId, rest);
  if (leftover <= 0) return { book: { ...book, positions }, closed: [slice], opened: null };
  // A reversal: the rest of the fill opens a new position on the fill's side at the fill's price.
  const opened = openFrom(fill, leftover);
  return { book: { ...book, positions: [...positions, opened] }, closed: [slice], opened };
}

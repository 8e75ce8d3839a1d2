import type { AccountSnapshot, Deal, PositionClosed, PositionSnapshot } from '@mt5/contracts';
import { applyFill, type Position, type PositionBook } from '@mt5/domain/positions';
import type { RiskInstrument } from '@mt5/domain/risk';
import type { AccountContext, PendingOrder, PositionMeta } from '../account-world.js';

/** Closed position ids kept to ignore late snapshots; far more than a day's trades. */
const CLOSED_MEMORY = 500;

const epoch = (iso: string) => Date.parse(iso);

/** A round trip that a deal finished: what the losing-streak breaker is fed. */
export interface ClosedTrade {
  readonly positionId: string;
  readonly strategyId: string | null;
  /** Net of commission, swap and fees, in account currency. */
  readonly profit: number;
  readonly time: number;
}

export type ContextChange = { readonly context: AccountContext; readonly closedTrade: ClosedTrade | null; readonly note: string | null };

/** A pending order nothing was heard of is forgotten this long after its send deadline. */
export const PENDING_GRACE_MS = 60_000;

/** Remembers an allowed opening order until its entry deal or final order event arrives. */
export function addPendingOrder(context: AccountContext, clientOrderId: string, order: PendingOrder): AccountContext {
  return { ...context, pendingOrders: { ...context.pendingOrders, [clientOrderId]: order } };
}

/** The order filled, was rejected, cancelled or expired: it no longer counts as pending. */
export function resolvePendingOrder(context: AccountContext, clientOrderId: string | null): AccountContext {
  if (clientOrderId === null || !(clientOrderId in context.pendingOrders)) return context;
  // Copied key by key rather than spread and `delete`d: delete turns a large object into a slow
  // dictionary, and under a burst this runs once per execution event with hundreds pending.
  const pendingOrders: Record<string, PendingOrder> = {};
  for (const id in context.pendingOrders) if (id !== clientOrderId) pendingOrders[id] = context.pendingOrders[id]!;
  return { ...context, pendingOrders };
}

/** Drops pending orders past their deadline and grace period (the same context when none is). */
export function prunePendingOrders(context: AccountContext, now: number): AccountContext {
  let expired = false;
  for (const id in context.pendingOrders) {
    if (context.pendingOrders[id]!.validUntil + PENDING_GRACE_MS <= now) {
      expired = true;
      break;
    }
  }
  if (!expired) return context;
  const pendingOrders: Record<string, PendingOrder> = {};
  for (const id in context.pendingOrders) {
    const order = context.pendingOrders[id]!;
    if (order.validUntil + PENDING_GRACE_MS > now) pendingOrders[id] = order;
  }
  return { ...context, pendingOrders };
}

/**
 * What the checks count as open: the positions, plus each live pending order as a position of
 * its own (`pending:<clientOrderId>`), so limits see the orders already on their way.
 */
export function positionsWithPending(context: AccountContext, now: number): Position[] {
  const pending = Object.entries(prunePendingOrders(context, now).pendingOrders).map(([clientOrderId, order]): Position => ({
    positionId: `pending:${clientOrderId}`, symbol: order.symbol, side: order.side, volume: order.volume, openPrice: order.price, openTime: now, realizedProfit: 0,
  }));
  return [...context.positions, ...pending];
}

/** The newest account snapshot wins; an older one (reordered, replayed) changes nothing. */
export function applyAccountSnapshot(context: AccountContext, snapshot: AccountSnapshot, leverage: number): AccountContext {
  const time = epoch(snapshot.time);
  if (context.facts !== null && context.facts.time > time) return context;
  return {
    ...context,
    facts: {
      currency: snapshot.currency, balance: Number(snapshot.balance), equity: Number(snapshot.equity), margin: Number(snapshot.margin),
      freeMargin: Number(snapshot.freeMargin), leverage, marginMode: snapshot.marginMode, time,
    },
  };
}

/** The terminal's view of one position replaces ours, unless it is older than what we applied or the position closed. */
export function applyPositionSnapshot(context: AccountContext, snapshot: PositionSnapshot, strategyId: string | null): AccountContext {
  const time = epoch(snapshot.time);
  const meta = context.positionMeta[snapshot.positionId];
  if (context.closedPositions.includes(snapshot.positionId) || (meta && meta.snapshotTime > time)) return context;
  const existing = context.positions.find((position) => position.positionId === snapshot.positionId);
  const position: Position = {
    positionId: snapshot.positionId, symbol: snapshot.symbol, side: snapshot.side, volume: Number(snapshot.volume),
    openPrice: Number(snapshot.openPrice), openTime: epoch(snapshot.openTime), realizedProfit: existing?.realizedProfit ?? 0,
  };
  const positions = existing
    ? context.positions.map((candidate) => (candidate.positionId === snapshot.positionId ? position : candidate))
    : [...context.positions, position];
  const nextMeta: PositionMeta = { strategyId: meta?.strategyId ?? strategyId, netProfit: meta?.netProfit ?? 0, snapshotTime: time };
  return { ...context, positions, positionMeta: { ...context.positionMeta, [snapshot.positionId]: nextMeta } };
}

/**
 * The terminal no longer has the position. Its meta stays until its closing deal books the
 * result (the deal may arrive after this event); the closed list bounds how long.
 */
export function applyPositionClosed(context: AccountContext, closed: PositionClosed): AccountContext {
  return remember({ ...context, positions: context.positions.filter((position) => position.positionId !== closed.positionId) }, closed.positionId);
}

function remember(context: AccountContext, positionId: string): AccountContext {
  if (context.closedPositions.includes(positionId)) return context;
  const closedPositions = [...context.closedPositions, positionId];
  const dropped = closedPositions.splice(0, Math.max(0, closedPositions.length - CLOSED_MEMORY));
  const positionMeta = { ...context.positionMeta };
  for (const id of dropped) delete positionMeta[id];
  return { ...context, closedPositions, positionMeta };
}

/**
 * Books a deal: its net result on the position's meta, its volume on the book (unless a newer
 * terminal snapshot already shows it), and, when an exit deal leaves the position with nothing
 * open, the closed round trip with the position's whole net result.
 */
export function applyDeal(current: AccountContext, deal: Deal, instrument: RiskInstrument | undefined, strategyId: string | null): ContextChange {
  const context = resolvePendingOrder(current, deal.clientOrderId);
  const time = epoch(deal.time);
  const net = Number(deal.profit) + Number(deal.commission) + Number(deal.swap) + Number(deal.fee ?? '0');
  const previous = context.positionMeta[deal.positionId];
  const meta: PositionMeta = {
    strategyId: previous?.strategyId ?? strategyId,
    netProfit: (previous?.netProfit ?? 0) + net,
    snapshotTime: previous?.snapshotTime ?? 0,
  };
  const { positions, note, closedByFill } = bookDeal(context, deal, instrument, time, meta);
  let next: AccountContext = { ...context, positions, positionMeta: { ...context.positionMeta, [deal.positionId]: meta } };
  const isExit = deal.entry === 'OUT' || deal.entry === 'OUT_BY' || (deal.entry === 'INOUT' && closedByFill);
  const stillOpen = next.positions.some((position) => position.positionId === deal.positionId);
  if (!isExit || (stillOpen && deal.entry !== 'INOUT')) return { context: next, closedTrade: null, note };
  const closedTrade: ClosedTrade = { positionId: deal.positionId, strategyId: meta.strategyId, profit: meta.netProfit, time };
  if (deal.entry === 'INOUT') {
    // A netting reversal keeps the position id: the closed leg is reported, the new leg starts from zero.
    next = { ...next, positionMeta: { ...next.positionMeta, [deal.positionId]: { ...meta, netProfit: 0 } } };
  } else {
    next = remember(next, deal.positionId);
    const positionMeta = { ...next.positionMeta };
    delete positionMeta[deal.positionId];
    next = { ...next, positionMeta };
  }
  return { context: next, closedTrade, note };
}

function bookDeal(
  context: AccountContext,
  deal: Deal,
  instrument: RiskInstrument | undefined,
  time: number,
  meta: PositionMeta,
): { positions: readonly Position[]; note: string | null; closedByFill: boolean } {
  const unchanged = (note: string | null) => ({ positions: context.positions, note, closedByFill: false });
  if (meta.snapshotTime >= time) return unchanged(null);
  if (!instrument) return unchanged(`no instrument spec for ${deal.symbol}: the book follows position snapshots only`);
  const book: PositionBook = { marginMode: context.facts?.marginMode ?? 'HEDGING', positions: context.positions };
  const acted = book.marginMode === 'HEDGING'
    ? book.positions.some((position) => position.positionId === deal.positionId)
    : book.positions.some((position) => position.symbol === deal.symbol);
  const opens = deal.entry === 'IN' || deal.entry === 'INOUT';
  // An exit for a position we do not hold, or an entry for one we already hold (hedging), is
  // already reflected (or will be by the next snapshot): applying it would invent a position.
  if (opens ? book.marginMode === 'HEDGING' && acted : !acted) return unchanged(null);
  try {
    const fill = { fillId: deal.dealTicket, positionId: deal.positionId, symbol: deal.symbol, side: deal.side, volume: Number(deal.volume), price: Number(deal.price), time };
    const outcome = applyFill(book, fill, instrument, context.facts?.currency ?? 'USD');
    return { positions: outcome.book.positions, note: null, closedByFill: outcome.closed.some((slice) => slice.positionClosed) };
  } catch (error) {
    return unchanged(`deal ${deal.dealTicket} not applied to the book: ${(error as Error).message}`);
  }
}

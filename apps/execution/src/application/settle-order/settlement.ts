import type { BridgeDeal, BridgeOrder, BridgePosition } from '@mt5/contracts';
import { aggregateFills, atLeast } from '../mapping/decimals.js';
import { isTradeDeal } from '../mapping/terminal.mapper.js';
import type { OrderRecord } from '../orders/order.types.js';

/** What the terminal reported when asked about an order (or, in reconciliation, about all of them). */
export interface SettlementEvidence {
  readonly deals: readonly BridgeDeal[];
  readonly activeOrders: readonly BridgeOrder[];
  readonly positions: readonly BridgePosition[];
}

/** The verdict on an order whose outcome the gateway does not know. */
export type Settlement =
  /** It traded: record these deals. `remainderCancelled`: a market order part-filled and nothing rests for the rest. */
  | { readonly kind: 'fills'; readonly deals: readonly BridgeDeal[]; readonly remainderCancelled: boolean }
  /** It rests at the venue as this pending order. */
  | { readonly kind: 'accepted'; readonly orderTicket: string }
  /** Not decidable yet; ask again later. */
  | { readonly kind: 'wait'; readonly reason: string }
  /** Provably never executed: found nowhere after the settle window. */
  | { readonly kind: 'absent'; readonly reason: string };

type Identified = { readonly magic: number; readonly comment: string };

/** The terminal's record belongs to the order: same venue ticket, or same magic and comment (the comment carries the clientOrderId). */
export function belongsTo(order: Pick<OrderRecord, 'orderTicket' | 'magic' | 'comment'>, item: Identified, ticket: string): boolean {
  if (order.orderTicket !== null && order.orderTicket !== '0' && ticket === order.orderTicket) return true;
  return item.magic === order.magic && item.comment === order.comment;
}

/**
 * Decides what happened to `order` from the terminal's deals, active orders and positions. A
 * failed query never reaches this function: missing evidence is not "absent". `since` is when the
 * outcome became unknown; absence is only concluded `settleWindowMs` after it, because a trade
 * server may still execute a request the terminal gave up on. A market order the terminal
 * already confirmed (ACCEPTED with a ticket) is never concluded absent: it traded, its deal just
 * is not visible yet.
 */
export function decideSettlement(order: OrderRecord, evidence: SettlementEvidence, nowMs: number, settleWindowMs: number): Settlement {
  const deals = evidence.deals.filter((deal) => isTradeDeal(deal) && belongsTo(order, deal, deal.order));
  const resting = evidence.activeOrders.find((active) => belongsTo(order, active, active.ticket));
  const windowOver = nowMs - order.updatedAt.getTime() >= settleWindowMs;
  if (deals.length > 0) {
    const filled = aggregateFills(deals.map((deal) => ({ volume: String(deal.volume), price: String(deal.price) })));
    const complete = atLeast(filled.volume, order.volume);
    return { kind: 'fills', deals, remainderCancelled: !complete && !resting && order.orderType === 'MARKET' && windowOver };
  }
  if (resting) return { kind: 'accepted', orderTicket: resting.ticket };
  const opened = !order.origin.closesPosition && evidence.positions.find((position) => position.magic === order.magic && position.comment === order.comment);
  if (opened) return { kind: 'wait', reason: `position ${opened.identifier} carries the order's comment but its deal is not visible yet` };
  if (order.status === 'ACCEPTED' && order.orderType === 'MARKET') {
    return { kind: 'wait', reason: `the terminal confirmed order ${order.orderTicket}; waiting for its deal` };
  }
  if (!windowOver) return { kind: 'wait', reason: `not found yet; absence is concluded ${settleWindowMs} ms after the outcome became unknown` };
  return {
    kind: 'absent',
    reason: `not found at the venue (deals, orders and positions with magic ${order.magic} and comment "${order.comment}") ${Math.round((nowMs - order.updatedAt.getTime()) / 1000)} s after the outcome became unknown: never executed`,
  };
}

import { isTerminalOrderStatus, type OrderStatus } from '@mt5/contracts';

/**
 * The order lifecycle, as the execution gateway enforces it. Every arrow is one persisted
 * `order_events` row and (except into NEW) one `exec.evt.<account>.order` event.
 *
 * - NEW: the row is committed; nothing has left for the bridge.
 * - SUBMITTED: a trade request is about to leave (committed before the send). A requote
 *   (10004/10020/10021) goes SUBMITTED → SUBMITTED with the next attempt number.
 * - UNKNOWN: no answer (timeout, disconnect, a retcode of unknown class). Never resent; left only
 *   by settlement against the terminal's orders, positions and deals.
 * - ACCEPTED: a pending order rests at the venue, or a market order has a ticket but its deal is
 *   not recorded yet.
 * - PARTIALLY_FILLED → FILLED | CANCELLED | EXPIRED as the rest trades or is removed.
 * - FILLED, CANCELLED, REJECTED, EXPIRED are final.
 */
export const OrderTransitions: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  NEW: ['SUBMITTED', 'CANCELLED', 'EXPIRED'],
  SUBMITTED: ['SUBMITTED', 'ACCEPTED', 'PARTIALLY_FILLED', 'FILLED', 'REJECTED', 'UNKNOWN', 'CANCELLED'],
  ACCEPTED: ['PARTIALLY_FILLED', 'FILLED', 'CANCELLED', 'EXPIRED', 'REJECTED'],
  PARTIALLY_FILLED: ['PARTIALLY_FILLED', 'FILLED', 'CANCELLED', 'EXPIRED'],
  UNKNOWN: ['ACCEPTED', 'PARTIALLY_FILLED', 'FILLED', 'CANCELLED', 'REJECTED', 'EXPIRED'],
  FILLED: [],
  CANCELLED: [],
  REJECTED: [],
  EXPIRED: [],
};

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return OrderTransitions[from].includes(to);
}

/** A transition the lifecycle forbids is a bug in this service: it throws (the process logs and the message is retried). */
export function assertTransition(clientOrderId: string, from: OrderStatus, to: OrderStatus): void {
  if (!canTransition(from, to)) {
    throw new Error(`order ${clientOrderId}: transition ${from} -> ${to} is not allowed`);
  }
}

/** Orders the gateway still has to drive or settle (not final). */
export const OpenOrderStatuses = ['NEW', 'SUBMITTED', 'ACCEPTED', 'PARTIALLY_FILLED', 'UNKNOWN'] as const satisfies readonly OrderStatus[];

export { isTerminalOrderStatus };

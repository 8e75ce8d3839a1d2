import {
  createMessage,
  mt5RetcodeInfo,
  OrderAcceptedMessage,
  OrderCancelledMessage,
  OrderExpiredMessage,
  OrderFilledMessage,
  OrderPartiallyFilledMessage,
  OrderRejectedMessage,
  OrderSubmittedMessage,
  OrderUnknownMessage,
  type AnyMessageDefinition,
  type ErrorCodeOf,
  type OrderStatus,
  type PayloadOf,
} from '@mt5/contracts';
import { activeTraceHeaders } from '../telemetry/order-trace.js';
import { assertTransition } from './order-state-machine.js';
import type { OrderPatch, OrderRecord, OrderTransition } from './order.types.js';

/** Deterministic event id: a republish after a crash is dropped by JetStream's duplicate window. */
export const orderEventId = (clientOrderId: string, seq: number) => `${clientOrderId}:${seq}`;

/** Volume traded so far, from the order's deals. */
export interface FillProgress {
  readonly orderTicket: string;
  readonly lastDealTicket: string;
  readonly positionId: string;
  readonly filledVolume: string;
  readonly averagePrice: string;
}

const MAX_REASON = 500;
const clip = (reason: string) => (reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON - 1)}…` : reason);

function base(order: OrderRecord, at: Date) {
  return { account: order.account, clientOrderId: order.clientOrderId, symbol: order.symbol, side: order.side, orderType: order.orderType, time: at.toISOString() };
}

function build<D extends AnyMessageDefinition>(
  definition: D, order: OrderRecord, to: OrderStatus, data: PayloadOf<D>, at: Date, patch: OrderPatch,
  extra: { reason?: string; retcode?: number | null } = {},
): OrderTransition {
  assertTransition(order.clientOrderId, order.status, to);
  const envelope = createMessage(definition, {
    id: orderEventId(order.clientOrderId, order.version), data, tsEvent: at, tsInit: new Date(),
    cause: { id: order.origin.commandId, correlationId: order.origin.correlationId },
  });
  return {
    order, to, patch, payload: envelope, occurredAt: at, ...extra,
    message: { subject: definition.subject(data), envelope, headers: activeTraceHeaders() },
  };
}

/** Builds the transitions of one order; each checks the lifecycle and renders the published event. */
export const Transitions = {
  /** `requote`: the retcode that made this a resend (attempt > 1), kept on the row and in order_events. */
  submitted(order: OrderRecord, at: Date, attempt: number, sentPrice: string | null, requote?: { retcode: number; comment: string }): OrderTransition {
    return build(OrderSubmittedMessage, order, 'SUBMITTED', {
      ...base(order, at), status: 'SUBMITTED', volume: order.volume, price: sentPrice, stopLoss: order.stopLoss, takeProfit: order.takeProfit,
      magic: order.magic, comment: order.comment, attempt,
    }, at, { attempts: attempt, ...(requote ? { lastRetcode: requote.retcode, lastError: clip(requote.comment) } : {}) },
    requote ? { retcode: requote.retcode, reason: clip(`resend after ${mt5RetcodeInfo(requote.retcode).name}: ${requote.comment}`) } : {});
  },

  accepted(order: OrderRecord, at: Date, orderTicket: string): OrderTransition {
    return build(OrderAcceptedMessage, order, 'ACCEPTED', { ...base(order, at), status: 'ACCEPTED', orderTicket }, at, { orderTicket });
  },

  partiallyFilled(order: OrderRecord, at: Date, fill: FillProgress, remainingVolume: string): OrderTransition {
    return build(OrderPartiallyFilledMessage, order, 'PARTIALLY_FILLED', {
      ...base(order, at), status: 'PARTIALLY_FILLED', orderTicket: fill.orderTicket, dealTicket: fill.lastDealTicket,
      filledVolume: fill.filledVolume, remainingVolume, averagePrice: fill.averagePrice,
    }, at, fillPatch(fill));
  },

  filled(order: OrderRecord, at: Date, fill: FillProgress): OrderTransition {
    return build(OrderFilledMessage, order, 'FILLED', {
      ...base(order, at), status: 'FILLED', orderTicket: fill.orderTicket, dealTicket: fill.lastDealTicket, filledVolume: fill.filledVolume,
      averagePrice: fill.averagePrice, positionId: fill.positionId,
    }, at, fillPatch(fill));
  },

  cancelled(order: OrderRecord, at: Date, reason: string): OrderTransition {
    return build(OrderCancelledMessage, order, 'CANCELLED', { ...base(order, at), status: 'CANCELLED', orderTicket: order.orderTicket, reason: clip(reason) },
      at, {}, { reason: clip(reason) });
  },

  rejected(order: OrderRecord, at: Date, retcode: number, reason: string, code: ErrorCodeOf<'EXEC'> = 'EXEC.VENUE_REJECTED'): OrderTransition {
    const info = mt5RetcodeInfo(retcode);
    return build(OrderRejectedMessage, order, 'REJECTED', {
      ...base(order, at), status: 'REJECTED', retcode, retcodeName: info.name, code, reason: clip(reason),
    }, at, { lastRetcode: retcode, lastError: clip(reason) }, { reason: clip(reason), retcode });
  },

  expired(order: OrderRecord, at: Date, reason: string): OrderTransition {
    return build(OrderExpiredMessage, order, 'EXPIRED', { ...base(order, at), status: 'EXPIRED', orderTicket: order.orderTicket, reason: clip(reason) },
      at, { lastError: clip(reason) }, { reason: clip(reason) });
  },

  unknown(order: OrderRecord, at: Date, retcode: number | null, reason: string): OrderTransition {
    return build(OrderUnknownMessage, order, 'UNKNOWN', { ...base(order, at), status: 'UNKNOWN', retcode, reason: clip(reason) },
      at, { lastError: clip(reason), ...(retcode === null ? {} : { lastRetcode: retcode }) }, { reason: clip(reason), retcode });
  },
} as const;

function fillPatch(fill: FillProgress): OrderPatch {
  return { orderTicket: fill.orderTicket, positionId: fill.positionId, filledVolume: fill.filledVolume, averagePrice: fill.averagePrice };
}

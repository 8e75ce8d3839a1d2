import { z } from 'zod';
import { areaErrorCodeSchema } from './error-codes.js';
import { defineMessage, type AnyMessageDefinition } from './message-definition.js';
import { ExecutionEventNames, Subjects } from './names.js';
import {
  accountString,
  clientOrderIdString,
  isoUtcTimestamp,
  magicNumber,
  mt5CommentString,
  orderTypeSchema,
  priceString,
  sideSchema,
  symbolString,
  ticketString,
  volumeString,
} from './primitives.schemas.js';

/**
 * Order lifecycle states. NEW is the committed row before the request leaves for the bridge;
 * UNKNOWN means the outcome is not known yet (timeout, disconnect) and is settled by reconciliation.
 */
export const OrderStatuses = [
  'NEW', 'SUBMITTED', 'ACCEPTED', 'PARTIALLY_FILLED', 'FILLED', 'CANCELLED', 'REJECTED', 'EXPIRED', 'UNKNOWN',
] as const;
export type OrderStatus = (typeof OrderStatuses)[number];
export const orderStatusSchema = z.enum(OrderStatuses);

/** States an order never leaves. UNKNOWN is not one of them: reconciliation settles it. */
export const TerminalOrderStatuses = ['FILLED', 'CANCELLED', 'REJECTED', 'EXPIRED'] as const satisfies readonly OrderStatus[];

export function isTerminalOrderStatus(status: OrderStatus): boolean {
  return (TerminalOrderStatuses as readonly OrderStatus[]).includes(status);
}

/** Fields every order event carries; `status` is the state the order is in after the event. */
const orderEventBase = {
  account: accountString,
  clientOrderId: clientOrderIdString,
  symbol: symbolString,
  side: sideSchema,
  orderType: orderTypeSchema,
  /** When it happened (UTC). */
  time: isoUtcTimestamp,
};

const reason = z.string().min(1).max(500);

/** The request left for the bridge. */
export const orderSubmittedSchema = z.strictObject({
  ...orderEventBase,
  status: z.literal('SUBMITTED'),
  volume: volumeString,
  price: priceString.nullable(),
  stopLoss: priceString.nullable(),
  takeProfit: priceString.nullable(),
  magic: magicNumber,
  comment: mt5CommentString,
  /** 1 for the first send; requotes resend with a fresh price and count up. */
  attempt: z.int().positive(),
});

/** The venue took it: a pending order is placed, or a market order got its ticket. */
export const orderAcceptedSchema = z.strictObject({
  ...orderEventBase,
  status: z.literal('ACCEPTED'),
  orderTicket: ticketString,
});

/** Part of the volume traded; more may follow. */
export const orderPartiallyFilledSchema = z.strictObject({
  ...orderEventBase,
  status: z.literal('PARTIALLY_FILLED'),
  orderTicket: ticketString,
  dealTicket: ticketString,
  filledVolume: volumeString,
  remainingVolume: volumeString,
  averagePrice: priceString,
});

/** All of the volume traded. */
export const orderFilledSchema = z.strictObject({
  ...orderEventBase,
  status: z.literal('FILLED'),
  orderTicket: ticketString,
  dealTicket: ticketString,
  filledVolume: volumeString,
  averagePrice: priceString,
  positionId: ticketString,
});

/** Cancelled on request (or by the venue after partial fill, with the remainder unfilled). */
export const orderCancelledSchema = z.strictObject({
  ...orderEventBase,
  status: z.literal('CANCELLED'),
  orderTicket: ticketString.nullable(),
  reason,
});

/** The venue refused it (not to be confused with a risk denial, which never reaches the venue). */
export const orderRejectedSchema = z.strictObject({
  ...orderEventBase,
  status: z.literal('REJECTED'),
  retcode: z.int(),
  /** Name from the retcode table (`NO_MONEY`). */
  retcodeName: z.string().min(1),
  code: areaErrorCodeSchema('EXEC'),
  reason,
});

/** Passed its deadline before it could be sent, or a pending order's expiry was reached. */
export const orderExpiredSchema = z.strictObject({
  ...orderEventBase,
  status: z.literal('EXPIRED'),
  orderTicket: ticketString.nullable(),
  reason,
});

/** Timeout or disconnect during the trade: the outcome must be found by querying the terminal. */
export const orderUnknownSchema = z.strictObject({
  ...orderEventBase,
  status: z.literal('UNKNOWN'),
  retcode: z.int().nullable(),
  reason,
});

export type OrderSubmitted = z.infer<typeof orderSubmittedSchema>;
export type OrderAccepted = z.infer<typeof orderAcceptedSchema>;
export type OrderPartiallyFilled = z.infer<typeof orderPartiallyFilledSchema>;
export type OrderFilled = z.infer<typeof orderFilledSchema>;
export type OrderCancelled = z.infer<typeof orderCancelledSchema>;
export type OrderRejected = z.infer<typeof orderRejectedSchema>;
export type OrderExpired = z.infer<typeof orderExpiredSchema>;
export type OrderUnknown = z.infer<typeof orderUnknownSchema>;

/** Any order event, discriminated by the resulting `status`. */
export const orderEventSchema = z.discriminatedUnion('status', [
  orderSubmittedSchema, orderAcceptedSchema, orderPartiallyFilledSchema, orderFilledSchema,
  orderCancelledSchema, orderRejectedSchema, orderExpiredSchema, orderUnknownSchema,
]);
export type OrderEvent = z.infer<typeof orderEventSchema>;

const orderSubject = (event: { account: string }) => Subjects.executionEvent(event.account, ExecutionEventNames.order);

export const OrderSubmittedMessage = defineMessage({
  type: 'exec.order.submitted', v: 1, payload: orderSubmittedSchema, subject: orderSubject,
  description: 'An order request left for the bridge',
});
export const OrderAcceptedMessage = defineMessage({
  type: 'exec.order.accepted', v: 1, payload: orderAcceptedSchema, subject: orderSubject,
  description: 'The venue accepted an order',
});
export const OrderPartiallyFilledMessage = defineMessage({
  type: 'exec.order.partially-filled', v: 1, payload: orderPartiallyFilledSchema, subject: orderSubject,
  description: 'Part of an order traded',
});
export const OrderFilledMessage = defineMessage({
  type: 'exec.order.filled', v: 1, payload: orderFilledSchema, subject: orderSubject,
  description: 'An order traded in full',
});
export const OrderCancelledMessage = defineMessage({
  type: 'exec.order.cancelled', v: 1, payload: orderCancelledSchema, subject: orderSubject,
  description: 'An order was cancelled',
});
export const OrderRejectedMessage = defineMessage({
  type: 'exec.order.rejected', v: 1, payload: orderRejectedSchema, subject: orderSubject,
  description: 'The venue refused an order (with its MT5 retcode)',
});
export const OrderExpiredMessage = defineMessage({
  type: 'exec.order.expired', v: 1, payload: orderExpiredSchema, subject: orderSubject,
  description: 'An order passed its deadline unsent, or a pending order expired',
});
export const OrderUnknownMessage = defineMessage({
  type: 'exec.order.unknown', v: 1, payload: orderUnknownSchema, subject: orderSubject,
  description: 'An order outcome is unknown until reconciliation settles it',
});

/** All order event definitions, in lifecycle order. */
export const OrderEventMessages = [
  OrderSubmittedMessage, OrderAcceptedMessage, OrderPartiallyFilledMessage, OrderFilledMessage,
  OrderCancelledMessage, OrderRejectedMessage, OrderExpiredMessage, OrderUnknownMessage,
] as const satisfies readonly AnyMessageDefinition[];
export type OrderEventEnvelope = z.infer<(typeof OrderEventMessages)[number]['envelope']>;

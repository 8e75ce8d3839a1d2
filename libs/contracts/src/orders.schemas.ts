import { z } from 'zod';
import { defineMessage } from './message-definition.js';
import { OrderCommandNames, Subjects } from './names.js';
import {
  accountString,
  clientOrderIdString,
  idString,
  isoUtcTimestamp,
  magicNumber,
  mt5CommentString,
  orderTypeSchema,
  priceString,
  sideSchema,
  strategyIdString,
  symbolString,
  ticketString,
  volumeString,
} from './primitives.schemas.js';

/** LIMIT and STOP orders rest at a price, so they must carry one. */
function requirePriceForPendingOrders(order: { orderType: string; price?: string }, ctx: z.RefinementCtx): void {
  if (order.orderType !== 'MARKET' && order.price === undefined) {
    ctx.addIssue({ code: 'custom', path: ['price'], message: `price is required for a ${order.orderType} order` });
  }
}

/**
 * A manual order from an operator (ops-gateway → risk-guard, request/reply). It goes through
 * risk like any signal; the reply is the risk decision. Without `volume`, risk sizes it; without
 * `stopLoss`, risk decides (RISK.NO_STOP_LOSS when policy requires one), which is why the schema
 * lets both be absent.
 */
export const orderIntentSchema = z
  .strictObject({
    intentId: idString,
    account: accountString,
    symbol: symbolString,
    side: sideSchema,
    orderType: orderTypeSchema,
    volume: volumeString.optional(),
    price: priceString.optional(),
    stopLoss: priceString.optional(),
    takeProfit: priceString.optional(),
    comment: mt5CommentString.optional(),
    /** Operator identity (API key name or user), for the audit log. */
    requestedBy: z.string().min(1).max(128),
  })
  .superRefine(requirePriceForPendingOrders);
export type OrderIntent = z.infer<typeof orderIntentSchema>;

export const OrderIntentMessage = defineMessage({
  type: 'risk.submit-order-intent',
  v: 1,
  payload: orderIntentSchema,
  subject: () => Subjects.command('risk-guard', 'order-intent'),
  description: 'A manual order from an operator, to be vetted by risk-guard',
});
export const orderIntentEnvelopeSchema = OrderIntentMessage.envelope;
export type OrderIntentEnvelope = z.infer<typeof orderIntentEnvelopeSchema>;

/** Every order command has a deadline: commands that wait for a bridge past it expire (EXEC.COMMAND_EXPIRED). */
const commandDeadline = { validUntil: isoUtcTimestamp };

/**
 * Place an order. Only risk-guard publishes it, after sizing and vetting. The execution service
 * commits the order row (clientOrderId, magic, comment) before anything leaves for the bridge.
 */
export const submitOrderSchema = z
  .strictObject({
    clientOrderId: clientOrderIdString,
    account: accountString,
    symbol: symbolString,
    side: sideSchema,
    orderType: orderTypeSchema,
    volume: volumeString,
    /** Limit or stop price; for MARKET the price risk sized with (execution fetches a fresh one). */
    price: priceString.optional(),
    stopLoss: priceString.optional(),
    takeProfit: priceString.optional(),
    magic: magicNumber,
    /** Usually the clientOrderId, so the order can be found in the terminal after a timeout. */
    comment: mt5CommentString,
    ...commandDeadline,
    signalId: idString.optional(),
    strategyId: strategyIdString.optional(),
  })
  .superRefine(requirePriceForPendingOrders);
export type SubmitOrder = z.infer<typeof submitOrderSchema>;

export const SubmitOrderMessage = defineMessage({
  type: 'exec.submit-order',
  v: 1,
  payload: submitOrderSchema,
  subject: (command) => Subjects.orderCommand(command.account, OrderCommandNames.submitOrder),
  description: 'Place one order on an account',
});

/** Cancel a pending order placed by the platform. */
export const cancelOrderSchema = z.strictObject({
  clientOrderId: clientOrderIdString,
  account: accountString,
  reason: z.string().min(1).max(500),
  ...commandDeadline,
});
export type CancelOrder = z.infer<typeof cancelOrderSchema>;

export const CancelOrderMessage = defineMessage({
  type: 'exec.cancel-order',
  v: 1,
  payload: cancelOrderSchema,
  subject: (command) => Subjects.orderCommand(command.account, OrderCommandNames.cancelOrder),
  description: 'Cancel one pending order',
});

/** Close a position, fully or (with `volume`) partly, through a closing order of its own. */
export const closePositionSchema = z.strictObject({
  /** Id of the closing order. */
  clientOrderId: clientOrderIdString,
  account: accountString,
  positionId: ticketString,
  symbol: symbolString,
  /** Lots to close; absent closes the whole position. */
  volume: volumeString.optional(),
  magic: magicNumber,
  comment: mt5CommentString,
  reason: z.string().min(1).max(500),
  ...commandDeadline,
});
export type ClosePosition = z.infer<typeof closePositionSchema>;

export const ClosePositionMessage = defineMessage({
  type: 'exec.close-position',
  v: 1,
  payload: closePositionSchema,
  subject: (command) => Subjects.orderCommand(command.account, OrderCommandNames.closePosition),
  description: 'Close one position, fully or partly',
});

/**
 * Close every position (of one symbol, when given) and cancel pending orders. Execution derives
 * each closing order's clientOrderId from the envelope id and the position ticket.
 */
export const flattenAllSchema = z.strictObject({
  account: accountString,
  symbol: symbolString.optional(),
  /** Also close positions the platform did not open (manual trades, other EAs). */
  includeExternal: z.boolean(),
  reason: z.string().min(1).max(500),
  requestedBy: z.string().min(1).max(128),
  ...commandDeadline,
});
export type FlattenAll = z.infer<typeof flattenAllSchema>;

export const FlattenAllMessage = defineMessage({
  type: 'exec.flatten-all',
  v: 1,
  payload: flattenAllSchema,
  subject: (command) => Subjects.orderCommand(command.account, OrderCommandNames.flattenAll),
  description: 'Close all positions and cancel pending orders on an account',
});

/** The order commands, for the execution consumer. */
export const OrderCommandMessages = [SubmitOrderMessage, CancelOrderMessage, ClosePositionMessage, FlattenAllMessage] as const;
export type SubmitOrderEnvelope = z.infer<typeof SubmitOrderMessage.envelope>;
export type CancelOrderEnvelope = z.infer<typeof CancelOrderMessage.envelope>;
export type ClosePositionEnvelope = z.infer<typeof ClosePositionMessage.envelope>;
export type FlattenAllEnvelope = z.infer<typeof FlattenAllMessage.envelope>;
export type OrderCommandEnvelope = SubmitOrderEnvelope | CancelOrderEnvelope | ClosePositionEnvelope | FlattenAllEnvelope;

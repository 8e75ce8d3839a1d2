import {
  clientOrderIdString, idString, mt5CommentString, OrderStatuses, orderTypeSchema, riskDecisionSchema, sideSchema, symbolString, ticketString,
} from '@mt5/contracts';
import { z } from 'zod';
import { csv, decimalInput, limitParam, optionalAccount } from './common.schemas.js';

/**
 * A manual order. Shape problems (unknown fields, NaN, infinities, negative or zero volumes) are
 * caught here; the symbol and the volume step are checked against the instrument catalogue next.
 */
export const placeOrderBody = z.strictObject({
  account: optionalAccount,
  symbol: symbolString,
  side: sideSchema,
  orderType: orderTypeSchema.default('MARKET'),
  volume: decimalInput('volume', 'positive').optional().meta({ description: 'lots; risk-guard sizes the order when absent' }),
  price: decimalInput('price', 'positive').optional().meta({ description: 'required for LIMIT and STOP' }),
  stopLoss: decimalInput('stopLoss', 'positive').optional(),
  takeProfit: decimalInput('takeProfit', 'positive').optional(),
  comment: mt5CommentString.optional(),
  intentId: idString.regex(/^[A-Za-z0-9_.:-]+$/, 'intentId: letters, digits and _ . : - only').optional()
    .meta({ description: 'idempotency key: the same intent id is decided once, and a repeat returns the first decision' }),
}).superRefine((order, ctx) => {
  if (order.orderType !== 'MARKET' && order.price === undefined) ctx.addIssue({ code: 'custom', path: ['price'], message: `price is required for a ${order.orderType} order` });
});
export type PlaceOrderBody = z.output<typeof placeOrderBody>;

export const cancelOrderParam = clientOrderIdString;
export const cancelOrderBody = z.strictObject({ account: optionalAccount, reason: z.string().trim().max(500).optional() });
export const cancelOrderResponse = z.object({
  account: z.string(), clientOrderId: z.string(), intentId: z.string(),
  commandId: z.string().meta({ description: 'id of the exec.cmd.<account>.cancel-order risk-guard sent' }),
}).meta({ id: 'CancelIntent' });

export const ordersQuery = z.strictObject({
  account: optionalAccount,
  status: csv(z.enum(OrderStatuses), OrderStatuses.length).optional().meta({ description: 'comma-separated statuses' }),
  symbol: symbolString.optional(),
  clientOrderId: clientOrderIdString.optional(),
  limit: limitParam(500).optional(),
});

export const positionIdParam = ticketString;
export const closePositionBody = z.strictObject({
  account: optionalAccount,
  volume: decimalInput('volume', 'positive').optional().meta({ description: 'lots to close; everything when absent' }),
  intentId: idString.regex(/^[A-Za-z0-9_.:-]+$/).optional(),
});

export const decisionResponse = z.object({
  intentId: z.string(),
  duplicate: z.boolean().meta({ description: 'true when this intent id was already decided; the first decision is returned' }),
  decision: riskDecisionSchema,
}).meta({ id: 'OrderDecision' });

export const orderView = z.looseObject({
  clientOrderId: z.string(), account: z.string(), symbol: z.string(), side: sideSchema, orderType: orderTypeSchema, volume: z.string(),
  filledVolume: z.string(), status: z.enum(OrderStatuses), createdAt: z.string(), updatedAt: z.string(),
}).meta({ id: 'Order' });
export const ordersResponse = z.object({ orders: z.array(orderView) }).meta({ id: 'Orders' });

export const positionView = z.looseObject({
  account: z.string(), positionId: z.string(), symbol: z.string(), side: sideSchema, volume: z.string(), openPrice: z.string(),
  currentPrice: z.string(), profit: z.string(), snapshotTime: z.string(), strategyId: z.string().nullable(),
}).meta({ id: 'Position' });
export const positionsResponse = z.object({
  positions: z.array(positionView),
  asOf: z.string().meta({ description: 'when execution answered (served from a short cache)' }),
}).meta({ id: 'Positions' });

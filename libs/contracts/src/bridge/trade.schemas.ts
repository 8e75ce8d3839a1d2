import { z } from 'zod';
import {
  mt5DealTypeSchema,
  mt5FillingModeSchema,
  mt5OrderStateSchema,
  mt5OrderTimeTypeSchema,
  mt5OrderTypeSchema,
  mt5TradeActionSchema,
  mt5TradeTransactionTypeSchema,
  type Mt5TradeAction,
} from './mt5-enums.js';
import {
  bridgeMagic,
  bridgePrice,
  bridgeSymbol,
  bridgeTicket,
  bridgeVolume,
  points,
  serverTimeMs,
} from './values.schemas.js';

/** Fields each action needs (`MqlTradeRequest` rules); missing ones fail the frame, not the venue. */
const requiredByAction: Record<Mt5TradeAction, readonly string[]> = {
  DEAL: ['symbol', 'volume', 'type', 'typeFilling'],
  PENDING: ['symbol', 'volume', 'type', 'price', 'typeFilling'],
  SLTP: ['symbol', 'position'],
  MODIFY: ['order', 'price'],
  REMOVE: ['order'],
  CLOSE_BY: ['position', 'positionBy'],
};

/**
 * Gateway → terminal: one `MqlTradeRequest`, sent with `OrderSend`. The frame id is the request
 * id the gateway waits on; the terminal answers `trade_result` with `replyTo` = that id.
 * Closing a hedging position is a DEAL with `position` set and the opposite `type`.
 *
 * A trade request that gets no result in time has an unknown outcome: the gateway never resends
 * it, it queries orders, positions and deals (by magic, comment and time) to settle it.
 */
export const tradeRequestBodySchema = z
  .strictObject({
    action: mt5TradeActionSchema,
    symbol: bridgeSymbol.optional(),
    volume: z.number().positive().optional(),
    type: mt5OrderTypeSchema.optional(),
    price: bridgePrice.optional(),
    stopLimit: bridgePrice.optional(),
    /** 0 or absent: no stop loss. */
    sl: bridgePrice.optional(),
    tp: bridgePrice.optional(),
    /** Max slippage in points for instant/request execution. */
    deviation: points.optional(),
    typeFilling: mt5FillingModeSchema.optional(),
    typeTime: mt5OrderTimeTypeSchema.optional(),
    expiration: serverTimeMs.optional(),
    magic: bridgeMagic,
    /** The MT5 server keeps 31 characters; longer would be cut and reconciliation would miss it. */
    comment: z.string().max(31),
    position: bridgeTicket.optional(),
    positionBy: bridgeTicket.optional(),
    order: bridgeTicket.optional(),
  })
  .superRefine((request, ctx) => {
    for (const field of requiredByAction[request.action]) {
      if (request[field as keyof typeof request] === undefined) {
        ctx.addIssue({ code: 'custom', path: [field], message: `${field} is required for action ${request.action}` });
      }
    }
  });
export type TradeRequestBody = z.infer<typeof tradeRequestBodySchema>;

/**
 * Terminal → gateway: `MqlTradeResult` of one trade request. `deal` and `order` are "0" when
 * none. Classify `retcode` with `classifyRetcode` (mt5-retcodes.ts).
 */
export const tradeResultBodySchema = z.strictObject({
  retcode: z.int(),
  deal: bridgeTicket,
  order: bridgeTicket,
  volume: bridgeVolume,
  price: bridgePrice,
  bid: bridgePrice,
  ask: bridgePrice,
  comment: z.string().max(256),
  /** `request_id` the terminal assigned. */
  requestId: z.int().nonnegative(),
  /** Return code of an external trading system, 0 when none. */
  retcodeExternal: z.int(),
});
export type TradeResultBody = z.infer<typeof tradeResultBodySchema>;

/**
 * Terminal → gateway: one `OnTradeTransaction` event (`MqlTradeTransaction`), fields that do
 * not apply to the type left out. `seq` counts up from 1 per EA instance (hello
 * `eaInstanceId`) and survives reconnects of that instance, so `(eaInstanceId, seq)` drops
 * duplicates. Transactions are hints to act quickly; reconciliation against the terminal's
 * snapshots remains the truth.
 */
export const tradeTransactionBodySchema = z.strictObject({
  seq: z.int().positive(),
  type: mt5TradeTransactionTypeSchema,
  deal: bridgeTicket.optional(),
  order: bridgeTicket.optional(),
  position: bridgeTicket.optional(),
  positionBy: bridgeTicket.optional(),
  symbol: bridgeSymbol.optional(),
  orderType: mt5OrderTypeSchema.optional(),
  orderState: mt5OrderStateSchema.optional(),
  dealType: mt5DealTypeSchema.optional(),
  timeType: mt5OrderTimeTypeSchema.optional(),
  timeExpiration: serverTimeMs.optional(),
  price: bridgePrice.optional(),
  priceTrigger: bridgePrice.optional(),
  priceSl: bridgePrice.optional(),
  priceTp: bridgePrice.optional(),
  volume: bridgeVolume.optional(),
  /** For REQUEST transactions: the result of the request it reports. */
  requestId: z.int().nonnegative().optional(),
  retcode: z.int().optional(),
});
export type TradeTransactionBody = z.infer<typeof tradeTransactionBodySchema>;

import { z } from 'zod';
import { mt5DealEntrySchema, mt5DealReasonSchema, mt5DealTypeSchema, mt5FillingModeSchema, mt5MarginModeSchema, mt5OrderStateSchema, mt5OrderTimeTypeSchema, mt5OrderTypeSchema } from './mt5-enums.js';
import {
  bridgeComment,
  bridgeMagic,
  bridgeMoney,
  bridgePrice,
  bridgeSymbol,
  bridgeTicket,
  bridgeVolume,
  serverTimeMs,
} from './values.schemas.js';

/** Gateway → terminal: account state, please. */
export const accountRequestBodySchema = z.strictObject({});

/** Terminal → gateway: reply to `account_request`, or unsolicited on change. */
export const accountBodySchema = z.strictObject({
  login: z.int().positive(),
  currency: z.string().min(1).max(16),
  balance: bridgeMoney,
  equity: bridgeMoney,
  margin: bridgeMoney,
  freeMargin: bridgeMoney,
  /** Percent; null when no margin is used (MT5 reports 0). */
  marginLevel: z.number().nonnegative().nullable(),
  marginMode: mt5MarginModeSchema,
  leverage: z.int().positive(),
  tradeAllowed: z.boolean(),
  /** Server time of the reading. */
  time: serverTimeMs,
});

/** Optional filters shared by position and order queries. */
const snapshotFilter = {
  symbol: bridgeSymbol.optional(),
  magic: bridgeMagic.optional(),
};

export const positionsRequestBodySchema = z.strictObject(snapshotFilter);

/** One open position. `identifier` is the stable position id (deals refer to it); SL/TP 0 = none. */
export const bridgePositionSchema = z.strictObject({
  ticket: bridgeTicket,
  identifier: bridgeTicket,
  symbol: bridgeSymbol,
  type: z.enum(['BUY', 'SELL']),
  volume: bridgeVolume,
  priceOpen: bridgePrice,
  priceCurrent: bridgePrice,
  sl: bridgePrice,
  tp: bridgePrice,
  profit: bridgeMoney,
  swap: bridgeMoney,
  time: serverTimeMs,
  timeUpdate: serverTimeMs,
  magic: bridgeMagic,
  comment: bridgeComment,
});
export type BridgePosition = z.infer<typeof bridgePositionSchema>;

/** Terminal → gateway: every open position matching the filter (never partial). */
export const positionsBodySchema = z.strictObject({
  positions: z.array(bridgePositionSchema),
});

export const ordersRequestBodySchema = z.strictObject(snapshotFilter);

/** One active (pending or in-flight) order. `positionId` is "0" when none. */
export const bridgeOrderSchema = z.strictObject({
  ticket: bridgeTicket,
  symbol: bridgeSymbol,
  type: mt5OrderTypeSchema,
  state: mt5OrderStateSchema,
  volumeInitial: bridgeVolume,
  volumeCurrent: bridgeVolume,
  priceOpen: bridgePrice,
  stopLimit: bridgePrice,
  sl: bridgePrice,
  tp: bridgePrice,
  timeSetup: serverTimeMs,
  /** 0 when the order does not expire. */
  timeExpiration: serverTimeMs,
  typeFilling: mt5FillingModeSchema,
  typeTime: mt5OrderTimeTypeSchema,
  magic: bridgeMagic,
  comment: bridgeComment,
  positionId: bridgeTicket,
});
export type BridgeOrder = z.infer<typeof bridgeOrderSchema>;

/** Terminal → gateway: every active order matching the filter. */
export const ordersBodySchema = z.strictObject({
  orders: z.array(bridgeOrderSchema),
});

/**
 * Gateway → terminal: history deals with time in [from, to] (server time), oldest first,
 * optionally only those with this magic, this exact comment, or this position. Used to settle an
 * order whose outcome is unknown, so filters are exact.
 */
export const dealsRequestBodySchema = z
  .strictObject({
    from: serverTimeMs,
    to: serverTimeMs,
    magic: bridgeMagic.optional(),
    comment: bridgeComment.optional(),
    positionId: bridgeTicket.optional(),
    maxCount: z.int().min(1).max(100_000),
  })
  .refine((request) => request.to >= request.from, { error: 'to must not be before from', path: ['to'] });

/** One history deal. Non-trade deals (BALANCE, CREDIT, …) have an empty symbol and zero volume. */
export const bridgeDealSchema = z.strictObject({
  ticket: bridgeTicket,
  order: bridgeTicket,
  positionId: bridgeTicket,
  symbol: z.string().max(64),
  type: mt5DealTypeSchema,
  entry: mt5DealEntrySchema,
  volume: bridgeVolume,
  price: bridgePrice,
  commission: bridgeMoney,
  swap: bridgeMoney,
  profit: bridgeMoney,
  fee: bridgeMoney,
  /** `DEAL_TIME_MSC`, server time. */
  time: serverTimeMs,
  magic: bridgeMagic,
  comment: bridgeComment,
  reason: mt5DealReasonSchema,
});
export type BridgeDeal = z.infer<typeof bridgeDealSchema>;

/** Terminal → gateway: reply to `deals_request`; `truncated` means ask again from the last deal's time. */
export const dealsBodySchema = z.strictObject({
  deals: z.array(bridgeDealSchema),
  truncated: z.boolean(),
});

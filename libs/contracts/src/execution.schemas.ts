import { z } from 'zod';
import { defineMessage } from './message-definition.js';
import { ExecutionEventNames, Subjects } from './names.js';
import {
  accountString,
  clientOrderIdString,
  decimalString,
  isoUtcTimestamp,
  marginModeSchema,
  moneyString,
  observedMagicNumber,
  priceString,
  sideSchema,
  symbolString,
  ticketString,
  volumeString,
} from './primitives.schemas.js';

/** MT5 `DEAL_ENTRY_*`: whether a deal opened, closed, reversed or closed-by a position. */
export const DealEntries = ['IN', 'OUT', 'INOUT', 'OUT_BY'] as const;
export type DealEntry = (typeof DealEntries)[number];

/** MT5 `DEAL_REASON_*`: what caused the deal (an SL/TP trigger, a stop out, this EA, …). */
export const DealReasons = [
  'CLIENT', 'MOBILE', 'WEB', 'EXPERT', 'SL', 'TP', 'SO', 'ROLLOVER', 'VMARGIN', 'SPLIT', 'CORPORATE_ACTION',
] as const;
export type DealReason = (typeof DealReasons)[number];

/** Comments seen on the venue: brokers write their own (`[sl 1.08500]`), so allow more than our 31. */
const observedComment = z.string().max(64);

/**
 * A trade (MT5 deal) on the account: the fact behind fills, positions and trade history.
 * Unique per `(account, dealTicket)`. Balance, credit and other non-trade deals are not sent.
 */
export const dealSchema = z.strictObject({
  account: accountString,
  dealTicket: ticketString,
  orderTicket: ticketString,
  positionId: ticketString,
  /** Null for deals the platform did not originate (manual trades, SL/TP triggers matched later). */
  clientOrderId: clientOrderIdString.nullable(),
  symbol: symbolString,
  side: sideSchema,
  entry: z.enum(DealEntries),
  volume: volumeString,
  price: priceString,
  commission: moneyString,
  swap: moneyString,
  profit: moneyString,
  /** MT5 `DEAL_FEE`, where the broker charges one. */
  fee: moneyString.optional(),
  time: isoUtcTimestamp,
  magic: observedMagicNumber,
  comment: observedComment,
  reason: z.enum(DealReasons),
});
export type Deal = z.infer<typeof dealSchema>;

export const DealExecutedMessage = defineMessage({
  type: 'exec.deal.executed',
  v: 1,
  payload: dealSchema,
  subject: (deal) => Subjects.executionEvent(deal.account, ExecutionEventNames.deal),
  description: 'A deal (fill) recorded on the account',
});
export type DealExecutedEnvelope = z.infer<typeof DealExecutedMessage.envelope>;

/** One open position as the terminal reports it. Absent SL/TP are null (MT5 reports 0). */
export const positionSnapshotSchema = z.strictObject({
  account: accountString,
  positionId: ticketString,
  symbol: symbolString,
  side: sideSchema,
  volume: volumeString,
  openPrice: priceString,
  currentPrice: priceString,
  stopLoss: priceString.nullable(),
  takeProfit: priceString.nullable(),
  /** Floating profit in account currency. */
  profit: moneyString,
  swap: moneyString,
  openTime: isoUtcTimestamp,
  magic: observedMagicNumber,
  comment: observedComment,
  /** Not opened by this platform (manual trade or another EA). */
  external: z.boolean(),
  /** When this snapshot was taken. */
  time: isoUtcTimestamp,
});
export type PositionSnapshot = z.infer<typeof positionSnapshotSchema>;

export const PositionSnapshotMessage = defineMessage({
  type: 'exec.position.snapshot',
  v: 1,
  payload: positionSnapshotSchema,
  subject: (position) => Subjects.executionEvent(position.account, ExecutionEventNames.position),
  description: 'State of one open position (on open, change and reconciliation)',
});
export type PositionSnapshotEnvelope = z.infer<typeof PositionSnapshotMessage.envelope>;

/** A position is gone from the terminal; its realised figures come from its deals. */
export const positionClosedSchema = z.strictObject({
  account: accountString,
  positionId: ticketString,
  symbol: symbolString,
  side: sideSchema,
  closeTime: isoUtcTimestamp,
  external: z.boolean(),
});
export type PositionClosed = z.infer<typeof positionClosedSchema>;

export const PositionClosedMessage = defineMessage({
  type: 'exec.position.closed',
  v: 1,
  payload: positionClosedSchema,
  subject: (position) => Subjects.executionEvent(position.account, ExecutionEventNames.position),
  description: 'A position was closed',
});
export type PositionClosedEnvelope = z.infer<typeof PositionClosedMessage.envelope>;

/** Account state. `marginLevel` (equity / margin, percent) is null when no margin is used. */
export const accountSnapshotSchema = z.strictObject({
  account: accountString,
  /** Deposit currency (`USD`, `EUR`, `USDT`). */
  currency: z.string().regex(/^[A-Z]{3,6}$/, { error: 'currency must be 3..6 capital letters' }),
  balance: moneyString,
  equity: moneyString,
  margin: decimalString('non-negative'),
  freeMargin: moneyString,
  marginLevel: decimalString('non-negative').nullable(),
  marginMode: marginModeSchema,
  openPositions: z.int().nonnegative(),
  time: isoUtcTimestamp,
});
export type AccountSnapshot = z.infer<typeof accountSnapshotSchema>;

export const AccountSnapshotMessage = defineMessage({
  type: 'exec.account.snapshot',
  v: 1,
  payload: accountSnapshotSchema,
  subject: (snapshot) => Subjects.executionEvent(snapshot.account, ExecutionEventNames.account),
  description: 'Balance, equity and margin of an account',
});
export type AccountSnapshotEnvelope = z.infer<typeof AccountSnapshotMessage.envelope>;

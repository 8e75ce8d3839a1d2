import { z } from 'zod';
import { timeframeSchema } from './market-data.schemas.js';
import { defineMessage } from './message-definition.js';
import { Subjects } from './names.js';
import {
  idString,
  isoUtcTimestamp,
  priceString,
  sideSchema,
  strategyIdString,
  subjectTokenString,
  symbolString,
  venueString,
} from './primitives.schemas.js';

/**
 * A strategy's call on a closed bar. It is advice, not an order: risk-guard sizes it (or denies
 * it) and only then does an order command exist.
 *
 * `barTime` is the open time of the closed bar that produced the signal, i.e. the bar's identity,
 * so `(strategyId, symbol, timeframe, barTime)` names the signal for dedupe on replay.
 */
export const signalSchema = z.strictObject({
  signalId: idString,
  strategyId: strategyIdString,
  /** The strategy implementation (`sma-cross`, `donchian-breakout`); `strategyId` is one configured instance. */
  strategyKind: subjectTokenString('strategyKind'),
  symbol: symbolString,
  venue: venueString,
  timeframe: timeframeSchema,
  barTime: isoUtcTimestamp,
  side: sideSchema,
  /** Conviction in [0, 1]; strategies without a notion of strength send 1. */
  strength: z.number().min(0).max(1),
  /** Why, for the audit trail (`fast SMA 10 crossed above slow SMA 30`). */
  reason: z.string().min(1).max(500),
  /** Reference price the strategy saw (the bar close). */
  price: priceString,
  stopLoss: priceString,
  takeProfit: priceString.optional(),
  /** Average true range at the bar, in price units, when the strategy used it. */
  atr: priceString.optional(),
});
export type Signal = z.infer<typeof signalSchema>;

export const SignalMessage = defineMessage({
  type: 'sig.signal',
  v: 1,
  payload: signalSchema,
  subject: (signal) => Subjects.signal(signal.strategyId, signal.symbol),
  description: 'A strategy signal on a closed bar, before risk',
});
export const signalEnvelopeSchema = SignalMessage.envelope;
export type SignalEnvelope = z.infer<typeof signalEnvelopeSchema>;

import {
  accountString,
  BreakerKinds,
  clientOrderIdString,
  DecisionOutcomes,
  idString,
  orderIntentEnvelopeSchema,
  orderIntentSchema,
  strategyIdString,
  ticketString,
  tradingStateSchema,
  volumeString,
} from '@mt5/contracts';
import { z } from 'zod';
import { OperatorRoles } from '../../application/risk-commands/risk-commands.use-case.js';

/**
 * Request bodies of risk-guard's request/reply subjects (`risk.qry.*`, `risk.ctl.*`). Not in
 * libs/contracts yet: the ops gateway and execution build the same shapes (docs/risk.md lists
 * them); they belong there once both sides settle.
 */

/** Who asks: the ops gateway puts the authenticated key's name and role here. */
export const actorSchema = z.strictObject({ id: z.string().min(1).max(128), role: z.enum(OperatorRoles) });

const reason = z.string().trim().min(1, 'a reason is required').max(500);
const account = accountString.optional();

export const accountQuerySchema = z.strictObject({ account });

export const decisionsQuerySchema = z.strictObject({
  account,
  outcome: z.enum(DecisionOutcomes).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** `nextCursor` of the previous page. */
  before: z.string().min(1).max(200).optional(),
});

export const setStateSchema = z.strictObject({ account, state: tradingStateSchema, reason, actor: actorSchema });

export const resetBreakerSchema = z.strictObject({
  account,
  breaker: z.enum(BreakerKinds),
  /** LOSING_STREAK only: the strategy to release (all when absent). */
  strategyId: strategyIdString.optional(),
  reason,
  actor: actorSchema,
});

export const killSwitchSchema = z.strictObject({ account, reason, actor: actorSchema });

export const closePositionRequestSchema = z.strictObject({
  intentId: idString,
  account,
  positionId: ticketString,
  volume: volumeString.optional(),
  requestedBy: z.string().min(1).max(128),
});

export const cancelOrderRequestSchema = z.strictObject({
  intentId: idString,
  account,
  clientOrderId: clientOrderIdString,
  requestedBy: z.string().min(1).max(128),
  reason: z.string().trim().min(1).max(500).optional(),
});

/** A manual intent: the `risk.submit-order-intent` envelope, or its bare payload. */
export const submitIntentSchema = z.union([orderIntentEnvelopeSchema, orderIntentSchema]);

/** Execution's re-check of a command that waited for the bridge: the command and how long it waited. */
export const recheckSchema = z.object({
  /** The submit-order command (only its clientOrderId is read: the rest is what risk allowed). */
  command: z.looseObject({ clientOrderId: clientOrderIdString }),
  waitedMs: z.number().min(0).default(0),
  reason: z.string().max(500).optional(),
});

import { z } from 'zod';
import { areaErrorCodeSchema } from './error-codes.js';
import { defineMessage } from './message-definition.js';
import { RiskEventNames, Subjects } from './names.js';
import {
  accountString,
  clientOrderIdString,
  decimalString,
  idString,
  isoUtcTimestamp,
  orderTypeSchema,
  priceString,
  sideSchema,
  symbolString,
  volumeString,
} from './primitives.schemas.js';

/** Where an order idea came from: a strategy signal or an operator's manual intent. */
export const DecisionSources = ['SIGNAL', 'MANUAL'] as const;
export type DecisionSource = (typeof DecisionSources)[number];

export const DecisionOutcomes = ['ALLOW', 'DENY'] as const;
export type DecisionOutcome = (typeof DecisionOutcomes)[number];

/** Denial context: `key=value` facts, rendered in insertion order by `formatDenial`. */
export const denialContextSchema = z.record(z.string().min(1).max(64), z.union([z.string().max(200), z.number()]));

/** What was asked for, as risk saw it before sizing. */
export const intentSummarySchema = z.strictObject({
  account: accountString,
  symbol: symbolString,
  side: sideSchema,
  orderType: orderTypeSchema,
  volume: volumeString.optional(),
  price: priceString.optional(),
  stopLoss: priceString.optional(),
  takeProfit: priceString.optional(),
});
export type IntentSummary = z.infer<typeof intentSummarySchema>;

const origin = {
  decisionId: idString,
  source: z.enum(DecisionSources),
  /** Set when source is SIGNAL. */
  signalId: idString.optional(),
  /** Set when source is MANUAL. */
  intentId: idString.optional(),
};

function requireOriginId(decision: { source: DecisionSource; signalId?: string; intentId?: string }, ctx: z.RefinementCtx) {
  if (decision.source === 'SIGNAL' && decision.signalId === undefined) {
    ctx.addIssue({ code: 'custom', path: ['signalId'], message: 'signalId is required when source is SIGNAL' });
  }
  if (decision.source === 'MANUAL' && decision.intentId === undefined) {
    ctx.addIssue({ code: 'custom', path: ['intentId'], message: 'intentId is required when source is MANUAL' });
  }
}

/**
 * Every risk verdict, allowed or denied, for the audit trail. An ALLOW carries the sized volume
 * and the clientOrderId of the submit-order command it produced; a DENY carries the stable code.
 * `message` is `formatDenial(code, context)` for a denial and a short summary for an allow.
 */
export const riskDecisionSchema = z
  .strictObject({
    ...origin,
    intent: intentSummarySchema,
    outcome: z.enum(DecisionOutcomes),
    code: areaErrorCodeSchema('RISK').optional(),
    context: denialContextSchema,
    message: z.string().min(1).max(1000),
    volume: volumeString.optional(),
    clientOrderId: clientOrderIdString.optional(),
    decidedAt: isoUtcTimestamp,
  })
  .superRefine((decision, ctx) => {
    requireOriginId(decision, ctx);
    if (decision.outcome === 'DENY') {
      if (decision.code === undefined) ctx.addIssue({ code: 'custom', path: ['code'], message: 'a DENY needs a RISK.* code' });
      for (const key of ['volume', 'clientOrderId'] as const) {
        if (decision[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: `a DENY has no ${key}` });
      }
    } else {
      if (decision.code !== undefined) ctx.addIssue({ code: 'custom', path: ['code'], message: 'an ALLOW has no code' });
      for (const key of ['volume', 'clientOrderId'] as const) {
        if (decision[key] === undefined) ctx.addIssue({ code: 'custom', path: [key], message: `an ALLOW needs ${key}` });
      }
    }
  });
export type RiskDecision = z.infer<typeof riskDecisionSchema>;

export const RiskDecisionMessage = defineMessage({
  type: 'risk.decision',
  v: 1,
  payload: riskDecisionSchema,
  subject: () => Subjects.riskEvent(RiskEventNames.decision),
  description: 'A risk verdict (allow or deny) on a signal or manual intent',
});
export type RiskDecisionEnvelope = z.infer<typeof RiskDecisionMessage.envelope>;

/** A denial, for alerting and the operator feed. "Denied" is us; "rejected" is the venue. */
export const orderDeniedSchema = z
  .strictObject({
    ...origin,
    account: accountString,
    symbol: symbolString,
    side: sideSchema,
    code: areaErrorCodeSchema('RISK'),
    context: denialContextSchema,
    /** `formatDenial(code, context)`, e.g. `RISK.MAX_LOTS_EXCEEDED: volume=2.5, max=2.0`. */
    message: z.string().min(1).max(1000),
    decidedAt: isoUtcTimestamp,
  })
  .superRefine(requireOriginId);
export type OrderDenied = z.infer<typeof orderDeniedSchema>;

export const OrderDeniedMessage = defineMessage({
  type: 'risk.order-denied',
  v: 1,
  payload: orderDeniedSchema,
  subject: () => Subjects.riskEvent(RiskEventNames.denied),
  description: 'Risk refused an order (stable code plus context)',
});
export type OrderDeniedEnvelope = z.infer<typeof OrderDeniedMessage.envelope>;

/** ACTIVE trades; REDUCING admits only orders that reduce exposure; HALTED only cancels and closes. */
export const TradingStates = ['ACTIVE', 'REDUCING', 'HALTED'] as const;
export type TradingState = (typeof TradingStates)[number];
export const tradingStateSchema = z.enum(TradingStates);

export const tradingStateChangedSchema = z
  .strictObject({
    account: accountString,
    from: tradingStateSchema,
    to: tradingStateSchema,
    /** Who moved it: `breaker:DAILY_LOSS`, or the admin's identity (only an admin moves it back). */
    by: z.string().min(1).max(128),
    reason: z.string().min(1).max(500),
    time: isoUtcTimestamp,
  })
  .refine((change) => change.from !== change.to, { error: 'from and to must differ', path: ['to'] });
export type TradingStateChanged = z.infer<typeof tradingStateChangedSchema>;

export const TradingStateChangedMessage = defineMessage({
  type: 'risk.trading-state.changed',
  v: 1,
  payload: tradingStateChangedSchema,
  subject: () => Subjects.riskEvent(RiskEventNames.state),
  description: 'The trading state of an account changed',
});
export type TradingStateChangedEnvelope = z.infer<typeof TradingStateChangedMessage.envelope>;

export const BreakerKinds = ['DAILY_LOSS', 'MAX_DRAWDOWN', 'LOSING_STREAK', 'EXECUTION_FAILURES', 'KILL_SWITCH'] as const;
export type BreakerKind = (typeof BreakerKinds)[number];

/** CLOSED lets orders through; OPEN has tripped; HALF_OPEN is on probation after a reset. */
export const BreakerStates = ['CLOSED', 'OPEN', 'HALF_OPEN'] as const;
export type BreakerState = (typeof BreakerStates)[number];

export const breakerChangedSchema = z.strictObject({
  account: accountString,
  breaker: z.enum(BreakerKinds),
  state: z.enum(BreakerStates),
  previousState: z.enum(BreakerStates),
  /** The numbers behind the change as decimal strings (`{ dailyLoss: "-523.10", limit: "500" }`). */
  figures: z.record(z.string().min(1).max(64), decimalString('signed')),
  reason: z.string().min(1).max(500),
  time: isoUtcTimestamp,
});
export type BreakerChanged = z.infer<typeof breakerChangedSchema>;

export const BreakerChangedMessage = defineMessage({
  type: 'risk.breaker.changed',
  v: 1,
  payload: breakerChangedSchema,
  subject: () => Subjects.riskEvent(RiskEventNames.breaker),
  description: 'A circuit breaker tripped, reset or went half-open',
});
export type BreakerChangedEnvelope = z.infer<typeof BreakerChangedMessage.envelope>;

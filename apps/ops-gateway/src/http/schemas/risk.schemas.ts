import { BreakerKinds, DecisionOutcomes, strategyIdString, TradingStates } from '@mt5/contracts';
import { z } from 'zod';
import { limitParam, optionalAccount, reasonField } from './common.schemas.js';

export const accountQuery = z.strictObject({ account: optionalAccount });
export const decisionsQuery = z.strictObject({
  account: optionalAccount,
  outcome: z.enum(DecisionOutcomes).optional(),
  limit: limitParam(200).optional(),
  before: z.string().min(1).max(200).optional().meta({ description: '`nextCursor` of the previous page' }),
});

export const setStateBody = z.strictObject({ account: optionalAccount, state: z.enum(TradingStates), reason: reasonField });
export const breakerParam = z.enum(BreakerKinds);
export const resetBreakerBody = z.strictObject({
  account: optionalAccount,
  strategyId: strategyIdString.optional().meta({ description: 'LOSING_STREAK only: the strategy to release (all when absent)' }),
  reason: reasonField,
});
export const killSwitchBody = z.strictObject({ account: optionalAccount, reason: reasonField });

export const tradingStateView = z.looseObject({
  account: z.string(),
  tradingState: z.looseObject({ state: z.enum(TradingStates), since: z.string().nullable() }),
  killSwitch: z.looseObject({ engaged: z.boolean() }),
  snapshot: z.looseObject({ balance: z.string(), equity: z.string() }).nullable().optional(),
}).meta({ id: 'RiskState' });

export const breakersResponse = z.object({
  account: z.string(),
  breakers: z.array(z.object({ breaker: z.enum(BreakerKinds), state: z.string(), figures: z.record(z.string(), z.unknown()) })),
}).meta({ id: 'Breakers' });

export const commandAppliedResponse = z.object({
  account: z.string(),
  tradingState: z.looseObject({ state: z.enum(TradingStates) }),
  events: z.array(z.unknown()).meta({ description: 'what changed; empty when the command asked for what already was' }),
}).meta({ id: 'RiskCommandApplied' });

export const decisionsResponse = z.object({ items: z.array(z.looseObject({ outcome: z.enum(DecisionOutcomes) })), nextCursor: z.string().nullable() }).meta({ id: 'Decisions' });

import { z } from 'zod';

export const strategyIdParam = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'strategy id must be 1..64 characters of A-Z a-z 0-9 _ -');

const expectedVersion = z.int().positive().optional().meta({ description: 'refuse (409) unless the config is still at this version' });

/** Enable or disable: only the optimistic-concurrency guard. */
export const toggleStrategyBody = z.strictObject({ expectedVersion });

/** A parameter value: the signal-engine checks each against the strategy kind's own schema. */
const paramValue = z.union([
  z.number().refine(Number.isFinite, 'parameters must be finite numbers'),
  z.string().max(200),
  z.boolean(),
  z.null(),
]);

export const setParamsBody = z.strictObject({
  params: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'parameter names are identifiers'), paramValue)
    .refine((params) => Object.keys(params).length > 0 && Object.keys(params).length <= 50, 'between 1 and 50 parameters'),
  expectedVersion,
});

export const strategyView = z.looseObject({
  id: z.string(), kind: z.string(), enabled: z.boolean(), version: z.number(), symbols: z.array(z.string()), timeframe: z.string(),
  params: z.record(z.string(), z.unknown()), status: z.unknown(), updatedAt: z.string(),
}).meta({ id: 'Strategy' });
export const strategiesResponse = z.object({ strategies: z.array(strategyView) }).meta({ id: 'Strategies' });

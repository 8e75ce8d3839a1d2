import { isoUtcTimestamp, sideSchema, Subjects } from '@mt5/contracts';
import { z } from 'zod';

/**
 * The signal-engine's request/reply subjects. Queries read (`sig.qry.*`); controls change
 * strategy configs at run time (`sig.ctl.*`). Replies are `{ ok: true, data }` or
 * `{ ok: false, error: { code, message, retryable } }`: a malformed request is
 * MSG.SCHEMA_VIOLATION, invalid parameters OPS.INVALID_REQUEST (every problem listed), an unknown
 * id OPS.NOT_FOUND, a stale `expectedVersion` or a magic number in use OPS.CONFLICT.
 */
export const StrategyControlOps = ['list', 'enable', 'disable', 'set-params', 'upsert', 'reload'] as const;
export type StrategyControlOp = (typeof StrategyControlOps)[number];

export const SignalEngineSubjects = {
  strategiesQuery: () => Subjects.query('signal-engine', 'strategies'),
  signalsQuery: () => Subjects.query('signal-engine', 'signals'),
  /** `sig.ctl.strategies.<op>`: the `strategies` control family, one subject per operation. */
  strategyControl: (op: StrategyControlOp) => `${Subjects.command('signal-engine', 'strategies')}.${op}`,
  seedDefaults: () => Subjects.command('signal-engine', 'seed-defaults'),
} as const;

const id = z.string().min(1).max(64);
const expectedVersion = z.int().positive().optional();

export const emptyRequestSchema = z.strictObject({});
export const idRequestSchema = z.strictObject({ id, expectedVersion });
export const setParamsRequestSchema = z.strictObject({ id, params: z.record(z.string(), z.unknown()), expectedVersion });
/** `origin`: the instance that broadcast the reload (it already rebuilt the strategy itself). */
export const reloadRequestSchema = z.strictObject({ id: id.optional(), origin: z.string().max(100).optional() });
export const seedRequestSchema = z.strictObject({ enable: z.boolean().optional(), venue: z.string().min(1).max(64).optional() });

export const upsertRequestSchema = z.strictObject({
  id,
  expectedVersion,
  config: z.strictObject({
    kind: z.string(),
    name: z.string().min(1).max(200).optional(),
    venue: z.string().optional(),
    symbols: z.array(z.string()).max(200),
    timeframe: z.string(),
    params: z.record(z.string(), z.unknown()).optional(),
    enabled: z.boolean().optional(),
    magic: z.int(),
    account: z.string().nullable().optional(),
    riskPerTradePct: z.string().optional(),
    maxOpenPositions: z.int().optional(),
    maxVolume: z.string().nullable().optional(),
  }),
});

export const signalsQuerySchema = z.strictObject({
  strategyId: z.string().min(1).max(64).optional(),
  symbol: z.string().min(1).max(64).optional(),
  side: sideSchema.optional(),
  /** Bar open time range: `from <= barTime < to`. */
  from: isoUtcTimestamp.optional(),
  to: isoUtcTimestamp.optional(),
  limit: z.int().positive().optional(),
});

import { accountString, isoUtcTimestamp, strategyIdString, symbolString } from '@mt5/contracts';
import { z } from 'zod';

/**
 * Request bodies of the `rpt.qry.*` queries. Times are ISO-8601 UTC; `from` is inclusive and
 * `to` exclusive; trades are selected by their exit time. These belong in libs/contracts once
 * the ops gateway consumes them; until then this file is their one definition.
 */
const range = {
  from: isoUtcTimestamp.optional(),
  to: isoUtcTimestamp.optional(),
};

function orderedRange<T extends { from?: string; to?: string }>(value: T, ctx: z.RefinementCtx): void {
  if (value.from !== undefined && value.to !== undefined && value.from >= value.to) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: 'to must be after from' });
  }
}

export const tradesQuerySchema = z.strictObject({
  account: accountString.optional(),
  strategy: strategyIdString.optional(),
  symbol: symbolString.optional(),
  ...range,
  limit: z.int().min(1).max(500).default(100),
  /** `nextCursor` of the previous page. */
  cursor: z.string().min(1).max(200).optional(),
}).superRefine(orderedRange);
export type TradesQuery = z.infer<typeof tradesQuerySchema>;

export const positionsQuerySchema = z.strictObject({
  account: accountString.optional(),
  symbol: symbolString.optional(),
  status: z.enum(['OPEN', 'CLOSED', 'ALL']).default('OPEN'),
  limit: z.int().min(1).max(500).default(200),
});
export type PositionsQuery = z.infer<typeof positionsQuerySchema>;

export const snapshotsQuerySchema = z.strictObject({
  account: accountString,
  ...range,
  limit: z.int().min(1).max(10_000).default(2000),
}).superRefine(orderedRange);
export type SnapshotsQuery = z.infer<typeof snapshotsQuerySchema>;

export const performanceQuerySchema = z.strictObject({
  account: accountString,
  strategy: strategyIdString.optional(),
  symbol: symbolString.optional(),
  ...range,
}).superRefine(orderedRange);
export type PerformanceQuery = z.infer<typeof performanceQuerySchema>;

export const assessmentQuerySchema = performanceQuerySchema;
export const reportQuerySchema = performanceQuerySchema;

/** Query names under `rpt.qry.<name>`. */
export const ReportingQueryNames = {
  trades: 'trades',
  positions: 'positions',
  snapshots: 'snapshots',
  performance: 'performance',
  assessment: 'assessment',
  report: 'report',
} as const;

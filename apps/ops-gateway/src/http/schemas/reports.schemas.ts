import { accountString, strategyIdString, symbolString } from '@mt5/contracts';
import { z } from 'zod';
import { isoTime, limitParam, passThrough } from './common.schemas.js';

const range = { from: isoTime.optional(), to: isoTime.optional() };

export const tradesQuery = z.strictObject({
  account: accountString.optional(),
  strategy: strategyIdString.optional(),
  symbol: symbolString.optional(),
  ...range,
  limit: limitParam(500).optional(),
  cursor: z.string().min(1).max(200).optional(),
});
export const reportPositionsQuery = z.strictObject({
  account: accountString.optional(),
  symbol: symbolString.optional(),
  status: z.enum(['OPEN', 'CLOSED', 'ALL']).optional(),
  limit: limitParam(500).optional(),
});
/** Performance, assessment and the HTML report: one account (the default when absent), optionally narrowed. */
export const performanceQuery = z.strictObject({
  account: accountString.optional(),
  strategy: strategyIdString.optional(),
  symbol: symbolString.optional(),
  ...range,
});

export const tradesResponse = z.object({ items: z.array(z.looseObject({ netProfit: z.string(), entryTime: z.string(), exitTime: z.string() })), nextCursor: z.string().nullable() })
  .meta({ id: 'Trades' });
export const reportPositionsResponse = z.object({ items: z.array(z.looseObject({ positionId: z.string(), status: z.string() })) }).meta({ id: 'PositionHistory' });
export const performanceResponse = z.looseObject({
  account: z.string(),
  summary: z.looseObject({ trades: z.number(), netProfit: z.string() }),
  breakdowns: passThrough('by strategy, symbol, side, hour and weekday'),
  monthly: z.array(z.unknown()),
  daily: z.array(z.unknown()),
}).meta({ id: 'Performance' });
export const assessmentResponse = z.object({
  subject: z.looseObject({ account: z.string() }),
  findings: z.array(z.looseObject({ code: z.string() })),
  text: z.string(),
}).meta({ id: 'Assessment' });

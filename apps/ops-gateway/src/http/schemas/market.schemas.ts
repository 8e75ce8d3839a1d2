import { barClosedSchema, tickSchema, venueString } from '@mt5/contracts';
import { z } from 'zod';
import { csv, isoTime, limitParam, symbolParam, timeframeParam } from './common.schemas.js';

/** Query strings of the market-data endpoints; each maps one to one onto a `md.qry.*` request. */
export const instrumentsQuery = z.strictObject({ venue: venueString.optional(), symbols: csv(symbolParam, 500).optional() });
export const latestQuery = z.strictObject({
  venue: venueString.optional(),
  symbols: csv(symbolParam, 500).optional(),
  timeframes: csv(timeframeParam, 7).optional().meta({ description: 'comma-separated timeframes (default M1)' }),
});
export const barsQuery = z.strictObject({
  venue: venueString.optional(),
  symbol: symbolParam,
  timeframe: timeframeParam.optional(),
  from: isoTime.optional().meta({ description: 'inclusive open time' }),
  to: isoTime.optional().meta({ description: 'exclusive open time' }),
  limit: limitParam(100_000).optional(),
  after: isoTime.optional().meta({ description: '`next` of the previous page' }),
});
export const coverageQuery = z.strictObject({ venue: venueString.optional(), symbols: csv(symbolParam, 500).optional(), timeframe: timeframeParam.optional() });
export const gapsQuery = z.strictObject({
  venue: venueString.optional(),
  symbol: symbolParam,
  timeframe: timeframeParam.optional(),
  minBars: limitParam(1_000_000).optional(),
  from: isoTime.optional(),
  to: isoTime.optional(),
});

const instrumentSpec = z.looseObject({
  symbol: z.string(), venue: z.string(), digits: z.number(), point: z.number(), tickSize: z.number(), tickValue: z.number(),
  contractSize: z.number(), volumeMin: z.number(), volumeMax: z.number(), volumeStep: z.number(), tradeMode: z.string(),
});
export const instrumentsResponse = z.object({
  instruments: z.array(z.object({ spec: instrumentSpec, specVersion: z.number(), updatedAt: z.string() })),
}).meta({ id: 'Instruments' });
export const barsResponse = z.object({
  bars: z.array(barClosedSchema),
  next: z.string().nullable().meta({ description: 'pass as `after` for the next page; null on the last' }),
}).meta({ id: 'BarsPage' });
export const latestResponse = z.object({
  entries: z.array(z.looseObject({
    venue: z.string(), symbol: z.string(), quote: tickSchema.nullable().optional(), bars: z.record(z.string(), barClosedSchema.nullable()).optional(),
  })),
}).meta({ id: 'LatestMarket' });
export const coverageResponse = z.object({
  series: z.array(z.object({ venue: z.string(), symbol: z.string(), timeframe: z.string(), first: z.string(), last: z.string(), bars: z.number() })),
}).meta({ id: 'Coverage' });
export const gapsResponse = z.looseObject({
  gaps: z.array(z.object({ from: z.string(), to: z.string(), missingBars: z.number() })),
}).meta({ id: 'Gaps' });

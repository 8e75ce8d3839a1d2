import { isoUtcTimestamp, symbolString, timeframeSchema, Timeframes, venueString } from '@mt5/contracts';
import { z } from 'zod';

/**
 * Request bodies of market-data's NATS request/reply API (docs/market-data.md). Every reply is
 * `{ ok: true, data } | { ok: false, error: { code, message, retryable } }` (`serveQuery`).
 * Times are ISO-8601 UTC strings; prices in replies are decimal strings.
 */

const symbols = z.array(symbolString).min(1).max(500);

/** `md.qry.instruments`: specifications with their version. */
export const instrumentsQuerySchema = z.strictObject({ venue: venueString.optional(), symbols: symbols.optional() });

/** `md.qry.bars`: stored bars of one series, oldest first, a page at a time (`next` continues). */
export const barsQuerySchema = z.strictObject({
  venue: venueString.optional(),
  symbol: symbolString,
  timeframe: timeframeSchema.default('M1'),
  /** Inclusive start (open time). */
  from: isoUtcTimestamp.optional(),
  /** Exclusive end (open time). */
  to: isoUtcTimestamp.optional(),
  /** Page size; capped by MD_QUERY_MAX_BARS. */
  limit: z.int().min(1).optional(),
  /** The `next` of the previous page: bars strictly after this open time. */
  after: isoUtcTimestamp.optional(),
});

/** `md.qry.latest`: last quote and latest closed bars from Redis (what is cached; nothing from Postgres). */
export const latestQuerySchema = z.strictObject({
  venue: venueString.optional(),
  symbols: symbols.optional(),
  timeframes: z.array(timeframeSchema).min(1).max(Timeframes.length).default(['M1']),
});

/** `md.qry.coverage`: first, last and count per venue, symbol and timeframe. */
export const coverageQuerySchema = z.strictObject({ venue: venueString.optional(), symbols: symbols.optional(), timeframe: timeframeSchema.optional() });

/** `md.qry.gaps`: missing bars inside the instrument's sessions. */
export const gapsQuerySchema = z.strictObject({
  venue: venueString.optional(),
  symbol: symbolString,
  timeframe: timeframeSchema.default('M1'),
  minBars: z.int().min(1).default(1),
  from: isoUtcTimestamp.optional(),
  to: isoUtcTimestamp.optional(),
});

/** `md.ctl.replay`: starts a replay in the service; poll `md.qry.replay-status` with the returned id. */
export const replayCommandSchema = z.strictObject({
  venue: venueString.optional(),
  symbols,
  timeframe: timeframeSchema.default('M1'),
  from: isoUtcTimestamp,
  to: isoUtcTimestamp,
  /** `"max"` (default) or history-seconds per wall-second, e.g. 60. */
  speed: z.union([z.literal('max'), z.number().positive().max(1e9)]).default('max'),
  tag: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/).optional(),
}).refine((request) => Date.parse(request.to) > Date.parse(request.from), { error: 'to must be after from', path: ['to'] });

/** `md.qry.replay-status`: one replay by id, or all known ones. */
export const replayStatusQuerySchema = z.strictObject({ replayId: z.string().min(1).max(64).optional() });

/** `md.ctl.replay-cancel`. */
export const replayCancelCommandSchema = z.strictObject({ replayId: z.string().min(1).max(64) });

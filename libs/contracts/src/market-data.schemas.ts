import { z } from 'zod';
import { defineMessage } from './message-definition.js';
import { Subjects, Timeframes } from './names.js';
import {
  compareDecimalStrings,
  decimalString,
  isoUtcTimestamp,
  priceString,
  symbolString,
  venueString,
} from './primitives.schemas.js';

export const timeframeSchema = z.enum(Timeframes);

/**
 * A closed bar. `openTime` is the bar's identity (unique per venue, symbol, timeframe);
 * `closeTime` is its exclusive end (openTime + timeframe), the moment it became final.
 * Prices are decimal strings; the schema checks that high and low bound open and close.
 */
export const barClosedSchema = z
  .strictObject({
    venue: venueString,
    symbol: symbolString,
    timeframe: timeframeSchema,
    openTime: isoUtcTimestamp,
    closeTime: isoUtcTimestamp,
    open: priceString,
    high: priceString,
    low: priceString,
    close: priceString,
    /** Number of ticks in the bar (MT5 `tick_volume`). */
    tickVolume: z.int().nonnegative(),
    /** Spread in points (MT5 `spread`), when the source has it. */
    spread: z.int().nonnegative().optional(),
    /** Exchange volume (MT5 `real_volume`, crypto base volume), when the source has it. */
    realVolume: decimalString('non-negative').optional(),
  })
  .superRefine((bar, ctx) => {
    if (!(Date.parse(bar.closeTime) > Date.parse(bar.openTime))) {
      ctx.addIssue({ code: 'custom', path: ['closeTime'], message: `closeTime ${bar.closeTime} must be after openTime ${bar.openTime}` });
    }
    const prices = { open: bar.open, high: bar.high, low: bar.low, close: bar.close };
    // Only compare once every price is a valid decimal; the field issues already say what is wrong.
    if (!Object.values(prices).every((p) => priceString.safeParse(p).success)) return;
    for (const key of ['open', 'low', 'close'] as const) {
      if (compareDecimalStrings(bar.high, prices[key]) < 0) {
        ctx.addIssue({ code: 'custom', path: ['high'], message: `high ${bar.high} is below ${key} ${prices[key]}` });
      }
    }
    for (const key of ['open', 'close'] as const) {
      if (compareDecimalStrings(bar.low, prices[key]) > 0) {
        ctx.addIssue({ code: 'custom', path: ['low'], message: `low ${bar.low} is above ${key} ${prices[key]}` });
      }
    }
  });
export type BarClosed = z.infer<typeof barClosedSchema>;

export const BarClosedMessage = defineMessage({
  type: 'md.bar.closed',
  v: 1,
  payload: barClosedSchema,
  subject: (bar) => Subjects.bar(bar.venue, bar.symbol, bar.timeframe),
  description: 'A bar that has closed; never a still-forming bar',
});
export const barClosedEnvelopeSchema = BarClosedMessage.envelope;
export type BarClosedEnvelope = z.infer<typeof barClosedEnvelopeSchema>;

/**
 * A live quote. `time` is the quote time in UTC (converted from broker server time by the
 * gateway). A crossed quote (ask below bid) is passed through as received: some feeds show one
 * for an instant, and the consumer decides what to do with it.
 */
export const tickSchema = z.strictObject({
  venue: venueString,
  symbol: symbolString,
  time: isoUtcTimestamp,
  bid: priceString,
  ask: priceString,
  last: priceString.optional(),
  volume: decimalString('non-negative').optional(),
});
export type Tick = z.infer<typeof tickSchema>;

export const TickMessage = defineMessage({
  type: 'md.tick',
  v: 1,
  payload: tickSchema,
  subject: (tick) => Subjects.tick(tick.venue, tick.symbol),
  description: 'A live bid/ask quote from a venue',
});
export const tickEnvelopeSchema = TickMessage.envelope;
export type TickEnvelope = z.infer<typeof tickEnvelopeSchema>;

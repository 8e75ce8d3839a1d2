import { BreakerStates, MarginModes, Sides } from '@mt5/contracts';
import { z } from 'zod';

/**
 * Shapes of the JSON risk-guard keeps in `breaker_states.counters`. Restoring parses them, so a
 * row written by another version (or edited by hand) fails the start loudly instead of feeding
 * the breakers `undefined`.
 */
const time = z.number();
const maybeTime = z.number().nullable();
const closedOrOpen = z.enum(['CLOSED', 'OPEN']);

export const snapshotFiguresSchema = z.object({ time, balance: z.number(), equity: z.number() });

export const dailyLossCountersSchema = z.object({
  dailyLoss: z.object({ status: closedOrOpen, dayStart: maybeTime, dayStartBalance: z.number().nullable(), trippedAt: maybeTime }),
  lastSnapshot: snapshotFiguresSchema.nullable(),
});

export const drawdownCountersSchema = z.object({ status: closedOrOpen, peakEquity: z.number().nullable(), trippedAt: maybeTime });

export const losingStreakCountersSchema = z.record(z.string(), z.object({ consecutiveLosses: z.number().int().min(0), blockedUntil: maybeTime }));

export const executionCountersSchema = z.object({
  status: z.enum(BreakerStates),
  consecutiveFailures: z.number().int().min(0),
  consecutiveOpens: z.number().int().min(0),
  openedAt: maybeTime,
  retryAt: maybeTime,
  recentResults: z.array(z.boolean()),
});

export const killSwitchCountersSchema = z.object({ engaged: z.boolean(), at: maybeTime, by: z.string().nullable(), reason: z.string().nullable() });

const positionSchema = z.object({
  positionId: z.string(), symbol: z.string(), side: z.enum(Sides), volume: z.number().positive(), openPrice: z.number(), openTime: time, realizedProfit: z.number(),
});

export const accountContextSchema = z.object({
  facts: z.object({
    currency: z.string(), balance: z.number(), equity: z.number(), margin: z.number(), freeMargin: z.number(), leverage: z.number().positive(),
    marginMode: z.enum(MarginModes), time,
  }).nullable(),
  positions: z.array(positionSchema),
  positionMeta: z.record(z.string(), z.object({ strategyId: z.string().nullable(), netProfit: z.number(), snapshotTime: time })),
  closedPositions: z.array(z.string()),
  pendingOrders: z.record(z.string(), z.object({ symbol: z.string(), side: z.enum(Sides), volume: z.number().positive(), price: z.number(), validUntil: time })).default({}),
});

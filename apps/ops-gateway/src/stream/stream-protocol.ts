import { z } from 'zod';

/**
 * The live stream's client messages (JSON text frames). Server frames: `welcome`, `subscribed`,
 * `unsubscribed`, `event`, `heartbeat`, `pong`, `error` (see docs/ops-gateway.md).
 */
const channels = z.array(z.string().max(100)).min(1).max(50);
export const clientMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('auth'), key: z.string().max(200) }),
  z.strictObject({ type: z.literal('subscribe'), channels }),
  z.strictObject({ type: z.literal('unsubscribe'), channels }),
  z.strictObject({ type: z.literal('ping') }),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

/** Close codes: 4401 not authenticated in time or bad key, 4408 idle, 4409 too slow, 1013 too many connections. */
export const CloseCodes = {
  unauthenticated: 4401,
  idle: 4408,
  slowConsumer: 4409,
  tooManyConnections: 1013,
  shuttingDown: 1001,
} as const;

/** Channels one connection may hold at once. */
export const MAX_CHANNELS_PER_CONNECTION = 100;

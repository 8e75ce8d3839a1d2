import { z } from 'zod';
import { defineMessage } from './message-definition.js';
import { ExecutionEventNames, Subjects } from './names.js';
import { accountString, isoUtcTimestamp } from './primitives.schemas.js';

/**
 * How the execution service sees its bridge to one terminal. Published on change and
 * periodically; also the answer to `exec.qry.bridge-health`.
 */
export const bridgeHealthSchema = z.strictObject({
  account: accountString,
  /** A session passed the hello and is alive. */
  connected: z.boolean(),
  /** Last heartbeat from the terminal; null before the first. */
  lastHeartbeat: isoUtcTimestamp.nullable(),
  /** Round trip of the last heartbeat in milliseconds; null before the first. */
  latencyMs: z.number().nonnegative().nullable(),
  /** Reconciliation after (re)connect is running: new orders wait. */
  reconciling: z.boolean(),
  /** 0 (unusable) to 100 (healthy); the formula lives with the execution service. */
  healthScore: z.int().min(0).max(100),
  time: isoUtcTimestamp,
});
export type BridgeHealth = z.infer<typeof bridgeHealthSchema>;

export const BridgeHealthMessage = defineMessage({
  type: 'exec.bridge.health',
  v: 1,
  payload: bridgeHealthSchema,
  subject: (health) => Subjects.executionEvent(health.account, ExecutionEventNames.bridge),
  description: 'Connection and reconciliation state of the bridge to one terminal',
});
export type BridgeHealthEnvelope = z.infer<typeof BridgeHealthMessage.envelope>;

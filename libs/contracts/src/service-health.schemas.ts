import { z } from 'zod';
import { defineMessage } from './message-definition.js';
import { ServiceNames, Subjects } from './names.js';
import { isoUtcTimestamp } from './primitives.schemas.js';

export const HealthStatuses = ['ok', 'degraded', 'down'] as const;
export type HealthStatus = (typeof HealthStatuses)[number];
export const healthStatusSchema = z.enum(HealthStatuses);

/** One dependency or internal check (`postgres`, `nats`, `bridge:12345678`). */
export const healthCheckSchema = z.strictObject({
  status: healthStatusSchema,
  /** What is wrong, or a figure worth seeing (`lag=3s`). */
  detail: z.string().max(500).optional(),
});

/** A service's reply on `<prefix>.qry.health`. `status` is the worst of its checks. */
export const serviceHealthSchema = z.strictObject({
  service: z.enum(ServiceNames),
  status: healthStatusSchema,
  checks: z.record(z.string().min(1).max(64), healthCheckSchema),
  version: z.string().min(1).max(64),
  uptimeSeconds: z.number().nonnegative(),
  time: isoUtcTimestamp,
});
export type ServiceHealth = z.infer<typeof serviceHealthSchema>;

export const ServiceHealthMessage = defineMessage({
  type: 'svc.health',
  v: 1,
  payload: serviceHealthSchema,
  subject: (health) => Subjects.health(health.service),
  description: 'Health reply of one service',
});
export type ServiceHealthEnvelope = z.infer<typeof ServiceHealthMessage.envelope>;

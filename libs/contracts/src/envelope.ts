import { z } from 'zod';
import { isoUtcTimestamp } from './primitives.schemas.js';

/**
 * The one message envelope. `id` doubles as the JetStream `Nats-Msg-Id`, so a republished
 * message inside the stream's duplicate window is dropped by the server.
 * `tsEvent` is when the fact happened (bar close, fill time); `tsInit` when this message was made.
 * Both are ISO-8601 UTC strings with a `Z` suffix (offsets are rejected: strings must compare in time order).
 */
export interface Envelope<T = unknown> {
  readonly type: string;
  readonly v: number;
  readonly id: string;
  readonly correlationId: string;
  readonly causationId: string | null;
  readonly tsEvent: string;
  readonly tsInit: string;
  readonly data: T;
}

/** Envelope fields without the payload, for consumers that route before parsing `data`. */
export const envelopeHeaderSchema = z.object({
  type: z.string().min(1),
  v: z.number().int().positive(),
  id: z.string().min(1).max(200),
  correlationId: z.string().min(1).max(200),
  causationId: z.string().min(1).max(200).nullable(),
  tsEvent: isoUtcTimestamp,
  tsInit: isoUtcTimestamp,
  data: z.unknown(),
});

/** Builds the strict schema for an envelope of one message type and version. */
export function envelopeSchema<TType extends string, TData extends z.ZodType>(type: TType, v: number, data: TData) {
  return envelopeHeaderSchema.extend({ type: z.literal(type), v: z.literal(v), data }).strict();
}

export interface EnvelopeInit<T> {
  readonly type: string;
  readonly v?: number;
  readonly id: string;
  readonly data: T;
  readonly tsEvent: Date | string;
  readonly tsInit: Date | string;
  /** The message that caused this one; its correlation id is inherited. */
  readonly cause?: Pick<Envelope, 'id' | 'correlationId'>;
  readonly correlationId?: string;
}

/** Makes an envelope. Time comes in as an argument so tests own the clock. */
export function makeEnvelope<T>(init: EnvelopeInit<T>): Envelope<T> {
  const toIso = (t: Date | string) => (typeof t === 'string' ? t : t.toISOString());
  return {
    type: init.type,
    v: init.v ?? 1,
    id: init.id,
    correlationId: init.cause?.correlationId ?? init.correlationId ?? init.id,
    causationId: init.cause?.id ?? null,
    tsEvent: toIso(init.tsEvent),
    tsInit: toIso(init.tsInit),
    data: init.data,
  };
}

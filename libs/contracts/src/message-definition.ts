import { z } from 'zod';
import { envelopeSchema, makeEnvelope, type EnvelopeInit } from './envelope.js';
import { describeZodError } from './primitives.schemas.js';

/**
 * One message kind on the bus: its `type` string, its version, the payload schema, the strict
 * envelope schema built from them, and the subject it is published on.
 *
 * A payload schema is strict (unknown keys fail). Adding a field is therefore a new version: the
 * producer publishes `v + 1`, and consumers list both definitions until the old one drains.
 */
export interface MessageDefinition<TType extends string, TVersion extends number, TPayload extends z.ZodType> {
  readonly type: TType;
  readonly v: TVersion;
  readonly payload: TPayload;
  readonly envelope: ReturnType<typeof envelopeSchema<TType, TPayload>>;
  /** The subject this message is published on, rendered from its own payload. */
  readonly subject: (data: z.output<TPayload>) => string;
  /** One line for operators (`nats stream info`, docs). */
  readonly description: string;
}

/** Any message definition, for registries and generic consumers. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyMessageDefinition = MessageDefinition<string, number, any>;

/** Payload type of a definition. */
export type PayloadOf<D extends AnyMessageDefinition> = z.output<D['payload']>;
/** Envelope type of a definition (type and version narrowed to literals). */
export type EnvelopeOf<D extends AnyMessageDefinition> = z.output<D['envelope']>;

/** Declares a message kind; see {@link MessageDefinition}. */
export function defineMessage<TType extends string, TVersion extends number, TPayload extends z.ZodType>(spec: {
  type: TType;
  v: TVersion;
  payload: TPayload;
  subject: (data: z.output<TPayload>) => string;
  description: string;
}): MessageDefinition<TType, TVersion, TPayload> {
  return { ...spec, envelope: envelopeSchema(spec.type, spec.v, spec.payload) };
}

/**
 * Makes a validated envelope for a definition. The whole envelope is parsed (payload, ids,
 * timestamps): a producer that builds an invalid message has a bug, so this throws, with every
 * violation on one line, rather than let a consumer discover it later.
 */
export function createMessage<D extends AnyMessageDefinition>(
  definition: D,
  init: Omit<EnvelopeInit<PayloadOf<D>>, 'type' | 'v'>,
): EnvelopeOf<D> {
  const candidate = makeEnvelope({ ...init, type: definition.type, v: definition.v });
  const parsed = definition.envelope.safeParse(candidate);
  if (!parsed.success) {
    throw new Error(`createMessage(${definition.type} v${definition.v}): ${describeZodError(parsed.error)}`);
  }
  return parsed.data as EnvelopeOf<D>;
}

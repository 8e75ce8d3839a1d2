import { BridgeHealthMessage } from './bridge-health.schemas.js';
import type { ErrorCodeOf } from './error-codes.js';
import { AccountSnapshotMessage, DealExecutedMessage, PositionClosedMessage, PositionSnapshotMessage } from './execution.schemas.js';
import { BarClosedMessage, TickMessage } from './market-data.schemas.js';
import type { AnyMessageDefinition, EnvelopeOf } from './message-definition.js';
import { OrderEventMessages } from './order-events.schemas.js';
import { OrderCommandMessages, OrderIntentMessage } from './orders.schemas.js';
import { describeZodError } from './primitives.schemas.js';
import { BreakerChangedMessage, OrderDeniedMessage, RiskDecisionMessage, TradingStateChangedMessage } from './risk.schemas.js';
import { ServiceHealthMessage } from './service-health.schemas.js';
import { SignalMessage } from './signals.schemas.js';

/** Every message definition on the bus. */
export const AllMessages = [
  BarClosedMessage, TickMessage,
  SignalMessage,
  OrderIntentMessage, ...OrderCommandMessages,
  ...OrderEventMessages, DealExecutedMessage, PositionSnapshotMessage, PositionClosedMessage, AccountSnapshotMessage,
  BridgeHealthMessage,
  RiskDecisionMessage, OrderDeniedMessage, TradingStateChangedMessage, BreakerChangedMessage,
  ServiceHealthMessage,
] as const satisfies readonly AnyMessageDefinition[];

/** Any envelope of a registered message. */
export type AnyEnvelope = EnvelopeOf<(typeof AllMessages)[number]>;
/** Every registered `type` string. */
export type MessageType = (typeof AllMessages)[number]['type'];

export type ParseMessageResult<D extends AnyMessageDefinition> =
  | { readonly ok: true; readonly definition: D; readonly envelope: EnvelopeOf<D> }
  | {
      readonly ok: false;
      readonly code: ErrorCodeOf<'MSG'>;
      /** One line, safe for a NATS header: why the message goes to the DLQ. */
      readonly message: string;
      /** The envelope id when it could be read, for logs and the DLQ copy. */
      readonly id?: string;
    };

/**
 * Parses a raw message against a set of definitions (default: all) and never throws, so a
 * consumer can `term` and park what fails: MSG.MALFORMED for bytes that are not UTF-8 JSON,
 * MSG.UNKNOWN_TYPE for a type outside the set, MSG.UNSUPPORTED_VERSION for a known type in
 * another version, MSG.SCHEMA_VIOLATION for anything else wrong.
 */
export function parseMessage<const D extends AnyMessageDefinition = (typeof AllMessages)[number]>(
  raw: string | Uint8Array,
  definitions: readonly D[] = AllMessages as unknown as readonly D[],
): ParseMessageResult<D> {
  let value: unknown;
  try {
    const text = typeof raw === 'string' ? raw : new TextDecoder('utf-8', { fatal: true }).decode(raw);
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, code: 'MSG.MALFORMED', message: `not UTF-8 JSON: ${(error as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, code: 'MSG.SCHEMA_VIOLATION', message: 'message is not a JSON object' };
  }
  const header = value as Record<string, unknown>;
  const id = typeof header.id === 'string' ? header.id : undefined;
  const sameType = definitions.filter((definition) => definition.type === header.type);
  if (sameType.length === 0) {
    return { ok: false, code: 'MSG.UNKNOWN_TYPE', message: `no schema for type ${JSON.stringify(header.type)}`, id };
  }
  const definition = sameType.find((candidate) => candidate.v === header.v);
  if (!definition) {
    const known = sameType.map((candidate) => candidate.v).join(', ');
    return { ok: false, code: 'MSG.UNSUPPORTED_VERSION', message: `${String(header.type)} v${JSON.stringify(header.v)} is not supported (known: ${known})`, id };
  }
  const parsed = definition.envelope.safeParse(value);
  if (!parsed.success) {
    return { ok: false, code: 'MSG.SCHEMA_VIOLATION', message: `${definition.type} v${definition.v}: ${describeZodError(parsed.error)}`, id };
  }
  return { ok: true, definition, envelope: parsed.data as EnvelopeOf<D> };
}

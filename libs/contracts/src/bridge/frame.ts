import { z } from 'zod';
import { AppError } from '../app-error.js';
import type { ErrorCodeOf } from '../error-codes.js';
import { describeZodError } from '../primitives.schemas.js';
import {
  accountBodySchema,
  accountRequestBodySchema,
  dealsBodySchema,
  dealsRequestBodySchema,
  ordersBodySchema,
  ordersRequestBodySchema,
  positionsBodySchema,
  positionsRequestBodySchema,
} from './account.schemas.js';
import {
  barsBodySchema,
  barsRequestBodySchema,
  symbolSpecBodySchema,
  symbolsRequestBodySchema,
  tickBodySchema,
  ticksSubscribeBodySchema,
} from './market.schemas.js';
import { challengeBodySchema, errorBodySchema, heartbeatBodySchema, helloBodySchema, welcomeBodySchema } from './session.schemas.js';
import { tradeRequestBodySchema, tradeResultBodySchema, tradeTransactionBodySchema } from './trade.schemas.js';
import { utcTimeMs } from './values.schemas.js';

/**
 * Bridge protocol v1: newline-delimited JSON frames over TCP (TLS optional), one frame per line,
 * UTF-8. Every frame is `{ v: 1, kind, id, replyTo?, ts, body }`:
 * - `id` is unique per sender and connection (a counter is fine); a reply sets `replyTo` to the
 *   request's id, unsolicited frames (tick, trade_transaction, pushed account) have none;
 * - `ts` is the sender's UTC clock in epoch milliseconds;
 * - `body` is strict per kind: an unknown field is a schema violation, so both sides move
 *   versions together.
 * Direction: G = gateway (execution service), T = terminal (EA or mt5-simulator).
 */
export const BridgeBodySchemas = {
  /** G→T: handshake nonce. */
  challenge: challengeBodySchema,
  /** T→G: identity and HMAC of the nonce. */
  hello: helloBodySchema,
  /** G→T: session open. */
  welcome: welcomeBodySchema,
  /** Both ways; answered with replyTo. */
  heartbeat: heartbeatBodySchema,
  /** Both ways. */
  error: errorBodySchema,
  /** G→T → `symbol_spec`. */
  symbols_request: symbolsRequestBodySchema,
  /** T→G. */
  symbol_spec: symbolSpecBodySchema,
  /** G→T: which symbols to stream ticks for. */
  ticks_subscribe: ticksSubscribeBodySchema,
  /** T→G, unsolicited. */
  tick: tickBodySchema,
  /** G→T → `bars`. */
  bars_request: barsRequestBodySchema,
  /** T→G. */
  bars: barsBodySchema,
  /** G→T → `account`. */
  account_request: accountRequestBodySchema,
  /** T→G, reply or pushed on change. */
  account: accountBodySchema,
  /** G→T → `positions`. */
  positions_request: positionsRequestBodySchema,
  /** T→G. */
  positions: positionsBodySchema,
  /** G→T → `orders`. */
  orders_request: ordersRequestBodySchema,
  /** T→G. */
  orders: ordersBodySchema,
  /** G→T → `deals`. */
  deals_request: dealsRequestBodySchema,
  /** T→G. */
  deals: dealsBodySchema,
  /** G→T → `trade_result`. */
  trade_request: tradeRequestBodySchema,
  /** T→G. */
  trade_result: tradeResultBodySchema,
  /** T→G, unsolicited, sequenced. */
  trade_transaction: tradeTransactionBodySchema,
} as const;

export type BridgeFrameKind = keyof typeof BridgeBodySchemas;
export const BridgeFrameKinds = Object.keys(BridgeBodySchemas) as BridgeFrameKind[];
export type BridgeBody<K extends BridgeFrameKind> = z.output<(typeof BridgeBodySchemas)[K]>;

/** The protocol version this package reads and writes. */
export const BRIDGE_PROTOCOL_VERSION = 1;

/** Default line limit (1 MiB): a large deals or bars reply fits; a runaway line does not. */
export const DEFAULT_MAX_FRAME_BYTES = 1_048_576;

const frameIdSchema = z.string().min(1).max(64);

function frameSchemaFor<K extends BridgeFrameKind>(kind: K) {
  return z.strictObject({
    v: z.literal(BRIDGE_PROTOCOL_VERSION),
    kind: z.literal(kind),
    id: frameIdSchema,
    replyTo: frameIdSchema.optional(),
    ts: utcTimeMs,
    body: BridgeBodySchemas[kind],
  });
}

type FrameSchemas = { [K in BridgeFrameKind]: ReturnType<typeof frameSchemaFor<K>> };
const frameSchemas = Object.fromEntries(BridgeFrameKinds.map((kind) => [kind, frameSchemaFor(kind)])) as FrameSchemas;

/** A frame of one kind (default: any kind). */
export type BridgeFrame<K extends BridgeFrameKind = BridgeFrameKind> = { [P in K]: z.output<FrameSchemas[P]> }[K];

/** Strict schema of a frame of one kind. */
export function bridgeFrameSchema<K extends BridgeFrameKind>(kind: K): FrameSchemas[K] {
  return frameSchemas[kind];
}

export type ParseFrameResult =
  | { readonly ok: true; readonly frame: BridgeFrame }
  | {
      readonly ok: false;
      readonly code: Extract<ErrorCodeOf<'BRIDGE'>, 'BRIDGE.FRAME_TOO_LARGE' | 'BRIDGE.MALFORMED' | 'BRIDGE.UNSUPPORTED_VERSION' | 'BRIDGE.SCHEMA_VIOLATION'>;
      readonly message: string;
      /** The frame's id when it could be read, for the `refId` of an error reply. */
      readonly refId?: string;
    };

/** UTF-8 length of a string without allocating (lone surrogates count 3, as TextEncoder writes U+FFFD). */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function isKind(kind: unknown): kind is BridgeFrameKind {
  return typeof kind === 'string' && Object.hasOwn(BridgeBodySchemas, kind);
}

/**
 * Parses one line (without its newline; a trailing `\r` is tolerated) into a frame. Never throws.
 * Checks, in order: size (`maxBytes`, UTF-8 bytes) → BRIDGE.FRAME_TOO_LARGE; JSON →
 * BRIDGE.MALFORMED; `v` → BRIDGE.UNSUPPORTED_VERSION; known `kind` and the kind's schema →
 * BRIDGE.SCHEMA_VIOLATION. A line reader should also stop buffering at `maxBytes` without a
 * newline, rather than hold an unbounded line in memory before calling this.
 */
export function parseFrame(line: string, maxBytes: number = DEFAULT_MAX_FRAME_BYTES): ParseFrameResult {
  const text = line.endsWith('\r') ? line.slice(0, -1) : line;
  // Each UTF-16 unit is at least one byte and at most three, so only lines in between need counting.
  if (text.length > maxBytes || (text.length * 3 > maxBytes && utf8ByteLength(text) > maxBytes)) {
    return { ok: false, code: 'BRIDGE.FRAME_TOO_LARGE', message: `frame exceeds ${maxBytes} bytes` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, code: 'BRIDGE.MALFORMED', message: `not JSON: ${(error as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, code: 'BRIDGE.SCHEMA_VIOLATION', message: 'frame is not a JSON object' };
  }
  const header = value as Record<string, unknown>;
  const refId = typeof header.id === 'string' ? header.id : undefined;
  if (header.v !== BRIDGE_PROTOCOL_VERSION) {
    return { ok: false, code: 'BRIDGE.UNSUPPORTED_VERSION', message: `protocol version ${JSON.stringify(header.v)} is not supported (this side speaks ${BRIDGE_PROTOCOL_VERSION})`, refId };
  }
  if (!isKind(header.kind)) {
    return { ok: false, code: 'BRIDGE.SCHEMA_VIOLATION', message: `unknown frame kind ${JSON.stringify(header.kind)}`, refId };
  }
  const parsed = frameSchemas[header.kind].safeParse(value);
  if (!parsed.success) {
    return { ok: false, code: 'BRIDGE.SCHEMA_VIOLATION', message: `${header.kind}: ${describeZodError(parsed.error)}`, refId };
  }
  return { ok: true, frame: parsed.data as BridgeFrame };
}

/**
 * Renders a frame as one line, newline included, ready to write to the socket. The frame is
 * validated first: writing an invalid frame is a bug on this side, so it throws an AppError
 * (BRIDGE.SCHEMA_VIOLATION, or BRIDGE.FRAME_TOO_LARGE past `maxBytes`).
 */
export function encodeFrame(frame: BridgeFrame, maxBytes: number = DEFAULT_MAX_FRAME_BYTES): string {
  const schema = isKind(frame.kind) ? frameSchemas[frame.kind] : undefined;
  const parsed = schema?.safeParse(frame);
  if (!parsed?.success) {
    const detail = parsed ? describeZodError(parsed.error) : `unknown frame kind ${JSON.stringify(frame.kind)}`;
    throw new AppError('BRIDGE.SCHEMA_VIOLATION', `encodeFrame: ${detail}`);
  }
  const line = JSON.stringify(parsed.data);
  if (utf8ByteLength(line) > maxBytes) {
    throw new AppError('BRIDGE.FRAME_TOO_LARGE', `encodeFrame: ${frame.kind} frame exceeds ${maxBytes} bytes`);
  }
  return `${line}\n`;
}

/** Builds a frame; time comes in as an argument so tests own the clock. */
export function makeFrame<K extends BridgeFrameKind>(
  kind: K,
  body: BridgeBody<K>,
  meta: { readonly id: string; readonly ts: number | Date; readonly replyTo?: string },
): BridgeFrame<K> {
  const ts = typeof meta.ts === 'number' ? meta.ts : meta.ts.getTime();
  const frame = { v: BRIDGE_PROTOCOL_VERSION, kind, id: meta.id, ts, body, ...(meta.replyTo === undefined ? {} : { replyTo: meta.replyTo }) };
  return frame as unknown as BridgeFrame<K>;
}

import { z } from 'zod';
import { accountString } from '../primitives.schemas.js';
import { mt5MarginModeSchema } from './mt5-enums.js';

/**
 * Session frames: the handshake, heartbeats and errors.
 *
 * Handshake (the EA connects out to the gateway, because MQL5 sockets are clients):
 * 1. The gateway sends `challenge` with a fresh random `nonce` (32 random bytes, 64 hex chars),
 *    and nothing else until the hello.
 * 2. The terminal answers `hello` (`replyTo` = the challenge id) with who it is and
 *    `hmac = hex(HMAC-SHA256(key = shared secret, message = nonce as ASCII))`, lowercase.
 *    The secret is per account: the gateway picks it by `account` and compares in constant time.
 * 3. On success the gateway sends `welcome` (`replyTo` = the hello id) and the session is open;
 *    it then reconciles (orders, positions, deals) before any trade request. On failure it sends
 *    `error` (BRIDGE.AUTH_FAILED, BRIDGE.ACCOUNT_MISMATCH, BRIDGE.UNSUPPORTED_VERSION) and closes.
 *    No valid hello within the handshake timeout: BRIDGE.HANDSHAKE_TIMEOUT, close.
 * A nonce is used once, so a recorded hello cannot be replayed. The HMAC is computed outside this
 * package (node:crypto in the gateway, CryptDecode/CryptEncode helpers in the EA).
 *
 * Heartbeats: either side sends `heartbeat` every `heartbeatIntervalMs`; the other answers with
 * a `heartbeat` whose `replyTo` is that id (the round trip is the bridge latency). A side that
 * hears nothing for three intervals drops the connection (BRIDGE.HEARTBEAT_TIMEOUT).
 */

/** The protocol versions this package speaks. */
export const BridgeProtocolVersions = [1] as const;
export type BridgeProtocolVersion = (typeof BridgeProtocolVersions)[number];

/** Gateway → terminal, first frame on a connection. */
export const challengeBodySchema = z.strictObject({
  nonce: z.string().regex(/^[0-9a-f]{32,256}$/, { error: 'nonce must be 32..256 lowercase hex characters' }),
  /** Versions the gateway accepts; the terminal picks one for its hello. */
  protocolVersions: z.array(z.int().positive()).min(1),
});

/** Terminal → gateway, answer to the challenge. */
export const helloBodySchema = z.strictObject({
  /** The platform account id this terminal serves (configured in the EA). */
  account: accountString,
  /** MT5 login number (`ACCOUNT_LOGIN`). */
  login: z.int().positive(),
  /** Trade server name (`ACCOUNT_SERVER`). */
  server: z.string().min(1).max(128),
  /** Broker (`ACCOUNT_COMPANY`). */
  company: z.string().max(128),
  protocolVersion: z.literal(1),
  /** `TERMINAL_BUILD`. */
  terminalBuild: z.int().positive(),
  eaVersion: z.string().min(1).max(32),
  /** Random per EA start; with `trade_transaction.seq` it is the dedupe key of transactions. */
  eaInstanceId: z.string().min(8).max(64),
  /** `TimeTradeServer() - TimeGMT()` now, in seconds. */
  serverTimeOffsetSeconds: z.int(),
  marginMode: mt5MarginModeSchema,
  /** Algo trading enabled in terminal and account. */
  tradeAllowed: z.boolean(),
  hmac: z.string().regex(/^[0-9a-f]{64}$/, { error: 'hmac must be 64 lowercase hex characters (HMAC-SHA256)' }),
});

/** Gateway → terminal, the session is open. */
export const welcomeBodySchema = z.strictObject({
  sessionId: z.string().min(1).max(64),
  heartbeatIntervalMs: z.int().positive(),
  /** Largest frame, in UTF-8 bytes including the newline, the gateway accepts. */
  maxFrameBytes: z.int().positive(),
});

/** Either way. The terminal's heartbeats also report its own state. */
export const heartbeatBodySchema = z.strictObject({
  /** Terminal only: connected to the trade server (`TERMINAL_CONNECTED`). */
  terminalConnected: z.boolean().optional(),
  /** Terminal only: algo trading allowed now. */
  tradeAllowed: z.boolean().optional(),
  /** Terminal only: current server-time offset in seconds. */
  serverTimeOffsetSeconds: z.int().optional(),
});

/** Either way: something went wrong with a frame or a request. */
export const errorBodySchema = z.strictObject({
  /** A registered code (`BRIDGE.SCHEMA_VIOLATION`) or one the EA defines in the same `AREA.NAME` form. */
  code: z.string().regex(/^[A-Z]+\.[A-Z0-9_]+$/, { error: 'code must look like AREA.NAME' }),
  message: z.string().max(1000),
  /** The id of the frame this error is about, when known. */
  refId: z.string().min(1).max(64).optional(),
});

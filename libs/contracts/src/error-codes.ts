import { z } from 'zod';

/**
 * Stable error and denial codes, grouped by area. A code never changes meaning once shipped;
 * add a new one instead. Codes are strings because `instanceof` does not cross a process.
 *
 * `retryable` answers one question: may the same request, unchanged, succeed if tried again
 * later? It is never a licence to resend an order whose outcome is unknown (EXEC.OUTCOME_UNKNOWN
 * is not retryable: query the terminal and settle it).
 */
export const ErrorCodes = {
  RISK: {
    MAX_LOTS_EXCEEDED: { description: 'Requested or sized volume is above the per-order lot limit', retryable: false },
    INSUFFICIENT_MARGIN: { description: 'Free margin after the order would fall below the configured floor', retryable: false },
    TRADING_HALTED: { description: 'Trading state is HALTED: only cancels and closes pass', retryable: false },
    REDUCE_ONLY: { description: 'Trading state is REDUCING and the order would add exposure', retryable: false },
    BREAKER_OPEN: { description: 'A circuit breaker is open for this account', retryable: false },
    STALE_MARKET_DATA: { description: 'The last quote is older than the allowed age', retryable: true },
    RATE_LIMITED: { description: 'Too many orders in the current window', retryable: true },
    DUPLICATE_SIGNAL: { description: 'This signal was already decided', retryable: false },
    UNKNOWN_INSTRUMENT: { description: 'No instrument specification for the symbol on this venue', retryable: false },
    MARKET_CLOSED: { description: 'The symbol is outside its trading session', retryable: false },
    INVALID_VOLUME: { description: 'Volume is below the minimum, above the maximum, or off the volume step', retryable: false },
    INVALID_STOPS: { description: 'Stop loss or take profit is on the wrong side or inside the stops level', retryable: false },
    SPREAD_TOO_WIDE: { description: 'Current spread is wider than the configured maximum', retryable: false },
    MAX_POSITIONS: { description: 'Opening would exceed the maximum number of open positions', retryable: false },
    MAX_EXPOSURE: { description: 'Opening would exceed the maximum exposure per symbol or account', retryable: false },
    NO_STOP_LOSS: { description: 'The order has no stop loss and policy requires one', retryable: false },
    NO_ACCOUNT_SNAPSHOT: { description: 'No recent account snapshot to size or vet the order against', retryable: true },
  },
  MSG: {
    MALFORMED: { description: 'Message body is not valid JSON (or not UTF-8)', retryable: false },
    SCHEMA_VIOLATION: { description: 'Message does not match the schema of its type and version', retryable: false },
    UNKNOWN_TYPE: { description: 'No schema is registered for this message type', retryable: false },
    UNSUPPORTED_VERSION: { description: 'The message type is known but not in this version', retryable: false },
  },
  EXEC: {
    BRIDGE_DISCONNECTED: { description: 'No live bridge session to the terminal', retryable: true },
    RECONCILING: { description: 'Reconciliation with the terminal is in progress; new orders wait', retryable: true },
    COMMAND_EXPIRED: { description: 'The command passed its validUntil before it could be sent', retryable: false },
    DUPLICATE_CLIENT_ORDER_ID: { description: 'An order with this clientOrderId already exists', retryable: false },
    VENUE_REJECTED: { description: 'The trade server refused the request (see the MT5 retcode)', retryable: false },
    REQUOTE: { description: 'Requote, price changed or price off: retry with a fresh price', retryable: true },
    OUTCOME_UNKNOWN: { description: 'Timeout or disconnect during a trade: never resend, query and settle', retryable: false },
    RETRIES_EXHAUSTED: { description: 'Requote retries used up without a fill', retryable: false },
    ORDER_NOT_FOUND: { description: 'No order with this clientOrderId or ticket', retryable: false },
    POSITION_NOT_FOUND: { description: 'No open position with this id', retryable: false },
    UNKNOWN_ACCOUNT: { description: 'This execution instance does not serve the account', retryable: false },
  },
  BRIDGE: {
    FRAME_TOO_LARGE: { description: 'A frame exceeded the maximum line size', retryable: false },
    MALFORMED: { description: 'A frame is not valid JSON', retryable: false },
    UNSUPPORTED_VERSION: { description: 'A frame carries a protocol version this side does not speak', retryable: false },
    SCHEMA_VIOLATION: { description: 'A frame does not match the schema of its kind', retryable: false },
    AUTH_FAILED: { description: 'The hello HMAC did not match the challenge nonce', retryable: false },
    HANDSHAKE_TIMEOUT: { description: 'No valid hello arrived in time after the challenge', retryable: true },
    HEARTBEAT_TIMEOUT: { description: 'The peer stopped sending heartbeats', retryable: true },
    NOT_CONNECTED: { description: 'No terminal is connected for the account', retryable: true },
    REQUEST_TIMEOUT: { description: 'A query got no reply in time (a trade request timing out is EXEC.OUTCOME_UNKNOWN)', retryable: true },
    ACCOUNT_MISMATCH: { description: 'The terminal logged in to a different account than configured', retryable: false },
    DUPLICATE_SESSION: { description: 'A second terminal connected for an account that already has a session', retryable: false },
    UNEXPECTED_FRAME: { description: 'A frame kind arrived that is not valid in the current session state', retryable: false },
  },
  MD: {
    IMPORT_UNKNOWN_FORMAT: { description: 'The file matches none of the known bar export formats', retryable: false },
    IMPORT_BAD_ROW: { description: 'A row could not be parsed (field count, number or time format)', retryable: false },
    INVALID_OHLC: { description: 'High is below open/close/low or low above open/close/high', retryable: false },
    INVALID_PRICE: { description: 'A price is not a finite non-negative decimal', retryable: false },
    NON_MONOTONIC_TIME: { description: 'Bar times go backwards within one series', retryable: false },
    DUPLICATE_BAR: { description: 'The same bar open time appears twice with different values', retryable: false },
    UNSUPPORTED_TIMEFRAME: { description: 'The timeframe is not one of the supported set', retryable: false },
    UNKNOWN_SYMBOL: { description: 'The symbol is not configured for the venue', retryable: false },
    EMPTY_INPUT: { description: 'The import contained no bars', retryable: false },
  },
  OPS: {
    UNAUTHENTICATED: { description: 'Missing or invalid API key', retryable: false },
    FORBIDDEN: { description: 'The API key lacks the role for this action', retryable: false },
    INVALID_REQUEST: { description: 'The request body or parameters failed validation', retryable: false },
    NOT_FOUND: { description: 'The requested resource does not exist', retryable: false },
    CONFLICT: { description: 'The action conflicts with the current state', retryable: false },
    RATE_LIMITED: { description: 'Too many requests for the key or the client address; retry after the Retry-After seconds', retryable: true },
  },
  SYS: {
    DEPENDENCY_UNAVAILABLE: { description: 'Postgres, NATS or Redis is unreachable', retryable: true },
    TIMEOUT: { description: 'An internal call timed out', retryable: true },
    CONFIG_INVALID: { description: 'Configuration failed validation at boot', retryable: false },
    INTERNAL: { description: 'A broken invariant or unexpected failure', retryable: false },
  },
} as const satisfies Record<string, Record<string, { description: string; retryable: boolean }>>;

export type ErrorArea = keyof typeof ErrorCodes;

/** Every code as `AREA.NAME`. */
export type ErrorCode = { [A in ErrorArea]: `${A}.${Extract<keyof (typeof ErrorCodes)[A], string>}` }[ErrorArea];
/** Codes of one area, e.g. `ErrorCodeOf<'RISK'>`. */
export type ErrorCodeOf<A extends ErrorArea> = Extract<ErrorCode, `${A}.${string}`>;

export interface ErrorCodeInfo {
  readonly code: ErrorCode;
  readonly area: ErrorArea;
  readonly description: string;
  readonly retryable: boolean;
}

const infoByCode: ReadonlyMap<string, ErrorCodeInfo> = new Map(
  (Object.keys(ErrorCodes) as ErrorArea[]).flatMap((area) =>
    Object.entries(ErrorCodes[area]).map(([name, info]): [string, ErrorCodeInfo] => {
      const code = `${area}.${name}` as ErrorCode;
      return [code, { code, area, description: info.description, retryable: info.retryable }];
    }),
  ),
);

/** Every registered code, in declaration order. */
export const AllErrorCodes: readonly ErrorCode[] = [...infoByCode.keys()] as ErrorCode[];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && infoByCode.has(value);
}

/** Description and retry class of a code. */
export function errorCodeInfo(code: ErrorCode): ErrorCodeInfo {
  const info = infoByCode.get(code);
  if (!info) throw new Error(`errorCodeInfo: unknown code ${JSON.stringify(code)}`);
  return info;
}

/** Schema for any registered code. */
export const errorCodeSchema = z.string().refine(isErrorCode, {
  error: (issue) => `unknown error code ${JSON.stringify(issue.input)}`,
}) as unknown as z.ZodType<ErrorCode, string>;

/** Schema for a code of one area (e.g. risk denials carry only `RISK.*`). */
export function areaErrorCodeSchema<A extends ErrorArea>(area: A): z.ZodType<ErrorCodeOf<A>, string> {
  return z.string().refine((value) => isErrorCode(value) && value.startsWith(`${area}.`), {
    error: (issue) => `expected a code in ${area}.*, got ${JSON.stringify(issue.input)}`,
  }) as unknown as z.ZodType<ErrorCodeOf<A>, string>;
}

/** Context of a denial or error: rendered as `key=value` in insertion order. */
export type ErrorContext = Readonly<Record<string, string | number>>;

/**
 * Renders a code and its context as one stable line, `RISK.MAX_LOTS_EXCEEDED: volume=2.5, max=2.0`,
 * keys in insertion order; a code without context renders alone. Pass decimals as strings to keep
 * their exact text (`2.0` as a number would render `2`). Tests and operators match these strings.
 *
 * Throws on a non-finite number: a NaN in a denial is a broken invariant, not a reason.
 * (Integer-like keys such as `"1"` are ordered first by JavaScript itself; don't use them.)
 */
export function formatDenial(code: ErrorCode, context: ErrorContext = {}): string {
  const parts = Object.entries(context).map(([key, value]) => {
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new Error(`formatDenial(${code}): context ${key} is ${value}`);
    }
    return `${key}=${value}`;
  });
  return parts.length === 0 ? code : `${code}: ${parts.join(', ')}`;
}

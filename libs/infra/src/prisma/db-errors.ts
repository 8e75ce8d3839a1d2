/**
 * Classifies database failures for consumers that must choose between `nak` (try again later)
 * and `term` (this message will never succeed). Works on raw `pg` errors, Node socket errors,
 * `@prisma/adapter-pg` driver-adapter errors and Prisma client errors, following `cause` chains.
 */

/** SQLSTATEs worth retrying unchanged: the same statement may succeed once the condition passes. */
const TRANSIENT_SQLSTATES = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '55P03', // lock_not_available
  '57014', // query_canceled (statement timeout)
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, recovering)
  '53300', // too_many_connections
  '25P03', // idle_in_transaction_session_timeout
]);

/** Node socket error codes: the server could not be reached or the connection dropped. */
const TRANSIENT_SOCKET_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND',
]);

/** `@prisma/adapter-pg` error kinds (DriverAdapterError.cause.kind) that mean "try again". */
const TRANSIENT_ADAPTER_KINDS = new Set([
  'TransactionWriteConflict', 'DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections',
]);

/** Prisma client error codes for unreachable servers, timeouts, pool exhaustion and write conflicts. */
const TRANSIENT_PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028', 'P2034']);

/** Messages `pg` and pg-pool use for dropped connections, which carry no code. */
const TRANSIENT_MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /client has encountered a connection error/i,
  /connection (?:was )?(?:closed|reset)/i,
  /server closed the connection unexpectedly/i,
];

type ErrorLike = {
  code?: unknown;
  kind?: unknown;
  message?: unknown;
  cause?: unknown;
  meta?: { driverAdapterError?: unknown };
};

function isTransientOne(error: ErrorLike): boolean {
  const code = typeof error.code === 'string' ? error.code : undefined;
  if (code && (TRANSIENT_SQLSTATES.has(code) || TRANSIENT_SOCKET_CODES.has(code) || TRANSIENT_PRISMA_CODES.has(code))) return true;
  // SQLSTATE class 08: connection exception.
  if (code && /^08[0-9A-Z]{3}$/.test(code)) return true;
  if (typeof error.kind === 'string') {
    if (TRANSIENT_ADAPTER_KINDS.has(error.kind)) return true;
    if (error.kind === 'postgres' && code && TRANSIENT_SQLSTATES.has(code)) return true;
  }
  const message = typeof error.message === 'string' ? error.message : '';
  return TRANSIENT_MESSAGES.some((pattern) => pattern.test(message));
}

/**
 * True when the failure is about the database's availability or concurrency (connection refused
 * or dropped, server restarting, serialization failure, deadlock, lock or statement timeout),
 * so the same work may succeed later. False for everything else, including constraint
 * violations and bad input, which would fail again.
 */
export function isTransientDbError(error: unknown): boolean {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0) {
    const current = queue.shift();
    if (typeof current !== 'object' || current === null || seen.has(current)) continue;
    seen.add(current);
    const candidate = current as ErrorLike;
    if (isTransientOne(candidate)) return true;
    queue.push(candidate.cause, candidate.meta?.driverAdapterError);
    if (current instanceof AggregateError) queue.push(...current.errors);
  }
  return false;
}

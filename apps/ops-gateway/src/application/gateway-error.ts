/**
 * A failure the gateway answers with a status and a stable code. The message is written for the
 * operator and is safe to show: no stack, no SQL, no secret. `headers` go out with the answer
 * (Retry-After on 429 and some 503s).
 */
export class GatewayError extends Error {
  override readonly name = 'GatewayError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryable = false,
    readonly headers: Readonly<Record<string, string>> = {},
    /** Extra facts for the client (e.g. the intent id of an order whose outcome is unknown). */
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
  }
}

export const invalidRequest = (message: string, details?: Record<string, unknown>) => new GatewayError(400, 'OPS.INVALID_REQUEST', message, false, {}, details);
export const forbidden = (message: string) => new GatewayError(403, 'OPS.FORBIDDEN', message);
export const unavailable = (message: string, code = 'SYS.DEPENDENCY_UNAVAILABLE') => new GatewayError(503, code, message, true);

import type { QueryReply } from '@mt5/infra/nats';
import { GatewayError } from '../gateway-error.js';

type ReplyError = Extract<QueryReply<unknown>, { ok: false }>['error'];

/**
 * HTTP status for an error code a service replied with. Validation → 400, refusal → 403,
 * missing → 404, conflict → 409; anything retryable → 503; any other failure → 502 (the service
 * failed, not the caller).
 */
export function statusForCode(code: string, retryable: boolean): number {
  if (code === 'MSG.SCHEMA_VIOLATION' || code === 'MSG.MALFORMED' || code === 'OPS.INVALID_REQUEST' || /\.INVALID_[A-Z_]+$/.test(code)) return 400;
  if (code === 'OPS.FORBIDDEN') return 403;
  if (/(^|[._])NOT_FOUND$/.test(code) || /\.UNKNOWN_(INSTRUMENT|REPLAY|SYMBOL|ACCOUNT|STRATEGY)$/.test(code)) return 404;
  if (code === 'OPS.CONFLICT') return 409;
  if (code === 'RPT.REPORT_TOO_LARGE') return 413;
  return retryable ? 503 : 502;
}

/**
 * The gateway's answer to an `{ ok: false }` reply. Client errors keep the service's message
 * (it names the field and the reason); server-side failures get a fixed sentence, because their
 * messages can carry SQL or internals that an API client has no business reading.
 */
export function replyFailure(service: string, subject: string, error: ReplyError): GatewayError {
  const status = statusForCode(error.code, error.retryable);
  if (status < 500) return new GatewayError(status, error.code, error.message, false);
  const message = status === 503
    ? `${service} cannot answer ${subject} right now (${error.code}); try again shortly`
    : `${service} failed to answer ${subject} (${error.code}); its logs have the details`;
  return new GatewayError(status, error.code, message, status === 503, status === 503 ? { 'Retry-After': '1' } : {});
}

function chain(error: unknown): Error[] {
  const errors: Error[] = [];
  let current: unknown = error;
  while (current instanceof Error && errors.length < 5) {
    errors.push(current);
    current = current.cause;
  }
  return errors;
}

/**
 * The answer when the request itself failed: nobody subscribed (the service is down or does not
 * serve this subject yet) or nobody answered in time. Both are 503; for a command the outcome of
 * a timeout is unknown, which the caller must say (see {@link commandTimedOut}).
 */
export function transportFailure(service: string, subject: string, error: unknown, timeoutMs: number): GatewayError {
  const errors = chain(error);
  if (errors.some((e) => e.name === 'NoRespondersError' || (e.name === 'RequestError' && (e as { isNoResponders?: () => boolean }).isNoResponders?.()))) {
    return new GatewayError(503, 'SYS.DEPENDENCY_UNAVAILABLE',
      `${service} is not answering ${subject} (no responders): it is not running, or it does not serve this request yet`, true, { 'Retry-After': '5' });
  }
  if (errors.some((e) => e.name === 'TimeoutError' || /timeout/i.test(e.message))) {
    return new GatewayError(503, 'SYS.TIMEOUT', `${service} did not answer ${subject} within ${timeoutMs} ms`, true, { 'Retry-After': '1' });
  }
  return new GatewayError(503, 'SYS.DEPENDENCY_UNAVAILABLE', `NATS request to ${service} (${subject}) failed: the gateway cannot reach the bus`, true, { 'Retry-After': '1' });
}

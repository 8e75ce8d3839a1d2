import { extractTraceContext, injectTraceContext, withSpan, type SpanOptions } from '@mt5/infra/telemetry';
import type { OrderOrigin } from '../orders/order.types.js';

/** The active W3C trace context as plain headers (`traceparent`, `tracestate`), for the outbox and the order's origin. */
export function activeTraceHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  injectTraceContext({ get: (key) => headers[key], set: (key, value) => { headers[key] = value; } });
  return headers;
}

/**
 * Runs `fn` in a span that belongs to the trace of the command that created the order, so work
 * done later for that order (a resumed send, a settlement, a fill reported by a transaction)
 * shows up in the signal's trace.
 */
export function withOrderSpan<T>(origin: Pick<OrderOrigin, 'traceparent' | 'tracestate'>, name: string, options: Omit<SpanOptions, 'parent'>, fn: () => Promise<T>): Promise<T> {
  const carrier: Record<string, string | undefined> = { traceparent: origin.traceparent, tracestate: origin.tracestate };
  const parent = origin.traceparent ? extractTraceContext({ get: (key) => carrier[key], set: () => undefined }) : undefined;
  return withSpan(name, { ...options, ...(parent ? { parent } : {}) }, () => fn());
}

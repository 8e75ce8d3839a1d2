import { context, propagation, trace, type Context, type Span, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { startNodeSdk } from '@opentelemetry/sdk-node';

let sdk: { shutdown(): Promise<void> } | undefined;

/** Ends spans without exporting them: tracing without a collector still yields trace ids. */
const droppingProcessor = {
  onStart: () => undefined,
  onEnd: () => undefined,
  forceFlush: async () => undefined,
  shutdown: async () => undefined,
};

/**
 * Starts the OpenTelemetry Node SDK. Call it first in `main.ts`, before Nest is imported.
 * Everything is configured by the standard `OTEL_*` variables (`OTEL_EXPORTER_OTLP_ENDPOINT`,
 * `OTEL_SERVICE_NAME`, `OTEL_SDK_DISABLED`, …); traces go out as OTLP/HTTP. Metrics and logs are
 * not exported over OTLP (metrics are scraped from `/metrics`, logs go to stdout as JSON).
 */
export function startTelemetry(serviceName: string, env: NodeJS.ProcessEnv = process.env): void {
  if (sdk) return;
  env.OTEL_SERVICE_NAME ??= serviceName;
  env.OTEL_METRICS_EXPORTER ??= 'none';
  env.OTEL_LOGS_EXPORTER ??= 'none';
  env.OTEL_TRACES_EXPORTER ??= 'otlp';
  env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ??= 'http/protobuf';
  env.OTEL_PROPAGATORS ??= 'tracecontext,baggage';
  // Without an endpoint there is nobody to export to; spans are still made (with a processor
  // that drops them) so trace ids flow through NATS headers and into every log line.
  const exporting = Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) && env.OTEL_TRACES_EXPORTER !== 'none';
  sdk = startNodeSdk({
    resourceAttributes: { 'service.name': env.OTEL_SERVICE_NAME },
    resourceDetectors: [],
    logLevel: env.OTEL_LOG_LEVEL ?? 'warn',
    ...(exporting ? {} : { spanProcessors: [droppingProcessor] }),
  });
}

/** Flushes and stops the SDK; safe to call when it never started. */
export async function stopTelemetry(): Promise<void> {
  const current = sdk;
  sdk = undefined;
  await current?.shutdown().catch(() => undefined);
}

const tracer = () => trace.getTracer('mt5-platform');

/** Header carrier for anything with get/set of string headers (NATS MsgHdrs, plain maps). */
export interface HeaderCarrier {
  get(key: string): string | undefined | null;
  set(key: string, value: string): void;
}

/** Writes the active W3C trace context (`traceparent`, `tracestate`, baggage) into headers. */
export function injectTraceContext(headers: HeaderCarrier, ctx: Context = context.active()): void {
  propagation.inject(ctx, headers, {
    set: (carrier, key, value) => carrier.set(key, value),
  });
}

/** Reads a W3C trace context from headers; returns the active context when there is none. */
export function extractTraceContext(headers: HeaderCarrier | undefined): Context {
  if (!headers) return context.active();
  return propagation.extract(context.active(), headers, {
    get: (carrier, key) => carrier.get(key) ?? undefined,
    keys: () => ['traceparent', 'tracestate', 'baggage'],
  });
}

/** The trace id of the active span, or undefined when none is recording. */
export function currentTraceId(ctx: Context = context.active()): string | undefined {
  const spanContext = trace.getSpanContext(ctx);
  return spanContext && trace.isSpanContextValid(spanContext) ? spanContext.traceId : undefined;
}

export interface SpanOptions {
  readonly kind?: 'internal' | 'producer' | 'consumer' | 'client' | 'server';
  readonly attributes?: Record<string, string | number | boolean | undefined>;
  readonly parent?: Context;
}

const kinds = {
  internal: SpanKind.INTERNAL, producer: SpanKind.PRODUCER, consumer: SpanKind.CONSUMER, client: SpanKind.CLIENT, server: SpanKind.SERVER,
} as const;

/** Runs `fn` inside a new span (child of `parent` or the active context); records errors. */
export async function withSpan<T>(name: string, options: SpanOptions, fn: (span: Span) => Promise<T>): Promise<T> {
  const attributes = Object.fromEntries(Object.entries(options.attributes ?? {}).filter(([, v]) => v !== undefined)) as Record<string, string | number | boolean>;
  return tracer().startActiveSpan(name, { kind: kinds[options.kind ?? 'internal'], attributes }, options.parent ?? context.active(), async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message });
      throw error;
    } finally {
      span.end();
    }
  });
}

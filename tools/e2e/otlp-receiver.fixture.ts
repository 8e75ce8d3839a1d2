import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

/** One span as received, with the name of the service that sent it. */
export interface ReceivedSpan {
  readonly service: string;
  readonly traceId: string;
  readonly spanId: string;
  /** Empty for a root span. */
  readonly parentSpanId: string;
  readonly name: string;
  /** OTLP SpanKind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  readonly kind: number;
  readonly attributes: Readonly<Record<string, string | number | boolean>>;
  readonly startTimeUnixNano: string;
}

export interface OtlpReceiver {
  /** Base URL for OTEL_EXPORTER_OTLP_ENDPOINT (the exporter appends /v1/traces). */
  readonly url: string;
  spans(): readonly ReceivedSpan[];
  /** Requests refused (not JSON, wrong path): each is a reason. */
  problems(): readonly string[];
  close(): Promise<void>;
}

interface AnyValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
}

/** OTLP/JSON ids are hex strings; some encoders write base64 (the protobuf JSON mapping). Hex either way. */
function hexId(value: unknown): string {
  if (typeof value !== 'string' || value === '') return '';
  if (/^[0-9a-f]+$/i.test(value) && (value.length === 16 || value.length === 32)) return value.toLowerCase();
  return Buffer.from(value, 'base64').toString('hex');
}

function attributeValue(value: AnyValue | undefined): string | number | boolean {
  if (!value) return '';
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.boolValue !== undefined) return value.boolValue;
  return JSON.stringify(value);
}

function attributes(list: unknown): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const entry of Array.isArray(list) ? (list as { key: string; value?: AnyValue }[]) : []) out[entry.key] = attributeValue(entry.value);
  return out;
}

/** Flattens an OTLP/JSON ExportTraceServiceRequest into spans. */
export function spansOfRequest(body: unknown): ReceivedSpan[] {
  const spans: ReceivedSpan[] = [];
  const resourceSpans = (body as { resourceSpans?: unknown[] }).resourceSpans ?? [];
  for (const entry of resourceSpans as { resource?: { attributes?: unknown }; scopeSpans?: { spans?: Record<string, unknown>[] }[] }[]) {
    const service = String(attributes(entry.resource?.attributes)['service.name'] ?? 'unknown');
    for (const scope of entry.scopeSpans ?? []) {
      for (const span of scope.spans ?? []) {
        spans.push({
          service, traceId: hexId(span.traceId), spanId: hexId(span.spanId), parentSpanId: hexId(span.parentSpanId), name: String(span.name),
          kind: Number(span.kind ?? 0), attributes: attributes(span.attributes), startTimeUnixNano: String(span.startTimeUnixNano ?? '0'),
        });
      }
    }
  }
  return spans;
}

/**
 * A minimal OTLP/HTTP trace receiver on a random loopback port: `POST /v1/traces` with
 * `Content-Type: application/json` (services started with
 * `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=http/json`). Anything else is answered 415/404 and
 * recorded as a problem, so a test can tell "no spans" from "spans it could not read".
 */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const received: ReceivedSpan[] = [];
  const problems: string[] = [];
  const handle = (request: IncomingMessage, response: ServerResponse, body: Buffer) => {
    if (request.method !== 'POST' || request.url !== '/v1/traces') {
      problems.push(`${request.method} ${request.url}: not a trace export`);
      response.writeHead(404).end();
      return;
    }
    if (!String(request.headers['content-type'] ?? '').includes('json')) {
      problems.push(`content-type ${request.headers['content-type']}: only OTLP/JSON is read here (set OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=http/json)`);
      response.writeHead(415).end();
      return;
    }
    try {
      received.push(...spansOfRequest(JSON.parse(body.toString('utf8'))));
      response.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    } catch (error) {
      problems.push(`unreadable export: ${(error as Error).message}`);
      response.writeHead(400).end();
    }
  };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => handle(request, response, Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    spans: () => received,
    problems: () => problems,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

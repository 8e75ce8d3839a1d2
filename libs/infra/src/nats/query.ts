import type { Msg, NatsConnection, Subscription } from '@nats-io/nats-core';
import type { Logger } from 'pino';
import type { ZodType } from 'zod';
import { extractTraceContext, injectTraceContext, withSpan } from '../telemetry/index.js';
import { headers as natsHeaders } from '@nats-io/nats-core';

/** Reply to every request/reply query: a value, or a stable error code and message. */
export type QueryReply<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string; retryable: boolean } };

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** An expected failure a query handler returns as `{ ok: false }` (not a crash). */
export class QueryError extends Error {
  constructor(readonly code: string, message: string, readonly retryable = false) {
    super(message);
    this.name = 'QueryError';
  }
}

export interface QueryHandlerOptions<Req, Res> {
  readonly subject: string;
  /** Validates the request body; a failure answers `MSG.SCHEMA_VIOLATION`. */
  readonly request?: ZodType<Req>;
  readonly handle: (request: Req) => Promise<Res> | Res;
  /** Queue group so that several instances share the load. */
  readonly queue?: string;
}

/** Serves a request/reply query on core NATS. Handler errors become `{ ok: false }` replies. */
export function serveQuery<Req, Res>(nc: NatsConnection, options: QueryHandlerOptions<Req, Res>, logger: Logger): Subscription {
  return nc.subscribe(options.subject, {
    queue: options.queue,
    callback: (error, msg) => {
      if (error) {
        logger.error({ err: error, subject: options.subject }, 'query subscription failed');
        return;
      }
      void answer(msg, options, logger);
    },
  });
}

async function answer<Req, Res>(msg: Msg, options: QueryHandlerOptions<Req, Res>, logger: Logger): Promise<void> {
  let reply: QueryReply<Res>;
  try {
    const body: unknown = msg.data.length ? JSON.parse(decoder.decode(msg.data)) : {};
    let request = body as Req;
    if (options.request) {
      const parsed = options.request.safeParse(body);
      if (!parsed.success) {
        const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
        throw new QueryError('MSG.SCHEMA_VIOLATION', issues);
      }
      request = parsed.data;
    }
    const data = await withSpan(`query ${options.subject}`, { kind: 'server', parent: extractTraceContext(msg.headers) }, async () => options.handle(request));
    reply = { ok: true, data };
  } catch (error) {
    const e = error as { code?: unknown; message?: unknown; retryable?: unknown };
    if (!(error instanceof QueryError)) logger.error({ err: error, subject: options.subject }, 'query handler failed');
    reply = {
      ok: false,
      error: {
        code: typeof e?.code === 'string' ? e.code : error instanceof SyntaxError ? 'MSG.MALFORMED' : 'INTERNAL',
        message: typeof e?.message === 'string' ? e.message : 'query failed',
        retryable: e?.retryable === true,
      },
    };
  }
  if (msg.reply) msg.respond(encoder.encode(JSON.stringify(reply)));
}

/** Sends a query and returns the parsed reply; transport errors (no responders, timeout) throw. */
export async function requestQuery<Res>(nc: NatsConnection, subject: string, body: unknown = {}, timeoutMs = 5000): Promise<QueryReply<Res>> {
  const h = natsHeaders();
  injectTraceContext(h);
  const msg = await nc.request(subject, encoder.encode(JSON.stringify(body)), { timeout: timeoutMs, headers: h });
  return JSON.parse(decoder.decode(msg.data)) as QueryReply<Res>;
}

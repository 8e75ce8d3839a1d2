import type { ConsumerMessages, JetStreamClient, JsMsg } from '@nats-io/jetstream';
import type { ConsumerSpec, Envelope, StreamName } from '@mt5/contracts';
import type { Logger } from 'pino';
import type { ZodType } from 'zod';
import { Metrics } from '../health/metrics.js';
import { logContext } from '../logging/index.js';
import { extractTraceContext, withSpan } from '../telemetry/index.js';
import { deadLetter, parseEnvelope } from './dead-letter.js';
import { streamName, type ProvisionOptions } from './provisioning.js';

export interface HandlerContext {
  readonly subject: string;
  readonly streamSequence: number;
  readonly deliveryCount: number;
  /** Tells the server the message is still being worked on (long broker calls). */
  working(): void;
}

export type EnvelopeHandler<T> = (envelope: Envelope<T>, context: HandlerContext) => Promise<void>;

export interface ConsumerOptions<T> {
  readonly js: JetStreamClient;
  readonly spec: ConsumerSpec;
  /** Parses the whole envelope; a failure is permanent (the message goes to the DLQ). */
  readonly schema: ZodType<Envelope<T>>;
  readonly handle: EnvelopeHandler<T>;
  readonly logger: Logger;
  readonly provision?: ProvisionOptions;
  /** Messages buffered from the server ahead of handling. */
  readonly batch?: number;
  /**
   * Messages handled at once (default 1). Handlers are started in stream order (each one runs
   * synchronously up to its first `await` before the next starts), and each message is acked when
   * its own handler resolves. Above 1, the handler keeps whatever order it needs itself (risk-guard
   * queues units per account in arrival order); a message naked for a retry comes back after later ones.
   */
  readonly concurrency?: number;
  /** Delay before a redelivery after a transient error, by delivery count. */
  readonly backoffMs?: (deliveryCount: number) => number;
}

/** Exponential backoff with a cap: 250 ms, 500 ms, 1 s, … 30 s. */
export const defaultBackoff = (deliveryCount: number) => Math.min(30_000, 250 * 2 ** Math.max(0, deliveryCount - 1));

/** Errors are transient unless they say otherwise (`retryable: false`) or are schema errors. */
export function isPermanentError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { retryable?: unknown; name?: unknown };
  return e.retryable === false || e.name === 'ZodError';
}

function describe(error: unknown): { code: string; reason: string } {
  const e = error as { code?: unknown; message?: unknown };
  return { code: typeof e?.code === 'string' ? e.code : 'MSG.HANDLER_FAILED', reason: typeof e?.message === 'string' ? e.message : String(error) };
}

const HAND_BACK_DELAY_MS = 1000;
/** How long a running handler keeps its message in progress at most. */
const MAX_IN_PROGRESS_MS = 10 * 60_000;

/**
 * Pull-consumes one durable consumer: parse → handle → `ack` after the handler's durable effect;
 * `nak(backoff)` on transient errors; `term` plus a copy to `dlq.<stream>.<consumer>` (with the
 * reason) on permanent errors, malformed payloads, or when deliveries run out. Messages are
 * handled one at a time in stream order, or up to `concurrency` at once (started in stream
 * order). `stop()` stops pulling, lets the in-flight messages finish, and hands buffered ones
 * back (`nak`) so another instance can take them at once.
 */
export class JetStreamConsumer<T> {
  private messages?: ConsumerMessages;
  private stopping = false;
  private loop?: Promise<void>;
  private readonly stream: string;
  private readonly labels: { stream: string; consumer: string };

  constructor(private readonly options: ConsumerOptions<T>) {
    this.stream = streamName({ name: options.spec.stream as StreamName }, options.provision);
    this.labels = { stream: this.stream, consumer: options.spec.durable };
  }

  async start(): Promise<void> {
    const consumer = await this.options.js.consumers.get(this.stream, this.options.spec.durable);
    this.messages = await consumer.consume({ max_messages: this.options.batch ?? 64 });
    this.loop = this.run(this.messages).catch((error) => this.options.logger.error({ err: error, ...this.labels }, 'consumer loop failed'));
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.messages?.close().catch(() => undefined);
    await this.loop;
  }

  private async run(messages: ConsumerMessages): Promise<void> {
    const concurrency = Math.max(1, this.options.concurrency ?? 1);
    const inFlight = new Set<Promise<void>>();
    for await (const msg of messages) {
      if (this.stopping) {
        // Hand it back with a short delay: an immediate nak could be redelivered to this very
        // pull before it closes, and bounce.
        msg.nak(HAND_BACK_DELAY_MS);
        continue;
      }
      if (concurrency === 1) {
        await this.process(msg);
        continue;
      }
      const handled: Promise<void> = this.process(msg).finally(() => inFlight.delete(handled));
      inFlight.add(handled);
      if (inFlight.size >= concurrency) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
  }

  private async process(msg: JsMsg): Promise<void> {
    const started = performance.now();
    if (msg.info.deliveryCount > 1) Metrics.redeliveries.inc(this.labels);
    let envelope: Envelope<T>;
    try {
      envelope = this.parse(msg);
    } catch (error) {
      await this.deadLetter(msg, error as Error & { code?: string });
      return;
    }
    const parent = extractTraceContext(msg.headers);
    // In progress while this process handles it: a handler that runs longer than the ack wait
    // (an order waiting for the bridge, a slow database) is not redelivered behind its back, so
    // ack waits can be short and a message whose handler died with its process comes back soon.
    const ackWaitMs = this.options.spec.ackWaitSeconds * 1000;
    const heartbeat = setInterval(() => {
      // A handler stuck this long is not working: stop vouching for it, let the server redeliver.
      if (performance.now() - started > MAX_IN_PROGRESS_MS) {
        clearInterval(heartbeat);
        this.options.logger.error({ ...this.labels, subject: msg.subject, sequence: msg.info.streamSequence }, 'handler still running after 10 min; the message is no longer kept in progress');
        return;
      }
      try {
        msg.working();
      } catch {
        // connection closed: the server redelivers after the ack wait, as it should
      }
    }, Math.max(1_000, Math.floor(ackWaitMs / 3)));
    // Never what keeps a process alive.
    heartbeat.unref();
    try {
      await logContext.run({ correlationId: envelope.correlationId, messageId: envelope.id }, () =>
        withSpan(`consume ${this.options.spec.durable}`, {
          kind: 'consumer', parent,
          attributes: { 'messaging.system': 'nats', 'messaging.destination.name': msg.subject, 'messaging.message.id': envelope.id, 'mt5.type': envelope.type },
        }, () => this.options.handle(envelope, {
          subject: msg.subject, streamSequence: msg.info.streamSequence, deliveryCount: msg.info.deliveryCount, working: () => msg.working(),
        })),
      );
      msg.ack();
      Metrics.messagesHandled.inc({ ...this.labels, outcome: 'ack' });
    } catch (error) {
      const exhausted = msg.info.deliveryCount >= this.options.spec.maxDeliver;
      if (isPermanentError(error) || exhausted) {
        const { code, reason } = describe(error);
        await this.deadLetter(msg, Object.assign(new Error(exhausted && !isPermanentError(error) ? `gave up after ${msg.info.deliveryCount} deliveries: ${reason}` : reason), { code }));
      } else {
        const delay = (this.options.backoffMs ?? defaultBackoff)(msg.info.deliveryCount);
        this.options.logger.warn({ err: error, ...this.labels, deliveryCount: msg.info.deliveryCount, retryInMs: delay }, 'transient failure, will retry');
        msg.nak(delay);
        Metrics.messagesHandled.inc({ ...this.labels, outcome: 'nak' });
      }
    } finally {
      clearInterval(heartbeat);
      Metrics.handleDuration.observe(this.labels, (performance.now() - started) / 1000);
    }
  }

  private parse(msg: JsMsg): Envelope<T> {
    return parseEnvelope(msg, this.options.schema);
  }

  private deadLetter(msg: JsMsg, error: Error & { code?: string }): Promise<void> {
    return deadLetter({ js: this.options.js, stream: this.stream, durable: this.options.spec.durable, provision: this.options.provision, logger: this.options.logger }, msg, error);
  }
}

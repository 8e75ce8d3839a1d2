import type { ConsumerMessages, JetStreamClient, JsMsg } from '@nats-io/jetstream';
import type { ConsumerSpec, Envelope, StreamName } from '@mt5/contracts';
import { Metrics } from '@mt5/infra/health';
import { deadLetter, defaultBackoff, isPermanentError, parseEnvelope, streamName, type ProvisionOptions } from '@mt5/infra/nats';
import { withSpan } from '@mt5/infra/telemetry';
import type { Logger } from 'pino';
import type { ZodType } from 'zod';

/** One parsed message of a batch, with what a handler needs to recognise a redelivery. */
export interface BatchItem<T> {
  readonly envelope: Envelope<T>;
  readonly subject: string;
  readonly streamSequence: number;
  readonly deliveryCount: number;
}

export interface BatchConsumerOptions<T> {
  readonly js: JetStreamClient;
  readonly spec: ConsumerSpec;
  /** Parses the whole envelope; a message that fails goes to the DLQ and never reaches the handler. */
  readonly schema: ZodType<Envelope<T>>;
  /** Handles the batch in the order given (stream order); resolves once every effect is durable. */
  readonly handle: (items: readonly BatchItem<T>[]) => Promise<void>;
  readonly logger: Logger;
  readonly provision?: ProvisionOptions;
  /** Most messages handed to one `handle` call. */
  readonly maxBatch?: number;
  readonly backoffMs?: (deliveryCount: number) => number;
}

const HAND_BACK_DELAY_MS = 1000;
const DEFAULT_MAX_BATCH = 500;

/**
 * Pull-consumes one durable consumer in batches: whatever has arrived while the previous batch was
 * being handled (up to `maxBatch`) is parsed, handed to the handler in one call, and acknowledged
 * only after the handler resolved. A quiet stream gives batches of one (no added latency); a
 * backlog gives large ones, so per-message round trips (Redis, Postgres, span export) are paid per
 * batch instead. Same contract as infra's JetStreamConsumer otherwise:
 *
 * - a message that is not JSON or fails its schema is copied to `dlq.<stream>.<consumer>` with the
 *   reason and terminated, alone; the rest of its batch goes on;
 * - a transient handler failure naks the whole batch with backoff (the handler must recognise
 *   redelivered messages it already applied: `streamSequence` is there for that); a message whose
 *   deliveries ran out goes to the DLQ;
 * - a permanent failure is retried message by message, so only the culprit is parked.
 *
 * `stop()` stops pulling, lets the batch in hand finish and hands buffered messages back (`nak`).
 * (Candidate for libs/infra/nats once a second service wants it.)
 */
export class JetStreamBatchConsumer<T> {
  private messages?: ConsumerMessages;
  private stopping = false;
  private readonly buffer: JsMsg[] = [];
  private ended = false;
  private wake: (() => void) | undefined;
  private space: (() => void) | undefined;
  private reader?: Promise<void>;
  private loop?: Promise<void>;
  private readonly stream: string;
  private readonly labels: { stream: string; consumer: string };
  private readonly maxBatch: number;

  constructor(private readonly options: BatchConsumerOptions<T>) {
    this.stream = streamName({ name: options.spec.stream as StreamName }, options.provision);
    this.labels = { stream: this.stream, consumer: options.spec.durable };
    this.maxBatch = options.maxBatch ?? DEFAULT_MAX_BATCH;
  }

  async start(): Promise<void> {
    const consumer = await this.options.js.consumers.get(this.stream, this.options.spec.durable);
    this.messages = await consumer.consume({ max_messages: this.maxBatch * 2 });
    const failed = (what: string) => (error: unknown) => this.options.logger.error({ err: error, ...this.labels }, what);
    this.reader = this.read(this.messages).catch(failed('consumer reader failed'));
    this.loop = this.run().catch(failed('consumer loop failed'));
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.messages?.close().catch(() => undefined);
    this.release();
    await this.reader;
    this.ended = true;
    this.signal();
    await this.loop;
  }

  /** Moves delivered messages into the buffer; waits while it holds two batches. */
  private async read(messages: ConsumerMessages): Promise<void> {
    for await (const msg of messages) {
      if (this.stopping) {
        // Hand it back with a short delay: an immediate nak could be redelivered to this very pull before it closes.
        msg.nak(HAND_BACK_DELAY_MS);
        continue;
      }
      this.buffer.push(msg);
      this.signal();
      if (this.buffer.length >= this.maxBatch * 2) await new Promise<void>((resolve) => (this.space = resolve));
    }
    this.ended = true;
    this.signal();
  }

  private async run(): Promise<void> {
    for (;;) {
      if (this.stopping) {
        for (const msg of this.buffer.splice(0)) msg.nak(HAND_BACK_DELAY_MS);
        this.release();
        if (this.ended) return;
      }
      if (this.buffer.length === 0) {
        if (this.ended) return;
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      // One turn of the event loop first: messages already received are still being moved into the
      // buffer, and waking on the first of them would make a backlog's first batch a batch of one.
      if (this.buffer.length < this.maxBatch) await new Promise<void>((resolve) => setImmediate(resolve));
      const batch = this.buffer.splice(0, this.maxBatch);
      this.release();
      await this.process(batch);
    }
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private release(): void {
    const space = this.space;
    this.space = undefined;
    space?.();
  }

  private async process(batch: readonly JsMsg[]): Promise<void> {
    const started = performance.now();
    const parsed: Array<{ msg: JsMsg; item: BatchItem<T> }> = [];
    for (const msg of batch) {
      if (msg.info.deliveryCount > 1) Metrics.redeliveries.inc(this.labels);
      try {
        const envelope = this.parse(msg);
        parsed.push({ msg, item: { envelope, subject: msg.subject, streamSequence: msg.info.streamSequence, deliveryCount: msg.info.deliveryCount } });
      } catch (error) {
        await this.deadLetter(msg, error as Error & { code?: string });
      }
    }
    if (parsed.length > 0) await this.handle(parsed);
    const perMessage = (performance.now() - started) / 1000 / batch.length;
    for (let i = 0; i < batch.length; i++) Metrics.handleDuration.observe(this.labels, perMessage);
  }

  private async handle(parsed: ReadonlyArray<{ msg: JsMsg; item: BatchItem<T> }>): Promise<void> {
    try {
      // One span per batch: a span per tick cost more than the tick's own work.
      await withSpan(`consume ${this.options.spec.durable}`, {
        kind: 'consumer',
        attributes: { 'messaging.system': 'nats', 'messaging.destination.name': parsed[0]!.msg.subject, 'messaging.batch.message_count': parsed.length },
      }, () => this.options.handle(parsed.map((entry) => entry.item)));
      for (const { msg } of parsed) msg.ack();
      Metrics.messagesHandled.inc({ ...this.labels, outcome: 'ack' }, parsed.length);
    } catch (error) {
      if (isPermanentError(error) && parsed.length > 1) {
        for (const entry of parsed) await this.handle([entry]);
        return;
      }
      if (!isPermanentError(error)) {
        this.options.logger.warn({ err: error, ...this.labels, messages: parsed.length, firstSequence: parsed[0]!.item.streamSequence }, 'transient failure, the batch will be redelivered');
      }
      for (const { msg } of parsed) await this.failed(msg, error);
    }
  }

  private async failed(msg: JsMsg, error: unknown): Promise<void> {
    const deliveries = msg.info.deliveryCount;
    const exhausted = deliveries >= this.options.spec.maxDeliver;
    if (isPermanentError(error) || exhausted) {
      const e = error as { code?: unknown; message?: unknown };
      const reason = typeof e?.message === 'string' ? e.message : String(error);
      const code = typeof e?.code === 'string' ? e.code : 'MSG.HANDLER_FAILED';
      await this.deadLetter(msg, Object.assign(new Error(exhausted && !isPermanentError(error) ? `gave up after ${deliveries} deliveries: ${reason}` : reason), { code }));
      return;
    }
    const delay = (this.options.backoffMs ?? defaultBackoff)(deliveries);
    msg.nak(delay);
    Metrics.messagesHandled.inc({ ...this.labels, outcome: 'nak' });
  }

  private parse(msg: JsMsg): Envelope<T> {
    return parseEnvelope(msg, this.options.schema);
  }

  private deadLetter(msg: JsMsg, error: Error & { code?: string }): Promise<void> {
    return deadLetter({ js: this.options.js, stream: this.stream, durable: this.options.spec.durable, provision: this.options.provision, logger: this.options.logger }, msg, error);
  }
}

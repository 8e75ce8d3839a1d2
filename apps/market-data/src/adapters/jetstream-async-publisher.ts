import { createInbox, type Msg, type MsgHdrs, type NatsConnection, type Subscription } from '@nats-io/transport-node';

/** The stream's acknowledgement of one published message. */
export interface StreamAck {
  readonly stream: string;
  readonly seq: number;
  /** The stream already had a message with this `Nats-Msg-Id` inside its duplicate window. */
  readonly duplicate: boolean;
}

/** JetStream refused a message, or never answered. `retryable` for a timeout or no stream yet. */
export class StreamPublishError extends Error {
  constructor(readonly code: string, message: string, readonly retryable: boolean) {
    super(message);
    this.name = 'StreamPublishError';
  }
}

interface Pending {
  readonly resolve: (ack: StreamAck) => void;
  readonly reject: (error: Error) => void;
  readonly deadline: number;
  readonly subject: string;
}

const decoder = new TextDecoder();

/**
 * JetStream publishing with acknowledgements collected on one wildcard reply subscription, as the
 * Go client's `PublishAsync` does. nats.js's `js.publish` is a request per message: its own inbox
 * registration, a timer, a `Promise.race` and an `Error` built even on success, which together cost
 * more than everything else a replay does per bar. Here a message is one core publish with a reply
 * subject, one map entry and one shared timeout sweep.
 *
 * Same guarantees as `js.publish`: the promise resolves only with the stream's ack (stored or
 * duplicate), rejects with the stream's error, with "no stream" when nothing captures the subject,
 * and after `timeoutMs` without an answer.
 */
export class JetStreamAsyncPublisher {
  private readonly prefix: string;
  private readonly pending = new Map<string, Pending>();
  private readonly subscription: Subscription;
  private sweeper: NodeJS.Timeout | undefined;
  private counter = 0;

  constructor(private readonly nc: NatsConnection, private readonly timeoutMs = 10_000) {
    this.prefix = `${createInbox()}.`;
    this.subscription = nc.subscribe(`${this.prefix}*`, { callback: (error, msg) => (error ? this.failAll(error) : this.answer(msg)) });
  }

  publish(subject: string, data: Uint8Array, headers: MsgHdrs): Promise<StreamAck> {
    const token = (this.counter++).toString(36);
    return new Promise<StreamAck>((resolve, reject) => {
      this.pending.set(token, { resolve, reject, deadline: performance.now() + this.timeoutMs, subject });
      this.sweeper ??= setInterval(() => this.sweep(), Math.min(1_000, this.timeoutMs)).unref();
      try {
        this.nc.publish(subject, data, { reply: `${this.prefix}${token}`, headers });
      } catch (error) {
        this.pending.delete(token);
        reject(error as Error);
      }
    });
  }

  /** Stops listening; anything still waiting is rejected. */
  close(): void {
    this.failAll(new StreamPublishError('MD.PUBLISHER_CLOSED', 'publisher closed before the stream answered', true));
    this.subscription.unsubscribe();
  }

  private answer(msg: Msg): void {
    const token = msg.subject.slice(this.prefix.length);
    const entry = this.pending.get(token);
    if (!entry) return;
    this.pending.delete(token);
    if (msg.data.length === 0 && msg.headers?.code === 503) {
      entry.reject(new StreamPublishError('MD.NO_STREAM', `no JetStream stream captures ${entry.subject}`, true));
      return;
    }
    let reply: { stream?: string; seq?: number; duplicate?: boolean; error?: { code?: number; err_code?: number; description?: string } };
    try {
      reply = JSON.parse(decoder.decode(msg.data));
    } catch {
      entry.reject(new StreamPublishError('MD.BAD_ACK', 'the stream answered with something that is not a JSON ack', false));
      return;
    }
    if (reply.error || typeof reply.stream !== 'string' || typeof reply.seq !== 'number') {
      const error = reply.error ?? {};
      entry.reject(new StreamPublishError(`JS.${error.err_code ?? error.code ?? 'UNKNOWN'}`, error.description ?? 'invalid ack', false));
      return;
    }
    entry.resolve({ stream: reply.stream, seq: reply.seq, duplicate: reply.duplicate === true });
  }

  private sweep(): void {
    const now = performance.now();
    // Entries are in publish order, so in deadline order: stop at the first one still in time.
    for (const [token, entry] of this.pending) {
      if (entry.deadline > now) break;
      this.pending.delete(token);
      entry.reject(new StreamPublishError('MD.ACK_TIMEOUT', `no ack for ${entry.subject} within ${this.timeoutMs} ms`, true));
    }
    if (this.pending.size === 0 && this.sweeper) {
      clearInterval(this.sweeper);
      this.sweeper = undefined;
    }
  }

  private failAll(error: Error): void {
    for (const entry of this.pending.values()) entry.reject(error);
    this.pending.clear();
  }
}

import { headers as natsHeaders, type MsgHdrs } from '@nats-io/nats-core';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { Envelope } from '@mt5/contracts';
import type { Logger } from '@mt5/infra/logging';
import { encodeEnvelope, PlatformHeaders, PublishedMarks, subjectIn, type ProvisionOptions } from '@mt5/infra/nats';
import { injectTraceContext } from '@mt5/infra/telemetry';
import type pg from 'pg';
import type { OutboxMessage } from '../../application/ports.js';
import { OUTBOX_SUBJECT_PATTERNS } from '../postgres/bookkeeping.repository.js';

/** The active W3C trace context as plain headers, stored with outbox rows. */
export function activeTraceHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  injectTraceContext({ get: (key) => headers[key], set: (key, value) => { headers[key] = value; } });
  return headers;
}

function headersFor(envelope: Envelope, trace: Readonly<Record<string, string>>): MsgHdrs {
  const h = natsHeaders();
  h.set('Nats-Msg-Id', envelope.id);
  h.set(PlatformHeaders.type, envelope.type);
  h.set(PlatformHeaders.correlationId, envelope.correlationId);
  // The trace the row was written in (the signal's), not whatever is active when it is relayed.
  if (trace.traceparent) {
    h.set('traceparent', trace.traceparent);
    if (trace.tracestate) h.set('tracestate', trace.tracestate);
  } else {
    injectTraceContext(h);
  }
  return h;
}

interface OutboxRow { id: string; message_id: string; subject: string; payload: Envelope; headers: Record<string, string> }

/**
 * Publishes outbox messages right after their transaction commits (`Nats-Msg-Id` = envelope id)
 * and marks them published. The relay (at start and every interval) sends what a crash or a NATS
 * outage left behind; JetStream drops the copies of rows that had in fact gone out.
 */
export class OutboxPublisher {
  private timer: NodeJS.Timeout | undefined;
  private relaying: Promise<number> | null = null;
  private readonly marks = new PublishedMarks((ids) => this.markPublished('message_id = ANY($1::text[])', ids));

  constructor(
    private readonly js: JetStreamClient,
    private readonly pool: pg.Pool,
    private readonly logger: Logger,
    private readonly options: { readonly provision?: ProvisionOptions; readonly relayIntervalMs: number },
  ) {}

  /**
   * Sends committed messages now, all at once in the given order (one connection keeps it), and
   * marks the acknowledged ones published without holding the caller; a failure is logged and
   * left to the relay, and a row left unmarked is only sent again (JetStream drops the copy).
   */
  async publish(messages: readonly OutboxMessage[], trace: Readonly<Record<string, string>>): Promise<void> {
    const sent: string[] = [];
    await Promise.all(messages.map(async (message) => {
      try {
        await this.send(message.subject, message.envelope, trace);
        sent.push(message.envelope.id);
      } catch (error) {
        this.logger.warn({ err: error, messageId: message.envelope.id }, 'publish after commit failed; the outbox relay sends it again');
      }
    }));
    // Many commits in one UPDATE, a moment later (see PublishedMarks).
    this.marks.add(sent);
  }

  /** Sends unpublished rows of risk-guard's subjects at least `minAgeMs` old, oldest first. */
  relay(minAgeMs = 2_000): Promise<number> {
    this.relaying ??= this.relayOnce(minAgeMs).finally(() => {
      this.relaying = null;
    });
    return this.relaying;
  }

  start(): void {
    const pass = (minAgeMs?: number) => void this.relay(minAgeMs).catch((error) => this.logger.error({ err: error }, 'outbox relay failed'));
    pass(0);
    this.timer = setInterval(() => pass(), this.options.relayIntervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.marks.flush();
    await this.relaying?.catch(() => undefined);
  }

  private async relayOnce(minAgeMs: number): Promise<number> {
    const { rows } = await this.pool.query<OutboxRow>(
      `SELECT id, message_id, subject, payload, headers FROM outbox
       WHERE published_at IS NULL AND (subject LIKE $1 OR subject LIKE $2) AND created_at <= now() - make_interval(secs => $3)
       ORDER BY id LIMIT 500`,
      [...OUTBOX_SUBJECT_PATTERNS, minAgeMs / 1000],
    );
    const sent: string[] = [];
    for (const row of rows) {
      try {
        await this.send(row.subject, row.payload, row.headers);
        sent.push(row.id);
      } catch (error) {
        await this.pool.query('UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1', [row.id, String((error as Error).message).slice(0, 500)]).catch(() => undefined);
        this.logger.warn({ err: error, messageId: row.message_id }, 'outbox relay could not publish; next pass tries again');
        break;
      }
    }
    await this.markPublished('id = ANY($1::bigint[])', sent);
    if (sent.length > 0) this.logger.info({ count: sent.length }, 'outbox relay published rows left unpublished');
    return sent.length;
  }

  /** Sends the still unpublished rows among `messageIds` now (a redelivered signal repairs its decision's messages). */
  async republish(messageIds: readonly string[]): Promise<number> {
    const { rows } = await this.pool.query<OutboxRow>(
      'SELECT id, message_id, subject, payload, headers FROM outbox WHERE published_at IS NULL AND message_id = ANY($1::text[]) ORDER BY id',
      [messageIds],
    );
    for (const row of rows) await this.send(row.subject, row.payload, row.headers);
    await this.markPublished('id = ANY($1::bigint[])', rows.map((row) => row.id));
    return rows.length;
  }

  private async send(subject: string, envelope: Envelope, trace: Readonly<Record<string, string>>): Promise<void> {
    await this.js.publish(subjectIn(subject, this.options.provision), encodeEnvelope(envelope), { msgID: envelope.id, headers: headersFor(envelope, trace), timeout: 10_000 });
  }

  private async markPublished(condition: string, keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.pool.query(`UPDATE outbox SET published_at = now(), attempts = attempts + 1 WHERE ${condition}`, [keys])
      .catch((error) => this.logger.warn({ err: error }, 'could not mark outbox rows published; the relay sends them again'));
  }
}

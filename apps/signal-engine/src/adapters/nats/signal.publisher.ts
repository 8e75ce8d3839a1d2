import { headers as natsHeaders, type MsgHdrs } from '@nats-io/nats-core';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { Envelope } from '@mt5/contracts';
import { Metrics } from '@mt5/infra/health';
import type { Logger } from '@mt5/infra/logging';
import { encodeEnvelope, PlatformHeaders, publishEnvelope, subjectIn, type ProvisionOptions } from '@mt5/infra/nats';
import { withSpan } from '@mt5/infra/telemetry';
import type pg from 'pg';
import type { OutgoingSignal, SignalPublisher } from '../../application/ports.js';

interface OutboxRow { id: string; subject: string; payload: Envelope; headers: Record<string, string> }

function relayHeaders(envelope: Envelope, trace: Readonly<Record<string, string>>): MsgHdrs {
  const h = natsHeaders();
  h.set('Nats-Msg-Id', envelope.id);
  h.set(PlatformHeaders.type, envelope.type);
  h.set(PlatformHeaders.correlationId, envelope.correlationId);
  // The bar's trace, as captured when the row was written.
  if (trace.traceparent) h.set('traceparent', trace.traceparent);
  if (trace.tracestate) h.set('tracestate', trace.tracestate);
  return h;
}

/**
 * Publishes committed signals on `sig.evt.<strategy>.<symbol>` (each in its own producer span,
 * a child of the bar's consume span), then marks their outbox rows published. A failed publish
 * is logged and left to the relay, which sends every unpublished `sig.evt.` row at start and
 * then on an interval; JetStream drops the copies of rows that did go out (same `Nats-Msg-Id`).
 */
export class NatsSignalPublisher implements SignalPublisher {
  private timer: NodeJS.Timeout | undefined;
  private relaying = false;

  constructor(
    private readonly js: JetStreamClient,
    private readonly pool: pg.Pool,
    private readonly logger: Logger,
    private readonly options: { readonly provision?: ProvisionOptions; readonly relayIntervalMs: number },
  ) {}

  async publish(signals: readonly OutgoingSignal[]): Promise<void> {
    const sent: string[] = [];
    for (const { subject, envelope } of signals) {
      const data = envelope.data;
      try {
        await withSpan(`signal ${data.strategyId} ${data.symbol}`, {
          kind: 'producer',
          attributes: {
            'messaging.system': 'nats', 'messaging.destination.name': subject, 'messaging.message.id': envelope.id,
            'mt5.strategy': data.strategyId, 'mt5.symbol': data.symbol, 'mt5.side': data.side, 'mt5.bar_time': data.barTime,
          },
        }, () => publishEnvelope(this.js, subjectIn(subject, this.options.provision), envelope));
        sent.push(envelope.id);
        Metrics.signals.inc({ strategy: data.strategyId, symbol: data.symbol, side: data.side });
        this.logger.info({ signalId: envelope.id, side: data.side, price: data.price, stopLoss: data.stopLoss, takeProfit: data.takeProfit, reason: data.reason }, 'signal published');
      } catch (error) {
        this.logger.warn({ err: error, signalId: envelope.id }, 'signal publish failed; the outbox relay sends it again');
      }
    }
    await this.markPublished(sent);
  }

  /** Sends unpublished signal rows older than `minAgeMs`, oldest first; returns how many went out. */
  async relay(minAgeMs: number): Promise<number> {
    if (this.relaying) return 0;
    this.relaying = true;
    try {
      const { rows } = await this.pool.query<OutboxRow>(
        `SELECT id, subject, payload, headers FROM outbox WHERE published_at IS NULL AND subject LIKE 'sig.evt.%'
           AND created_at <= now() - make_interval(secs => $1) ORDER BY id LIMIT 500`,
        [minAgeMs / 1000],
      );
      const sent: string[] = [];
      for (const row of rows) {
        try {
          await this.js.publish(subjectIn(row.subject, this.options.provision), encodeEnvelope(row.payload), { msgID: row.payload.id, headers: relayHeaders(row.payload, row.headers) });
          sent.push(row.payload.id);
          const data = row.payload.data as { strategyId: string; symbol: string; side: string };
          Metrics.signals.inc({ strategy: data.strategyId, symbol: data.symbol, side: data.side });
        } catch (error) {
          await this.pool.query('UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1', [row.id, String((error as Error).message).slice(0, 500)]).catch(() => undefined);
          this.logger.warn({ err: error, signalId: row.payload.id }, 'outbox relay could not publish; the next pass tries again');
          break;
        }
      }
      await this.markPublished(sent);
      if (sent.length > 0) this.logger.info({ count: sent.length }, 'outbox relay published signals left unpublished');
      return sent.length;
    } finally {
      this.relaying = false;
    }
  }

  startRelay(): void {
    const pass = (minAgeMs: number) => void this.relay(minAgeMs).catch((error) => this.logger.error({ err: error }, 'outbox relay failed'));
    pass(0);
    this.timer = setInterval(() => pass(this.options.relayIntervalMs), this.options.relayIntervalMs);
    this.timer.unref();
  }

  stopRelay(): void {
    clearInterval(this.timer);
  }

  private async markPublished(messageIds: readonly string[]): Promise<void> {
    if (messageIds.length === 0) return;
    await this.pool.query('UPDATE outbox SET published_at = now(), attempts = attempts + 1 WHERE message_id = ANY($1::text[])', [messageIds])
      .catch((error) => this.logger.warn({ err: error }, 'could not mark outbox rows published; the relay sends them again'));
  }
}

import { headers as natsHeaders, type MsgHdrs, type NatsConnection } from '@nats-io/nats-core';
import type { JetStreamClient, PubAck } from '@nats-io/jetstream';
import type { Envelope } from '@mt5/contracts';
import { injectTraceContext } from '../telemetry/index.js';

const encoder = new TextEncoder();

/** Header names the platform sets besides `Nats-Msg-Id` and the W3C trace context. */
export const PlatformHeaders = {
  type: 'Mt5-Type',
  correlationId: 'Mt5-Correlation-Id',
  dlqReason: 'Mt5-Dlq-Reason',
  dlqCode: 'Mt5-Dlq-Code',
  dlqStream: 'Mt5-Dlq-Stream',
  dlqConsumer: 'Mt5-Dlq-Consumer',
  dlqSubject: 'Mt5-Dlq-Subject',
  dlqSequence: 'Mt5-Dlq-Sequence',
  dlqDeliveries: 'Mt5-Dlq-Deliveries',
} as const;

export function envelopeHeaders(envelope: Pick<Envelope, 'id' | 'type' | 'correlationId'>): MsgHdrs {
  const h = natsHeaders();
  h.set('Nats-Msg-Id', envelope.id);
  h.set(PlatformHeaders.type, envelope.type);
  h.set(PlatformHeaders.correlationId, envelope.correlationId);
  injectTraceContext(h);
  return h;
}

export function encodeEnvelope(envelope: Envelope): Uint8Array {
  return encoder.encode(JSON.stringify(envelope));
}

/**
 * Publishes an envelope to JetStream and waits for the stream's ack. `Nats-Msg-Id` is the
 * envelope id, so a republish inside the duplicate window is acknowledged as a duplicate and
 * not stored twice (`ack.duplicate`).
 */
export async function publishEnvelope(js: JetStreamClient, subject: string, envelope: Envelope, timeoutMs = 10_000): Promise<PubAck> {
  return js.publish(subject, encodeEnvelope(envelope), { msgID: envelope.id, headers: envelopeHeaders(envelope), timeout: timeoutMs });
}

/**
 * Publishes many envelopes keeping up to `inFlight` acks outstanding (about 4x faster than one
 * at a time). Resolves when every ack arrived; rejects on the first failure.
 */
export async function publishMany(js: JetStreamClient, items: Iterable<{ subject: string; envelope: Envelope }>, inFlight = 256): Promise<{ stored: number; duplicates: number }> {
  let stored = 0;
  let duplicates = 0;
  let pending = 0;
  let failure: unknown;
  // One waiter for a free slot instead of racing every pending promise per message.
  let wakeUp: (() => void) | undefined;
  const settle = () => {
    pending--;
    const wake = wakeUp;
    wakeUp = undefined;
    wake?.();
  };
  for (const { subject, envelope } of items) {
    if (failure) break;
    while (pending >= inFlight) await new Promise<void>((resolve) => { wakeUp = resolve; });
    pending++;
    publishEnvelope(js, subject, envelope).then((ack) => {
      if (ack.duplicate) duplicates++;
      else stored++;
    }, (error: unknown) => { failure ??= error; }).finally(settle);
  }
  while (pending > 0) await new Promise<void>((resolve) => { wakeUp = resolve; });
  if (failure) throw failure;
  return { stored, duplicates };
}

/** Core NATS publish (no stream): live fan-out such as WebSocket feeds. */
export function publishCore(nc: NatsConnection, subject: string, envelope: Envelope): void {
  nc.publish(subject, encodeEnvelope(envelope), { headers: envelopeHeaders(envelope) });
}

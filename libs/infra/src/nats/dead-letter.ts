import { headers as natsHeaders } from '@nats-io/nats-core';
import type { JetStreamClient, JsMsg } from '@nats-io/jetstream';
import type { Envelope } from '@mt5/contracts';
import type { Logger } from 'pino';
import type { ZodType } from 'zod';
import { Metrics } from '../health/metrics.js';
import { subjectIn, type ProvisionOptions } from './provisioning.js';
import { PlatformHeaders } from './publisher.js';

const decoder = new TextDecoder();
const backoff = (deliveryCount: number) => Math.min(30_000, 250 * 2 ** Math.max(0, deliveryCount - 1));

/** A message's envelope, or a permanent error coded `MSG.MALFORMED` (not JSON) or `MSG.SCHEMA_VIOLATION`. */
export function parseEnvelope<T>(msg: JsMsg, schema: ZodType<Envelope<T>>): Envelope<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(decoder.decode(msg.data));
  } catch (error) {
    throw Object.assign(new Error(`payload is not JSON: ${(error as Error).message}`), { code: 'MSG.MALFORMED' });
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    const issues = result.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw Object.assign(new Error(`schema violation: ${issues}`), { code: 'MSG.SCHEMA_VIOLATION' });
  }
  return result.data;
}

export interface DeadLetterTarget {
  readonly js: JetStreamClient;
  /** The consumed stream's name as provisioned (namespace included). */
  readonly stream: string;
  readonly durable: string;
  readonly provision?: ProvisionOptions;
  readonly logger: Logger;
}

/**
 * Copies the message to `dlq.<stream>.<consumer>` with its code and reason in `Mt5-Dlq-*` headers,
 * then terminates it. If the copy fails the message is nakked, never dropped.
 */
export async function deadLetter(target: DeadLetterTarget, msg: JsMsg, error: Error & { code?: string }): Promise<void> {
  const labels = { stream: target.stream, consumer: target.durable };
  const code = error.code ?? 'MSG.HANDLER_FAILED';
  const subject = subjectIn(`dlq.${target.stream}.${target.durable}`, target.provision);
  const h = natsHeaders();
  for (const [key, values] of msg.headers ?? []) for (const value of values) h.append(key, value);
  h.set('Nats-Msg-Id', `dlq:${target.stream}:${target.durable}:${msg.info.streamSequence}`);
  h.set(PlatformHeaders.dlqReason, error.message.slice(0, 1000).replace(/[\r\n]+/g, ' '));
  h.set(PlatformHeaders.dlqCode, code);
  h.set(PlatformHeaders.dlqStream, target.stream);
  h.set(PlatformHeaders.dlqConsumer, target.durable);
  h.set(PlatformHeaders.dlqSubject, msg.subject);
  h.set(PlatformHeaders.dlqSequence, String(msg.info.streamSequence));
  h.set(PlatformHeaders.dlqDeliveries, String(msg.info.deliveryCount));
  try {
    await target.js.publish(subject, msg.data, { headers: h, msgID: h.get('Nats-Msg-Id') });
  } catch (publishError) {
    target.logger.error({ err: publishError, ...labels }, 'could not park message in the DLQ; will retry');
    msg.nak(backoff(msg.info.deliveryCount));
    Metrics.messagesHandled.inc({ ...labels, outcome: 'nak' });
    return;
  }
  // A bare +TERM: nats-server 2.9 ignores `+TERM <reason>` (the message stayed ack-pending and
  // came back after the ack wait). The reason travels in the DLQ copy's headers instead.
  msg.term();
  Metrics.deadLetters.inc(labels);
  Metrics.messagesHandled.inc({ ...labels, outcome: 'dead_letter' });
  target.logger.warn({ ...labels, code, reason: error.message, subject: msg.subject, sequence: msg.info.streamSequence }, 'message parked in DLQ');
}

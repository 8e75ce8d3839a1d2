import { AckPolicy, DeliverPolicy, DiscardPolicy, RetentionPolicy, StorageType, type JetStreamManager, type StreamConfig, type ConsumerConfig } from '@nats-io/jetstream';
import { nanos } from '@nats-io/nats-core';
import type { ConsumerSpec, StreamSpec } from '@mt5/contracts';

export interface ProvisionOptions {
  readonly replicas?: number;
  /**
   * Prefix for stream names and subjects, used only by tests that need isolated streams on a
   * shared server (`T123_` + `MD_BARS`, `t123.` + `md.bar.>`). Production passes none.
   */
  readonly namespace?: { readonly stream: string; readonly subject: string };
}

export function streamName(spec: Pick<StreamSpec, 'name'>, options: ProvisionOptions = {}): string {
  return `${options.namespace?.stream ?? ''}${spec.name}`;
}

export function subjectIn(subject: string, options: ProvisionOptions = {}): string {
  return `${options.namespace?.subject ?? ''}${subject}`;
}

function streamConfig(spec: StreamSpec, options: ProvisionOptions): Partial<StreamConfig> & { name: string } {
  return {
    name: streamName(spec, options),
    description: spec.description,
    subjects: spec.subjects.map((s) => subjectIn(s, options)),
    retention: spec.retention === 'workqueue' ? RetentionPolicy.Workqueue : RetentionPolicy.Limits,
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    max_age: nanos(spec.maxAgeSeconds * 1000),
    duplicate_window: nanos(spec.duplicateWindowSeconds * 1000),
    num_replicas: options.replicas ?? 1,
  };
}

/**
 * Creates the stream, or updates it when its description, subjects, limits or replicas differ.
 * Safe to call from every service at every start (idempotent).
 */
export async function ensureStream(jsm: JetStreamManager, spec: StreamSpec, options: ProvisionOptions = {}): Promise<'created' | 'updated' | 'unchanged'> {
  const wanted = streamConfig(spec, options);
  const existing = await jsm.streams.info(wanted.name).catch((error: Error) => {
    if (/stream not found/i.test(error.message)) return null;
    throw error;
  });
  if (!existing) {
    await jsm.streams.add(wanted);
    return 'created';
  }
  const current = existing.config;
  const same = current.description === wanted.description
    && JSON.stringify([...current.subjects].sort()) === JSON.stringify([...(wanted.subjects ?? [])].sort())
    && current.max_age === wanted.max_age && current.duplicate_window === wanted.duplicate_window
    && current.num_replicas === wanted.num_replicas;
  if (same) return 'unchanged';
  await jsm.streams.update(wanted.name, { ...wanted, retention: undefined, storage: undefined } as Partial<StreamConfig>);
  return 'updated';
}

export function consumerConfig(spec: ConsumerSpec, options: ProvisionOptions = {}): Partial<ConsumerConfig> & { durable_name: string } {
  const filters = spec.filterSubjects.map((s) => subjectIn(s, options));
  return {
    durable_name: spec.durable,
    description: spec.description,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: nanos(spec.ackWaitSeconds * 1000),
    max_deliver: spec.maxDeliver,
    // nats-server 2.9 accepts only a single filter subject; 2.10+ accepts several.
    ...(filters.length === 1 ? { filter_subject: filters[0] } : { filter_subjects: filters }),
    max_ack_pending: 1000,
  };
}

/** Creates or updates a durable pull consumer with its description. Idempotent. */
export async function ensureConsumer(jsm: JetStreamManager, spec: ConsumerSpec, options: ProvisionOptions = {}): Promise<'created' | 'updated' | 'unchanged'> {
  const stream = streamName({ name: spec.stream }, options);
  const wanted = consumerConfig(spec, options);
  const existing = await jsm.consumers.info(stream, spec.durable).catch((error: Error) => {
    if (/consumer not found/i.test(error.message)) return null;
    throw error;
  });
  if (!existing) {
    await jsm.consumers.add(stream, wanted);
    return 'created';
  }
  const c = existing.config;
  const same = c.description === wanted.description && c.ack_wait === wanted.ack_wait && c.max_deliver === wanted.max_deliver
    && (c.filter_subject ?? '') === (wanted.filter_subject ?? '');
  if (same) return 'unchanged';
  await jsm.consumers.update(stream, spec.durable, {
    description: wanted.description, ack_wait: wanted.ack_wait, max_deliver: wanted.max_deliver,
    ...(wanted.filter_subject ? { filter_subject: wanted.filter_subject } : {}),
  });
  return 'updated';
}

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ConsumerSpec, Envelope } from '@mt5/contracts';
import { makeEnvelope } from '@mt5/contracts';
import { pino } from 'pino';
import { z } from 'zod';
import { currentTraceId, startTelemetry, withSpan } from '../telemetry/index.js';
import { connectNats, type NatsHandles } from './connection.js';
import { JetStreamConsumer } from './consumer-runner.js';
import { ensureConsumer, ensureStream, type ProvisionOptions } from './provisioning.js';
import { publishEnvelope, publishMany, PlatformHeaders } from './publisher.js';
import { Streams } from '@mt5/contracts';

// Real NATS with JetStream (the integration global setup provides NATS_URL). Each test gets its
// own namespaced streams so tests never see each other's messages.
const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const logger = pino({ level: 'silent' });
const pingSchema = z.object({
  type: z.literal('test.ping'), v: z.literal(1), id: z.string(), correlationId: z.string(), causationId: z.string().nullable(),
  tsEvent: z.string(), tsInit: z.string(), data: z.object({ n: z.number().int() }).strict(),
}) as unknown as z.ZodType<Envelope<{ n: number }>>;

let handles: NatsHandles;
let counter = 0;

function isolated(): { provision: ProvisionOptions; spec: ConsumerSpec; subject: (n: number) => string } {
  const tag = `t${Date.now().toString(36)}${(counter++).toString(36)}`;
  const provision = { namespace: { stream: `${tag.toUpperCase()}_`, subject: `${tag}.` } };
  const spec: ConsumerSpec = { stream: 'SIGNALS', durable: 'itest', filterSubjects: ['sig.evt.>'], description: 'integration test consumer', maxDeliver: 3, ackWaitSeconds: 5 };
  return { provision, spec, subject: (n) => `${tag}.sig.evt.test.S${n}` };
}

async function setUp(provision: ProvisionOptions, spec: ConsumerSpec) {
  await ensureStream(handles.jsm, Streams.SIGNALS, provision);
  await ensureStream(handles.jsm, Streams.DLQ, provision);
  await ensureConsumer(handles.jsm, spec, provision);
}

const ping = (n: number, id = `ping-${n}-${counter++}`) => makeEnvelope({ type: 'test.ping', id, data: { n }, tsEvent: new Date(0), tsInit: new Date(0) });

function waitFor(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => (predicate() ? resolve() : Date.now() - started > timeoutMs ? reject(new Error('timed out')) : setTimeout(tick, 20));
    tick();
  });
}

beforeAll(async () => {
  startTelemetry('jetstream-int-test');
  handles = await connectNats({ url: natsUrl, name: 'jetstream-int-test' });
});
afterAll(async () => {
  await handles.nc.drain();
});

describe('JetStream consume loop against a real server', () => {
  it('provisions streams and consumers idempotently, with descriptions', async () => {
    const { provision, spec } = isolated();
    expect(await ensureStream(handles.jsm, Streams.SIGNALS, provision)).toBe('created');
    expect(await ensureStream(handles.jsm, Streams.SIGNALS, provision)).toBe('unchanged');
    expect(await ensureConsumer(handles.jsm, spec, provision)).toBe('created');
    expect(await ensureConsumer(handles.jsm, spec, provision)).toBe('unchanged');
    const info = await handles.jsm.consumers.info(`${provision.namespace!.stream}SIGNALS`, 'itest');
    expect(info.config.description).toBe('integration test consumer');
    expect((await handles.jsm.streams.info(`${provision.namespace!.stream}SIGNALS`)).config.description).toBe(Streams.SIGNALS.description);
  });

  it('drops a duplicate Nats-Msg-Id inside the duplicate window', async () => {
    const { provision, spec, subject } = isolated();
    await setUp(provision, spec);
    const envelope = ping(1, 'same-id');
    const first = await publishEnvelope(handles.js, subject(1), envelope);
    const second = await publishEnvelope(handles.js, subject(1), envelope);
    expect(first.duplicate).toBe(false);
    expect(second.duplicate).toBe(true);
    expect((await handles.jsm.streams.info(`${provision.namespace!.stream}SIGNALS`)).state.messages).toBe(1);
  });

  it('publishes many with acks in flight, and a second pass is all duplicates', async () => {
    const { provision, spec, subject } = isolated();
    await setUp(provision, spec);
    const items = Array.from({ length: 500 }, (_, n) => ({ subject: subject(n % 7), envelope: ping(n, `many-${n}`) }));
    expect(await publishMany(handles.js, items, 32)).toEqual({ stored: 500, duplicates: 0 });
    expect(await publishMany(handles.js, items, 32)).toEqual({ stored: 0, duplicates: 500 });
    expect((await handles.jsm.streams.info(`${provision.namespace!.stream}SIGNALS`)).state.messages).toBe(500);
  });

  it('redelivers a message after a transient failure (nak) and acks it once handled', async () => {
    const { provision, spec, subject } = isolated();
    await setUp(provision, spec);
    const deliveries: number[] = [];
    const consumer = new JetStreamConsumer({
      js: handles.js, spec, schema: pingSchema, logger, provision, backoffMs: () => 50,
      handle: async (_envelope, context) => {
        deliveries.push(context.deliveryCount);
        if (context.deliveryCount === 1) throw Object.assign(new Error('database briefly unavailable'), { retryable: true });
      },
    });
    await consumer.start();
    await publishEnvelope(handles.js, subject(1), ping(1));
    await waitFor(() => deliveries.length === 2);
    await consumer.stop();
    expect(deliveries).toEqual([1, 2]);
    const info = await handles.jsm.consumers.info(`${provision.namespace!.stream}SIGNALS`, 'itest');
    expect(info.num_ack_pending).toBe(0);
    expect(info.num_pending).toBe(0);
  });

  it('keeps a message in progress while its handler runs longer than the ack wait: delivered once, acked once', async () => {
    const { provision, spec: base, subject } = isolated();
    const spec = { ...base, ackWaitSeconds: 2 };
    await setUp(provision, spec);
    const deliveries: number[] = [];
    const consumer = new JetStreamConsumer({
      js: handles.js, spec, schema: pingSchema, logger, provision,
      handle: async (_envelope, context) => {
        deliveries.push(context.deliveryCount);
        await new Promise((resolve) => setTimeout(resolve, 5_000));
      },
    });
    await consumer.start();
    await publishEnvelope(handles.js, subject(1), ping(1));
    let info = await handles.jsm.consumers.info(`${provision.namespace!.stream}SIGNALS`, 'itest');
    for (let i = 0; i < 200 && (deliveries.length === 0 || info.num_ack_pending > 0); i++) {
      await new Promise((r) => setTimeout(r, 50));
      info = await handles.jsm.consumers.info(`${provision.namespace!.stream}SIGNALS`, 'itest');
    }
    await consumer.stop();
    expect({ deliveries, redelivered: info.num_redelivered, ackPending: info.num_ack_pending }).toEqual({ deliveries: [1], redelivered: 0, ackPending: 0 });
  }, 20_000);

  it('terminates a permanent failure and parks it in dlq.<stream>.<consumer> with the reason', async () => {
    const { provision, spec, subject } = isolated();
    await setUp(provision, spec);
    const consumer = new JetStreamConsumer({
      js: handles.js, spec, schema: pingSchema, logger, provision,
      handle: async () => { throw Object.assign(new Error('unknown instrument XYZ'), { retryable: false, code: 'RISK.UNKNOWN_INSTRUMENT' }); },
    });
    await consumer.start();
    await publishEnvelope(handles.js, subject(7), ping(7));
    const dlqStream = `${provision.namespace!.stream}DLQ`;
    let dlq;
    for (let i = 0; i < 100 && !dlq; i++) {
      dlq = await handles.jsm.streams.getMessage(dlqStream, { last_by_subj: `${provision.namespace!.subject}dlq.${provision.namespace!.stream}SIGNALS.itest` }).catch(() => null);
      if (!dlq) await new Promise((r) => setTimeout(r, 50));
    }
    // Terminated for good: not pending, not waiting for an ack, so never delivered again.
    let info = await handles.jsm.consumers.info(`${provision.namespace!.stream}SIGNALS`, 'itest');
    for (let i = 0; i < 100 && info.num_ack_pending > 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      info = await handles.jsm.consumers.info(`${provision.namespace!.stream}SIGNALS`, 'itest');
    }
    await consumer.stop();
    expect({ ackPending: info.num_ack_pending, pending: info.num_pending, redelivered: info.num_redelivered }).toEqual({ ackPending: 0, pending: 0, redelivered: 0 });
    expect(dlq).toBeTruthy();
    expect(dlq!.header.get(PlatformHeaders.dlqCode)).toBe('RISK.UNKNOWN_INSTRUMENT');
    expect(dlq!.header.get(PlatformHeaders.dlqReason)).toBe('unknown instrument XYZ');
    expect(dlq!.header.get(PlatformHeaders.dlqSubject)).toBe(subject(7));
    expect(JSON.parse(new TextDecoder().decode(dlq!.data)).data).toEqual({ n: 7 });
  });

  it('survives a malformed payload: parks it with MSG.MALFORMED and goes on with the next message', async () => {
    const { provision, spec, subject } = isolated();
    await setUp(provision, spec);
    const handled: number[] = [];
    const consumer = new JetStreamConsumer({ js: handles.js, spec, schema: pingSchema, logger, provision, handle: async (e) => { handled.push(e.data.n); } });
    await consumer.start();
    await handles.js.publish(subject(1), new TextEncoder().encode('{not json'), { msgID: 'garbage-1' });
    await handles.js.publish(subject(1), new TextEncoder().encode(JSON.stringify({ ...ping(2), data: { n: 'two' } })), { msgID: 'bad-schema-1' });
    await publishEnvelope(handles.js, subject(3), ping(3));
    await waitFor(() => handled.length === 1);
    await consumer.stop();
    expect(handled).toEqual([3]);
    const dlq = await handles.jsm.streams.info(`${provision.namespace!.stream}DLQ`);
    expect(dlq.state.messages).toBe(2);
    const first = await handles.jsm.streams.getMessage(`${provision.namespace!.stream}DLQ`, { seq: 1 });
    expect(first!.header.get(PlatformHeaders.dlqCode)).toBe('MSG.MALFORMED');
    const secondMsg = await handles.jsm.streams.getMessage(`${provision.namespace!.stream}DLQ`, { seq: 2 });
    expect(secondMsg!.header.get(PlatformHeaders.dlqCode)).toBe('MSG.SCHEMA_VIOLATION');
    expect(secondMsg!.header.get(PlatformHeaders.dlqReason)).toContain('data.n');
  });

  it('carries the trace id from the publisher to the handler through NATS headers', async () => {
    const { provision, spec, subject } = isolated();
    await setUp(provision, spec);
    let seen: string | undefined;
    const consumer = new JetStreamConsumer({ js: handles.js, spec, schema: pingSchema, logger, provision, handle: async () => { seen = currentTraceId(); } });
    await consumer.start();
    const published = await withSpan('publish test', { kind: 'producer' }, async () => {
      await publishEnvelope(handles.js, subject(1), ping(1));
      return currentTraceId();
    });
    await waitFor(() => seen !== undefined);
    await consumer.stop();
    expect(published).toMatch(/^[0-9a-f]{32}$/);
    expect(seen).toBe(published);
  });

  it('with concurrency, starts handlers in stream order, keeps several in flight, acks each when its own handler ends', async () => {
    const { provision, spec, subject } = isolated();
    await setUp(provision, spec);
    const started: number[] = [];
    const finished: number[] = [];
    let inFlight = 0;
    let most = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    const consumer = new JetStreamConsumer({
      js: handles.js, spec, schema: pingSchema, logger, provision, concurrency: 4,
      handle: async (e) => {
        started.push(e.data.n);
        inFlight++;
        most = Math.max(most, inFlight);
        // The first message is slow: the ones behind it go on and are acked first.
        if (e.data.n === 1) await gate;
        else await new Promise((r) => setTimeout(r, 20));
        inFlight--;
        finished.push(e.data.n);
      },
    });
    for (let n = 1; n <= 10; n++) await publishEnvelope(handles.js, subject(n), ping(n));
    await consumer.start();
    await waitFor(() => finished.length === 9);
    expect(finished).not.toContain(1);
    release();
    await waitFor(() => finished.length === 10);
    await consumer.stop();
    expect(started).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(most).toBe(4);
    const info = await handles.jsm.consumers.info(`${provision.namespace!.stream}SIGNALS`, 'itest');
    expect(info.num_ack_pending + info.num_pending).toBe(0);
    expect(info.delivered.consumer_seq).toBe(10);
  });

  it('on stop, finishes the in-flight message instead of losing it, and leaves the rest for the next run', async () => {
    const { provision, spec, subject } = isolated();
    await setUp(provision, spec);
    const done: number[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    const slow = new JetStreamConsumer({
      js: handles.js, spec, schema: pingSchema, logger, provision,
      handle: async (e) => { if (e.data.n === 1) await gate; done.push(e.data.n); },
    });
    await slow.start();
    for (const n of [1, 2, 3]) await publishEnvelope(handles.js, subject(n), ping(n));
    await new Promise((r) => setTimeout(r, 200));
    const stopping = slow.stop();
    setTimeout(release, 300);
    await stopping;
    expect(done).toEqual([1]);
    // A second instance picks up what the first handed back, and nothing twice.
    const next = new JetStreamConsumer({ js: handles.js, spec, schema: pingSchema, logger, provision, handle: async (e) => { done.push(e.data.n); } });
    await next.start();
    await waitFor(() => done.length === 3);
    await next.stop();
    expect(done).toEqual([1, 2, 3]);
    const info = await handles.jsm.consumers.info(`${provision.namespace!.stream}SIGNALS`, 'itest');
    expect(info.num_ack_pending + info.num_pending).toBe(0);
  });
});


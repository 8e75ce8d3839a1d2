import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Consumers, createMessage, Subjects, TickMessage, tickEnvelopeSchema, type ConsumerSpec, type Envelope, type Tick } from '@mt5/contracts';
import { ensureConsumer, PlatformHeaders, publishEnvelope, subjectIn } from '@mt5/infra/nats';
import { waitFor } from '@mt5/testing';
import { pino } from 'pino';
import type { ZodType } from 'zod';
import { openMarketDataTestKit, type MarketDataTestKit } from '../market-data-test-kit.fixture.js';
import { JetStreamBatchConsumer, type BatchConsumerOptions, type BatchItem } from './jetstream-batch.consumer.js';

// The batch consumer against a real NATS server: its own namespaced MD_TICKS and DLQ streams, one
// durable per test, each on its own symbol's subject.
let kit: MarketDataTestKit;
let counter = 0;
const running: JetStreamBatchConsumer<Tick>[] = [];

beforeAll(async () => {
  kit = await openMarketDataTestKit();
});

afterAll(async () => {
  for (const consumer of running) await consumer.stop();
  await kit?.close();
});

const tickSubject = (symbol: string) => subjectIn(Subjects.tick('MT5', symbol), kit.provision);

async function publishTick(symbol: string, second: number): Promise<number> {
  const data: Tick = { venue: 'MT5', symbol, time: new Date(Date.UTC(2021, 0, 25, 10, 0, second)).toISOString(), bid: '1.10000', ask: '1.10010' };
  return (await publishEnvelope(kit.nats.js, tickSubject(symbol), createMessage(TickMessage, { id: `batch-test-${++counter}`, data, tsEvent: data.time, tsInit: data.time }))).seq;
}

/** A durable on one symbol's ticks, provisioned like market-data-ticks. */
async function durableFor(symbol: string): Promise<ConsumerSpec> {
  const spec: ConsumerSpec = { ...Consumers.marketDataTicks, durable: `batch-test-${symbol.toLowerCase()}`, filterSubjects: [Subjects.tick('MT5', symbol)] };
  await ensureConsumer(kit.nats.jsm, spec, kit.provision);
  return spec;
}

async function consume(spec: ConsumerSpec, handle: BatchConsumerOptions<Tick>['handle'], options: Partial<BatchConsumerOptions<Tick>> = {}): Promise<void> {
  const consumer = new JetStreamBatchConsumer<Tick>({
    js: kit.nats.js, spec, provision: kit.provision, logger: pino({ level: 'silent' }), handle,
    schema: tickEnvelopeSchema as unknown as ZodType<Envelope<Tick>>, backoffMs: () => 50, ...options,
  });
  running.push(consumer);
  await consumer.start();
}

async function drained(spec: ConsumerSpec): Promise<void> {
  await waitFor(async () => {
    const info = await kit.nats.jsm.consumers.info(kit.stream('MD_TICKS'), spec.durable);
    return info.num_pending === 0 && info.num_ack_pending === 0;
    // A parked message counts too: it must be terminated, not left to come back after ack_wait.
  }, { timeoutMs: 15_000, intervalMs: 50, description: `${spec.durable} has nothing pending or unacknowledged` });
}

/** What the DLQ holds for a durable, oldest first (read one by one: the 2.9 server has no multi-filter consumers). */
async function parked(spec: ConsumerSpec): Promise<Array<{ sequence: string | undefined; code: string | undefined; reason: string | undefined }>> {
  const subject = subjectIn(`dlq.${kit.stream('MD_TICKS')}.${spec.durable}`, kit.provision);
  const { state } = await kit.nats.jsm.streams.info(kit.stream('DLQ'));
  const out = [];
  for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq++) {
    const msg = await kit.nats.jsm.streams.getMessage(kit.stream('DLQ'), { seq });
    if (msg?.subject !== subject) continue;
    out.push({ sequence: msg.header.get(PlatformHeaders.dlqSequence), code: msg.header.get(PlatformHeaders.dlqCode), reason: msg.header.get(PlatformHeaders.dlqReason) });
  }
  return out;
}

/**
 * Holds the handler's first call until the server has delivered up to stream sequence `upTo`, so
 * the next batch is formed from a known backlog (how deliveries split into batches is timing otherwise).
 */
function gate(spec: ConsumerSpec, upTo: number): () => Promise<void> {
  let first = true;
  return async () => {
    if (!first) return;
    first = false;
    await waitFor(async () => (await kit.nats.jsm.consumers.info(kit.stream('MD_TICKS'), spec.durable)).delivered.stream_seq >= upTo,
      { timeoutMs: 10_000, intervalMs: 20, description: `messages up to ${upTo} delivered to ${spec.durable}` });
  };
}

const seconds = (items: readonly BatchItem<Tick>[]) => items.map((item) => new Date(item.envelope.data.time).getUTCSeconds());

describe('JetStreamBatchConsumer', () => {
  it('hands a backlog to the handler in stream order, in batches no larger than maxBatch, and acknowledges every message', async () => {
    const spec = await durableFor('AAABBB');
    const sequences: number[] = [];
    for (let second = 0; second < 25; second++) sequences.push(await publishTick('AAABBB', second));
    const batches: number[][] = [];
    const backlog = gate(spec, sequences[11]!);
    await consume(spec, async (items) => {
      batches.push(seconds(items));
      await backlog();
    }, { maxBatch: 10 });
    await drained(spec);
    expect(batches.flat()).toEqual(Array.from({ length: 25 }, (_, second) => second));
    expect(Math.max(...batches.map((batch) => batch.length))).toBe(10);
  });

  it('parks a message that is not JSON and one that fails the tick schema in the DLQ with their reasons, and handles the rest of their batch', async () => {
    const spec = await durableFor('CCCDDD');
    await publishTick('CCCDDD', 1);
    const notJson = await kit.nats.js.publish(tickSubject('CCCDDD'), 'not json at all');
    await publishTick('CCCDDD', 2);
    const valid = createMessage(TickMessage, { id: 'no-bid', data: { venue: 'MT5', symbol: 'CCCDDD', time: '2021-01-25T10:00:03.000Z', bid: '1.1', ask: '1.1' }, tsEvent: new Date(0), tsInit: new Date(0) });
    const withoutBid = JSON.parse(JSON.stringify(valid)) as { data: Record<string, unknown> };
    delete withoutBid.data.bid;
    const noBid = await kit.nats.js.publish(tickSubject('CCCDDD'), JSON.stringify(withoutBid));
    const last = await publishTick('CCCDDD', 4);
    const batches: number[][] = [];
    const backlog = gate(spec, last);
    await consume(spec, async (items) => {
      batches.push(seconds(items));
      await backlog();
    });
    await drained(spec);
    expect(batches.flat()).toEqual([1, 2, 4]);
    // The ticks on either side of the schema violation were handled in one batch, so it was parked from the middle of that batch.
    expect(batches.find((batch) => batch.includes(2))).toContain(4);
    const dead = await parked(spec);
    expect(dead.map((entry) => [entry.sequence, entry.code])).toEqual([[String(notJson.seq), 'MSG.MALFORMED'], [String(noBid.seq), 'MSG.SCHEMA_VIOLATION']]);
    expect(dead[1]!.reason).toContain('data.bid');
  });

  it('naks the whole batch on a transient failure and gets the same messages back, redelivered, until the handler succeeds', async () => {
    const spec = await durableFor('EEEFFF');
    let last = 0;
    for (let second = 0; second < 5; second++) last = await publishTick('EEEFFF', second);
    const calls: Array<{ deliveries: number[]; sequences: number[] }> = [];
    const backlog = gate(spec, last);
    await consume(spec, async (items) => {
      calls.push({ deliveries: items.map((item) => item.deliveryCount), sequences: items.map((item) => item.streamSequence) });
      await backlog();
      if (calls.length === 1) throw Object.assign(new Error('Postgres went away'), { retryable: true });
    });
    await drained(spec);
    const [failed, ...later] = calls;
    const redelivered = later.flatMap((call) => call.sequences.filter((_, i) => call.deliveries[i] === 2));
    expect(redelivered).toEqual(failed!.sequences);
    expect(later.flatMap((call) => call.sequences).sort((a, b) => a - b)).toHaveLength(5);
    expect(new Set(later.flatMap((call) => call.sequences)).size).toBe(5);
  });

  it('retries a batch message by message after a permanent failure, so only the message that caused it is parked', async () => {
    const spec = await durableFor('GGGHHH');
    let last = 0;
    for (let second = 0; second < 4; second++) last = await publishTick('GGGHHH', second);
    const calls: number[][] = [];
    const backlog = gate(spec, last);
    await consume(spec, async (items) => {
      calls.push(seconds(items));
      await backlog();
      if (seconds(items).includes(2)) throw Object.assign(new Error('tick 2 can never be used'), { code: 'MD.TEST_POISON', retryable: false });
    });
    await drained(spec);
    // The batch holding tick 2 failed as a whole and was then tried one message at a time.
    const failedBatch = calls.find((call) => call.length > 1 && call.includes(2));
    expect(failedBatch).toBeDefined();
    expect(calls.slice(calls.indexOf(failedBatch!) + 1, calls.indexOf(failedBatch!) + 1 + failedBatch!.length)).toEqual(failedBatch!.map((second) => [second]));
    const dead = await parked(spec);
    expect(dead.map((entry) => [entry.code, entry.reason])).toEqual([['MD.TEST_POISON', 'tick 2 can never be used']]);
  });
});

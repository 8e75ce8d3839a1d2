import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { headers } from '@nats-io/transport-node';
import { connectNats, type NatsHandles } from '@mt5/infra/nats';
import { testEnv, uniqueName } from '@mt5/testing';
import { JetStreamAsyncPublisher, StreamPublishError } from './jetstream-async-publisher.js';

let nats: NatsHandles;
let publisher: JetStreamAsyncPublisher;
const stream = uniqueName('asyncpub').toUpperCase();
const subject = `${stream.toLowerCase()}.bars`;
const withId = (id: string) => {
  const h = headers();
  h.set('Nats-Msg-Id', id);
  return h;
};

beforeAll(async () => {
  nats = await connectNats({ url: testEnv().natsUrl, name: 'async-publisher-test' });
  await nats.jsm.streams.add({ name: stream, subjects: [`${subject}.>`], duplicate_window: 60_000_000_000 });
  publisher = new JetStreamAsyncPublisher(nats.nc, 2_000);
});

afterAll(async () => {
  publisher?.close();
  await nats?.jsm.streams.delete(stream).catch(() => undefined);
  await nats?.nc.drain();
});

describe('JetStream publishing with acks on one reply subscription', () => {
  it('resolves with the stream ack, and says "duplicate" for a message id the stream already has', async () => {
    const first = await publisher.publish(`${subject}.a`, new TextEncoder().encode('{"n":1}'), withId('bar-1'));
    const again = await publisher.publish(`${subject}.a`, new TextEncoder().encode('{"n":1}'), withId('bar-1'));
    expect(first).toEqual({ stream, seq: 1, duplicate: false });
    expect(again).toEqual({ stream, seq: 1, duplicate: true });
    expect((await nats.jsm.streams.info(stream)).state.messages).toBe(1);
  });

  it('keeps many messages in flight and matches every ack to its message', async () => {
    const acks = await Promise.all(Array.from({ length: 500 }, (_, i) => publisher.publish(`${subject}.b`, new TextEncoder().encode(String(i)), withId(`many-${i}`))));
    expect(new Set(acks.map((ack) => ack.seq)).size).toBe(500);
    expect((await nats.jsm.streams.info(stream)).state.messages).toBe(501);
  });

  it('rejects, as retryable, a message no stream captures instead of waiting for a timeout', async () => {
    const started = performance.now();
    const failure = await publisher.publish(`${stream.toLowerCase()}-nowhere.x`, new Uint8Array(0), withId('lost')).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StreamPublishError);
    expect(failure).toMatchObject({ code: 'MD.NO_STREAM', retryable: true });
    expect(performance.now() - started).toBeLessThan(1_500);
  });
});

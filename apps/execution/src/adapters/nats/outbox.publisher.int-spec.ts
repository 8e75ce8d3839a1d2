import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createMessage, OrderExpiredMessage, Streams } from '@mt5/contracts';
import { connectNats, ensureStream, type NatsHandles, type ProvisionOptions } from '@mt5/infra/nats';
import { applyMigrations, createPgPool } from '@mt5/infra/prisma';
import { testEnv, uniqueName, waitFor } from '@mt5/testing';
import type pg from 'pg';
import { pino } from 'pino';
import type { OutboxMessage } from '../../application/orders/order.types.js';
import { PgOrderStore } from '../persistence/pg-order.store.js';
import { NatsOutboxPublisher } from './outbox.publisher.js';

// Publish-after-commit with a relay: an event committed with its state change but never published
// (the process died in between) goes out on the next relay pass; one published twice is stored once.
const schema = uniqueName('outbox_itest');
const tag = uniqueName('ob');
const provision: ProvisionOptions = { namespace: { stream: `${tag.toUpperCase()}_`, subject: `${tag}.` } };
let pool: pg.Pool;
let nats: NatsHandles;
let store: PgOrderStore;

function expiredEvent(clientOrderId: string): OutboxMessage {
  const data = { account: 'acct-ob', clientOrderId, symbol: 'EURUSD', side: 'BUY' as const, orderType: 'MARKET' as const, time: new Date().toISOString(), status: 'EXPIRED' as const, orderTicket: null, reason: 'test' };
  const envelope = createMessage(OrderExpiredMessage, { id: `${clientOrderId}:2`, data, tsEvent: new Date(), tsInit: new Date() });
  return { subject: OrderExpiredMessage.subject(data), envelope, headers: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' } };
}

async function storedMessages(): Promise<number> {
  return (await nats.jsm.streams.info(`${provision.namespace!.stream}EXEC_EVT`)).state.messages;
}

beforeAll(async () => {
  const env = testEnv();
  await applyMigrations({ connectionString: env.databaseUrl, schema });
  pool = createPgPool({ url: env.databaseUrl, schema, poolMax: 2 });
  store = new PgOrderStore(pool);
  nats = await connectNats({ url: env.natsUrl, name: 'outbox-itest' });
  await ensureStream(nats.jsm, Streams.EXEC_EVT, provision);
});

afterAll(async () => {
  await nats.jsm.streams.delete(`${provision.namespace!.stream}EXEC_EVT`).catch(() => undefined);
  await nats.nc.drain();
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pool.end();
});

describe('the outbox', () => {
  it('relays a committed event that was never published, with its trace context, and marks it', async () => {
    const publisher = new NatsOutboxPublisher(nats.js, pool, pino({ level: 'silent' }), { account: 'acct-ob', provision, relayIntervalMs: 60_000 });
    const before = await storedMessages();
    await store.commit({ messages: [expiredEvent('lost-1')] });
    expect(await publisher.relay(0)).toBe(1);
    expect(await storedMessages()).toBe(before + 1);
    const message = await nats.jsm.streams.getMessage(`${provision.namespace!.stream}EXEC_EVT`, { last_by_subj: `${tag}.exec.evt.acct-ob.order` });
    expect(message!.header.get('traceparent')).toBe('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
    expect(message!.header.get('Nats-Msg-Id')).toBe('lost-1:2');
    const { rows } = await pool.query(`SELECT published_at FROM outbox WHERE message_id = 'lost-1:2'`);
    expect(rows[0].published_at).not.toBeNull();
    expect(await publisher.relay(0)).toBe(0);
  });

  it('publishes right after commit, and a second publish of the same event is dropped by JetStream', async () => {
    const publisher = new NatsOutboxPublisher(nats.js, pool, pino({ level: 'silent' }), { account: 'acct-ob', provision, relayIntervalMs: 60_000 });
    const before = await storedMessages();
    const committed = await store.commit({ messages: [expiredEvent('twice-1')] });
    await publisher.publish(committed.outbox);
    await publisher.publish(committed.outbox);
    expect(await storedMessages()).toBe(before + 1);
    await waitFor(async () => (await pool.query(`SELECT 1 FROM outbox WHERE message_id = 'twice-1:2' AND published_at IS NOT NULL`)).rowCount === 1);
  });

  it('never writes the same event id into the outbox twice', async () => {
    const first = await store.commit({ messages: [expiredEvent('once-1')] });
    const second = await store.commit({ messages: [expiredEvent('once-1')] });
    expect(first.outbox).toHaveLength(1);
    expect(second.outbox).toHaveLength(0);
  });
});

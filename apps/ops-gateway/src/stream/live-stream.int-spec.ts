// The live stream end to end: a WebSocket client against the in-process gateway; events published
// on the (namespaced) bus as the services publish them; the state change made through the API and
// published by the risk-guard stand-in.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BarClosedMessage, createMessage, DealExecutedMessage, Subjects } from '@mt5/contracts';
import { subjectIn } from '@mt5/infra/nats';
import { startGateway, type GatewayHarness } from '../testing/gateway-harness.fixture.js';
import { StreamTestClient } from '../testing/stream-client.fixture.js';

let gw: GatewayHarness;
const clients: StreamTestClient[] = [];

beforeAll(async () => {
  gw = await startGateway({ OPS_WS_HEARTBEAT_SECONDS: '1', OPS_WS_IDLE_SECONDS: '3' });
}, 60_000);

afterAll(async () => {
  for (const client of clients) client.close();
  await gw?.close();
});

function connect(headers: Record<string, string> = {}): StreamTestClient {
  const client = new StreamTestClient(gw.wsUrl, headers);
  clients.push(client);
  return client;
}

async function authenticated(channels: string[]): Promise<StreamTestClient> {
  const client = connect();
  await client.send({ type: 'auth', key: gw.keys.viewer });
  await client.next((frame) => frame.type === 'welcome', 5000, 'welcome');
  await client.send({ type: 'subscribe', channels });
  await client.next((frame) => frame.type === 'subscribed', 5000, 'subscribed');
  return client;
}

let sequence = 0;
const publish = (subject: string, envelope: unknown) => gw.nats.nc.publish(subjectIn(subject, gw.provision), JSON.stringify(envelope));
const time = '2024-03-04T10:00:00.000Z';
function bar(symbol: string) {
  const data = { venue: 'MT5', symbol, timeframe: 'M1' as const, openTime: '2024-03-04T09:59:00.000Z', closeTime: time, open: '1.085', high: '1.086', low: '1.084', close: '1.0855', tickVolume: 12 };
  return { subject: BarClosedMessage.subject(data), envelope: createMessage(BarClosedMessage, { id: `bar-${++sequence}`, tsEvent: time, tsInit: time, data }) };
}
function deal() {
  const data = {
    account: 'paper-1', dealTicket: '9001', orderTicket: '8001', positionId: '7001', clientOrderId: 'c1', symbol: 'EURUSD', side: 'BUY' as const, entry: 'IN' as const,
    volume: '0.10', price: '1.0855', commission: '-0.70', swap: '0', profit: '0', time, magic: 770001, comment: 'c1', reason: 'EXPERT' as const,
  };
  return { subject: DealExecutedMessage.subject(data), envelope: createMessage(DealExecutedMessage, { id: `deal-${++sequence}`, tsEvent: time, tsInit: time, data }) };
}

describe('the live stream', () => {
  it('delivers the bar, the fill and the state change a client subscribed to, and nothing it did not', async () => {
    const client = await authenticated(['bars:EURUSD', 'fills', 'state']);
    const eurusd = bar('EURUSD');
    publish(eurusd.subject, eurusd.envelope);
    const gbpusd = bar('GBPUSD');
    publish(gbpusd.subject, gbpusd.envelope);
    publish(Subjects.tick('MT5', 'EURUSD'), { type: 'md.tick', data: { symbol: 'EURUSD' } });
    const fill = deal();
    publish(fill.subject, fill.envelope);
    publish(Subjects.executionEvent('paper-1', 'order'), { type: 'exec.order.filled' });
    publish(Subjects.signal('ma-cross', 'EURUSD'), { type: 'sig.signal' });
    publish(Subjects.riskEvent('decision'), { type: 'risk.decision' });
    await gw.nats.nc.flush();
    const reset = await gw.request('POST', '/api/v1/risk/breakers/DAILY_LOSS/reset', { key: gw.keys.admin, body: { reason: 'reviewed' } });
    expect(reset.status).toBe(200);
    const last = bar('EURUSD');
    publish(last.subject, last.envelope);
    await client.next((frame) => frame.message?.id === last.envelope.id, 5000, 'the last bar');

    expect(client.events().map((frame) => [frame.channel, frame.subject, frame.message.type])).toEqual([
      ['bars:EURUSD', 'md.bar.MT5.EURUSD.M1', 'md.bar.closed'],
      ['fills', 'exec.evt.paper-1.deal', 'exec.deal.executed'],
      ['state', 'risk.evt.breaker', 'risk.breaker.changed'],
      ['bars:EURUSD', 'md.bar.MT5.EURUSD.M1', 'md.bar.closed'],
    ]);
    expect(client.events()[0]!.message).toEqual(eurusd.envelope);
    expect(client.events()[2]!.message.data).toMatchObject({ breaker: 'DAILY_LOSS', state: 'CLOSED', previousState: 'OPEN', reason: 'reviewed' });
  });

  it('stops a channel on unsubscribe and refuses channels it does not know, keeping the connection', async () => {
    const client = await authenticated(['quotes:EURUSD', 'fills']);
    publish(Subjects.tick('MT5', 'EURUSD'), { type: 'md.tick', id: 'tick-1' });
    await client.next((frame) => frame.message?.id === 'tick-1', 5000, 'the first tick');
    await client.send({ type: 'unsubscribe', channels: ['quotes:EURUSD'] });
    await client.next((frame) => frame.type === 'unsubscribed', 5000, 'unsubscribed');
    publish(Subjects.tick('MT5', 'EURUSD'), { type: 'md.tick', id: 'tick-2' });
    const fill = deal();
    publish(fill.subject, fill.envelope);
    await client.next((frame) => frame.message?.id === fill.envelope.id, 5000, 'the fill');
    expect(client.events().map((frame) => frame.message.id)).toEqual(['tick-1', fill.envelope.id]);
    await client.send({ type: 'subscribe', channels: ['weather', 'bars:'] });
    const refused = await client.next((frame) => frame.type === 'subscribed' && frame.refused, 5000, 'refusal');
    expect(refused.refused.map((entry: { channel: string }) => entry.channel)).toEqual(['weather', 'bars:']);
    expect(client.closed).toBeNull();
  });

  it('authenticates with the X-API-Key header, and closes a connection with a bad key or none with 4401', async () => {
    const byHeader = connect({ 'x-api-key': gw.keys.operator });
    expect(await byHeader.next((frame) => frame.type === 'welcome')).toMatchObject({ principal: { name: gw.names.operator, role: 'operator' } });
    const badKey = connect({ 'x-api-key': 'mt5_nope' });
    expect(await badKey.waitClosed()).toEqual({ code: 4401, reason: 'invalid API key' });
    const noKey = connect();
    await noKey.send({ type: 'subscribe', channels: ['fills'] });
    expect((await noKey.waitClosed()).code).toBe(4401);
  });

  it('sends heartbeats and closes a connection that stays silent past the idle timeout with 4408', async () => {
    const silent = connect({ 'x-api-key': gw.keys.viewer });
    await silent.next((frame) => frame.type === 'welcome');
    await silent.next((frame) => frame.type === 'heartbeat', 3000, 'heartbeat');
    const talking = await authenticated(['state']);
    const pings = setInterval(() => void talking.send({ type: 'ping' }), 500);
    try {
      expect(await silent.waitClosed(6000)).toEqual({ code: 4408, reason: 'idle' });
      expect(talking.closed).toBeNull();
      expect(talking.frames.some((frame) => frame.type === 'pong')).toBe(true);
    } finally {
      clearInterval(pings);
    }
  }, 15_000);
});

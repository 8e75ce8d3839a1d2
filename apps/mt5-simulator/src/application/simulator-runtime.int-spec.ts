import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BarClosedMessage, createMessage, type BridgeBody } from '@mt5/contracts';
import { BridgeServer, type BridgeSession } from '@mt5/infra/bridge';
import { connectNats, requestQuery, type NatsHandles } from '@mt5/infra/nats';
import { startNatsServer, waitFor, type NatsTestServer } from '@mt5/testing';
import { pino } from 'pino';
import { loadServiceConfig } from '../config.js';
import { SimulatorRuntime } from './simulator-runtime.js';

// The simulator as it runs in the service: driven by closed bars on (a private) NATS, controlled
// over NATS request/reply, connected to a real bridge server.
const SECRET = 'runtime-test-secret-123';
const MONDAY_10 = Date.UTC(2022, 0, 10, 10, 0);

let nats: NatsTestServer;
let handles: NatsHandles;
let gateway: BridgeServer;
let runtime: SimulatorRuntime;
let session: BridgeSession;
const sessions: BridgeSession[] = [];

function barMessage(openTime: number, prices: { open: string; high: string; low: string; close: string }) {
  return createMessage(BarClosedMessage, {
    id: `bar-${openTime}`, tsEvent: new Date(openTime + 60_000), tsInit: new Date(openTime + 60_000),
    data: { venue: 'MT5', symbol: 'EURUSD', timeframe: 'M1', openTime: new Date(openTime).toISOString(), closeTime: new Date(openTime + 60_000).toISOString(), tickVolume: 10, ...prices },
  });
}

async function publishBar(openTime: number, prices: { open: string; high: string; low: string; close: string }) {
  const message = barMessage(openTime, prices);
  handles.nc.publish(BarClosedMessage.subject(message.data), JSON.stringify(message));
  await handles.nc.flush();
  await waitFor(() => runtime.broker.quote('EURUSD')?.time === openTime + 59_000, { description: 'bar applied' });
}

const buy = (extra: Partial<BridgeBody<'trade_request'>> = {}): BridgeBody<'trade_request'> => ({
  action: 'DEAL', symbol: 'EURUSD', type: 'BUY', volume: 0.1, typeFilling: 'IOC', magic: 9, comment: 'driven', ...extra,
});

beforeAll(async () => {
  nats = await startNatsServer();
  handles = await connectNats({ url: nats.url, name: 'simulator-runtime-test' });
  gateway = new BridgeServer({ port: 0, secretFor: (account) => (account === 'paper-7' ? SECRET : undefined) });
  const { port } = await gateway.listen();
  gateway.on('session', (opened) => sessions.push(opened));
  const config = loadServiceConfig({
    NATS_URL: nats.url, ACCOUNT_ID: 'paper-7', BRIDGE_PORT: String(port), BRIDGE_SHARED_SECRET: SECRET, SIM_FEED: 'driven', SIM_SYMBOLS: 'EURUSD',
  });
  runtime = new SimulatorRuntime(config, handles.nc, pino({ level: 'silent' }));
  runtime.start();
  await waitFor(() => sessions.length === 1 && runtime.terminal.isConnected, { description: 'terminal connected' });
  session = sessions[0]!;
});

afterAll(async () => {
  runtime?.stop();
  await gateway?.close();
  await handles?.nc.close();
  await nats?.stop();
});

describe('the simulator driven by closed bars on NATS', () => {
  it('quotes bid = bar close and ask = close + spread after each bar, and a buy fills at that ask', async () => {
    await publishBar(MONDAY_10, { open: '1.13000', high: '1.13020', low: '1.12990', close: '1.13010' });
    expect(runtime.broker.quote('EURUSD')).toEqual({ bid: 1.1301, ask: 1.13018, time: MONDAY_10 + 59_000 });
    const reply = await session.request('trade_request', buy({ sl: 1.1295 }), 2000);
    expect(reply.body).toMatchObject({ retcode: 10009, price: 1.13018 });
  });

  it('checks the stop loss against the next bar range and fills it at the level', async () => {
    await publishBar(MONDAY_10 + 60_000, { open: '1.13010', high: '1.13015', low: '1.12900', close: '1.12960' });
    const positions = await session.request('positions_request', { magic: 9 }, 2000);
    expect(positions.body.positions).toEqual([]);
    const deals = await session.request('deals_request', { from: MONDAY_10, to: MONDAY_10 + 120_000, magic: 9, maxCount: 10 }, 2000);
    expect(deals.body.deals.map((d) => [d.entry, d.price, d.reason])).toEqual([['IN', 1.13018, 'EXPERT'], ['OUT', 1.1295, 'SL']]);
  });

  it('serves bars it was driven with as history', async () => {
    const bars = await session.request('bars_request', { symbol: 'EURUSD', timeframe: 'M1', from: MONDAY_10, to: MONDAY_10 + 60_000, maxCount: 10 }, 2000);
    expect(bars.body.bars.map((bar) => bar.close)).toEqual([1.1301, 1.1296]);
  });
});

describe('the simulator control subjects', () => {
  it('queues faults from sim.ctl.faults and reports what is left', async () => {
    const reply = await requestQuery<{ pending: unknown[] }>(handles.nc, 'sim.ctl.faults', { mode: 'replace', rules: [{ kind: 'requote', times: 2 }] });
    expect(reply).toEqual({ ok: true, data: { pending: [{ kind: 'requote', times: 2 }] } });
    expect((await session.request('trade_request', buy(), 2000)).body.retcode).toBe(10004);
    const after = await requestQuery(handles.nc, 'sim.ctl.faults', { mode: 'get' });
    expect(after).toEqual({ ok: true, data: { pending: [{ kind: 'requote', times: 1 }] } });
    const invalid = await requestQuery(handles.nc, 'sim.ctl.faults', { rules: [{ kind: 'meteor_strike' }] });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'MSG.SCHEMA_VIOLATION' } });
    await requestQuery(handles.nc, 'sim.ctl.faults', { mode: 'replace', rules: [] });
  });

  it('sets a quote with sim.ctl.quote and reports positions with sim.qry.state', async () => {
    const quote = await requestQuery(handles.nc, 'sim.ctl.quote', { symbol: 'EURUSD', bid: 1.14, ask: 1.14008, time: MONDAY_10 + 180_000 });
    expect(quote).toEqual({ ok: true, data: { quote: { bid: 1.14, ask: 1.14008, time: MONDAY_10 + 180_000 } } });
    await session.request('trade_request', buy({ comment: 'state' }), 2000);
    const state = await requestQuery<{ connected: boolean; positions: { comment: string; openPrice: number }[] }>(handles.nc, 'sim.qry.state');
    expect(state.ok && state.data.connected).toBe(true);
    expect(state.ok && state.data.positions.map((p) => [p.comment, p.openPrice])).toEqual([['state', 1.14008]]);
  });

  it('crashes the terminal with sim.ctl.crash: it comes back as a new EA instance with the broker books intact', async () => {
    const before = sessions.length;
    const crash = await requestQuery<{ eaInstanceId: string }>(handles.nc, 'sim.ctl.crash', { restartAfterMs: 100 });
    await waitFor(() => sessions.length === before + 1 && !sessions.at(-1)!.isClosed, { description: 'a new session' });
    const restarted = sessions.at(-1)!;
    expect(restarted.hello.eaInstanceId).toBe(crash.ok && crash.data.eaInstanceId);
    expect(restarted.hello.eaInstanceId).not.toBe(session.hello.eaInstanceId);
    expect((await restarted.request('positions_request', {}, 2000)).body.positions).toHaveLength(1);
    session = restarted;
  });
});

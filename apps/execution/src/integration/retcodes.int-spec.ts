import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createMessage, SubmitOrderMessage, type SubmitOrder, type SymbolSpec } from '@mt5/contracts';
import { waitFor } from '@mt5/testing';
import { ACCOUNT, ExecutionHarness, MONDAY_10 } from '../testing/execution-harness.fixture.js';

// Retcodes from the simulator over the real socket: requote, price changed and price off are sent
// again with a fresh price; final refusals are REJECTED at once with their retcode.
let harness: ExecutionHarness;
let sequence = 0;

function submit(overrides: Partial<SubmitOrder> = {}) {
  const clientOrderId = overrides.clientOrderId ?? `rc-${Date.now().toString(36)}-${++sequence}`;
  return createMessage(SubmitOrderMessage, {
    id: `cmd-${clientOrderId}`, tsEvent: new Date(), tsInit: new Date(),
    data: {
      clientOrderId, account: ACCOUNT, symbol: 'EURUSD', side: 'BUY', orderType: 'MARKET', volume: '0.1', magic: 770002, comment: clientOrderId,
      validUntil: new Date(Date.now() + 30_000).toISOString(), ...overrides,
    },
  });
}

async function run(overrides: Partial<SubmitOrder> = {}) {
  const command = submit(overrides);
  await harness.send(command);
  const order = await harness.waitStatus(command.data.clientOrderId, ['FILLED', 'REJECTED', 'EXPIRED', 'UNKNOWN']);
  const events = () => harness.eventsOf((e) => (e.envelope.data as { clientOrderId?: string }).clientOrderId === command.data.clientOrderId);
  await waitFor(() => events().some((e) => (e.envelope.data as { status?: string }).status === order.status), { description: `the ${order.status} event` });
  return { order, events: events() };
}

beforeAll(async () => {
  harness = await ExecutionHarness.start();
  await harness.quote(1.1, 1.10008);
}, 60_000);

afterAll(async () => {
  await harness?.stop();
});

describe('retcodes worth a fresh price', () => {
  it.each([['requote', 10004], ['price_changed', 10020], ['price_off', 10021]])('%s (%i) is sent again with a fresh price and fills', async (kind, retcode) => {
    await harness.simControl('faults', { mode: 'replace', rules: [{ kind, times: 2 }] });
    const { order, events } = await run();
    expect(order).toMatchObject({ status: 'FILLED', attempts: 3, lastRetcode: retcode });
    expect(events.filter((e) => e.envelope.type === 'exec.order.submitted').map((e) => (e.envelope.data as { attempt: number }).attempt)).toEqual([1, 2, 3]);
    expect(await harness.brokerOrdersFor(order.comment)).toHaveLength(1);
    await harness.assertInvariants([order.clientOrderId]);
  });

  it('stops after the configured number of sends and rejects with the requote', async () => {
    await harness.simControl('faults', { mode: 'replace', rules: [{ kind: 'requote', times: 3 }] });
    const { order, events } = await run();
    expect(order).toMatchObject({ status: 'REJECTED', attempts: 3, lastRetcode: 10004 });
    expect(events.at(-1)?.envelope.data).toMatchObject({ status: 'REJECTED', retcode: 10004, code: 'EXEC.RETRIES_EXHAUSTED' });
    expect(await harness.brokerOrdersFor(order.comment)).toEqual([]);
    await harness.assertInvariants([order.clientOrderId]);
  });
});

describe('final refusals', () => {
  const finals: [string, number, () => Promise<Partial<SubmitOrder>>][] = [
    ['an invalid volume', 10014, async () => ({ volume: '0.001' })],
    ['stops on the wrong side', 10016, async () => ({ stopLoss: '1.20000' })],
    ['no money for the margin', 10019, async () => ({ volume: '90' })],
    ['a filling mode the symbol no longer allows', 10030, async () => {
      // The broker changed BTCUSDT to IOC only after the gateway cached its spec.
      await harness.quote(20_000, 20_015, 'BTCUSDT');
      const cached = (await harness.runtime.link.symbols(['BTCUSDT'])).specs[0] as SymbolSpec;
      harness.runtime.market.addSpecs([{ ...cached, fillingModes: ['FOK'] }]);
      return { symbol: 'BTCUSDT', volume: '0.01' };
    }],
    ['a closed market', 10018, async () => {
      await harness.simControl('quote', { symbol: 'EURUSD', bid: 1.1, ask: 1.10008, time: MONDAY_10 + 5 * 86_400_000 });
      return {};
    }],
  ];

  it.each(finals)('%s is REJECTED with retcode %i after one send', async (_what, retcode, prepare) => {
    await harness.simControl('faults', { mode: 'replace', rules: [] });
    const { order, events } = await run(await prepare());
    expect(order).toMatchObject({ status: 'REJECTED', attempts: 1, lastRetcode: retcode });
    expect(events.map((e) => e.envelope.type)).toEqual(['exec.order.submitted', 'exec.order.rejected']);
    expect(events[1]!.envelope.data).toMatchObject({ retcode, code: 'EXEC.VENUE_REJECTED' });
    expect(await harness.brokerOrdersFor(order.comment)).toEqual([]);
    await harness.assertInvariants([order.clientOrderId]);
  });
});

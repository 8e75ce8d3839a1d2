import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createMessage, SubmitOrderMessage, type SubmitOrder } from '@mt5/contracts';
import { ACCOUNT, ExecutionHarness } from '../testing/execution-harness.fixture.js';

// Timeouts and drops during a trade: the outcome is UNKNOWN, the order is never sent again, and
// querying the simulator settles it (TRADE_TIMEOUT_MS 1.5 s and SETTLE_WINDOW_MS 3 s in the harness).
let harness: ExecutionHarness;
let sequence = 0;

function submit(overrides: Partial<SubmitOrder> = {}) {
  const clientOrderId = overrides.clientOrderId ?? `uo-${Date.now().toString(36)}-${++sequence}`;
  return createMessage(SubmitOrderMessage, {
    id: `cmd-${clientOrderId}`, tsEvent: new Date(), tsInit: new Date(),
    data: {
      clientOrderId, account: ACCOUNT, symbol: 'EURUSD', side: 'BUY', orderType: 'MARKET', volume: '0.1', magic: 770003, comment: clientOrderId,
      validUntil: new Date(Date.now() + 30_000).toISOString(), ...overrides,
    },
  });
}

async function runWithFault(rule: Record<string, unknown>) {
  await harness.simControl('faults', { mode: 'replace', rules: [rule] });
  const command = submit();
  await harness.send(command);
  const clientOrderId = command.data.clientOrderId;
  await harness.waitStatus(clientOrderId, ['UNKNOWN', 'FILLED', 'REJECTED', 'EXPIRED']);
  const settled = await harness.waitStatus(clientOrderId, ['FILLED', 'REJECTED', 'EXPIRED'], 20_000);
  const statuses = (await harness.pool.query<{ to_status: string }>('SELECT to_status FROM order_events WHERE client_order_id = $1 ORDER BY seq', [clientOrderId])).rows.map((r) => r.to_status);
  return { order: settled, statuses };
}

beforeAll(async () => {
  harness = await ExecutionHarness.start();
  await harness.quote(1.1, 1.10008);
}, 60_000);

afterAll(async () => {
  await harness?.stop();
});

describe('a timeout where the broker did execute', () => {
  it.each([['no reply at all', 'no_reply'], ['a 10012 reply', 'reply']])('(%s) settles FILLED with exactly one position and no second order', async (_what, mode) => {
    const { order, statuses } = await runWithFault({ kind: 'timeout', mode, executed: true });
    expect(order.status).toBe('FILLED');
    expect(statuses).toEqual(['NEW', 'SUBMITTED', 'UNKNOWN', 'FILLED']);
    expect(await harness.brokerOrdersFor(order.comment)).toHaveLength(1);
    const state = await harness.simState();
    expect(state.positions.filter((p) => p.comment === order.comment)).toHaveLength(1);
    await harness.assertInvariants([order.clientOrderId]);
  });
});

describe('a timeout where the broker did not execute', () => {
  it('stays UNKNOWN through the settle window, then is REJECTED with 10012, never resent', async () => {
    const { order, statuses } = await runWithFault({ kind: 'timeout', mode: 'reply', executed: false });
    expect(order).toMatchObject({ status: 'REJECTED', lastRetcode: 10012, attempts: 1 });
    expect(statuses).toEqual(['NEW', 'SUBMITTED', 'UNKNOWN', 'REJECTED']);
    expect(order.lastError).toMatch(/never executed/);
    expect(await harness.brokerOrdersFor(order.comment)).toEqual([]);
    await harness.assertInvariants([order.clientOrderId]);
  });
});

describe('a connection lost during the trade', () => {
  it('after the broker executed: UNKNOWN, then FILLED by the reconciliation of the next session', async () => {
    const { order, statuses } = await runWithFault({ kind: 'disconnect_after' });
    expect(order.status).toBe('FILLED');
    expect(statuses).toEqual(['NEW', 'SUBMITTED', 'UNKNOWN', 'FILLED']);
    expect(await harness.brokerOrdersFor(order.comment)).toHaveLength(1);
    await harness.waitReady();
    await harness.assertInvariants([order.clientOrderId]);
  });

  it('before the request reached the broker: UNKNOWN, then EXPIRED once provably absent, never resent', async () => {
    const { order, statuses } = await runWithFault({ kind: 'disconnect_before' });
    expect(order).toMatchObject({ status: 'EXPIRED', attempts: 1 });
    expect(statuses).toEqual(['NEW', 'SUBMITTED', 'UNKNOWN', 'EXPIRED']);
    expect(await harness.brokerOrdersFor(order.comment)).toEqual([]);
    await harness.waitReady();
    await harness.assertInvariants([order.clientOrderId]);
  });
});

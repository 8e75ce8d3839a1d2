import { afterEach, describe, expect, it } from '@jest/globals';
import { createMessage, SubmitOrderMessage } from '@mt5/contracts';
import { waitFor } from '@mt5/testing';
import { ACCOUNT, ExecutionHarness } from '../testing/execution-harness.fixture.js';

// The gateway dies after the broker accepted an order and before it wrote anything about it. A
// new gateway instance (same database, same NATS) reconciles with the terminal when it connects:
// it finds the deal, fills the order, keeps one position, and the redelivered command sends nothing.
let harness: ExecutionHarness | undefined;

/** A gateway hook that never returns: the process "dies" at that point (the test then kills it). */
function dieAfterTheTradeResult() {
  let reached = false;
  return {
    get reached() {
      return reached;
    },
    hooks: {
      afterTradeResult: () => {
        reached = true;
        return new Promise<void>(() => undefined);
      },
    },
  };
}

function submit(clientOrderId: string) {
  return createMessage(SubmitOrderMessage, {
    id: `cmd-${clientOrderId}`, tsEvent: new Date(), tsInit: new Date(),
    data: {
      clientOrderId, account: ACCOUNT, symbol: 'EURUSD', side: 'BUY', orderType: 'MARKET', volume: '0.1', magic: 770004, comment: clientOrderId,
      validUntil: new Date(Date.now() + 60_000).toISOString(),
    },
  });
}

async function statuses(clientOrderId: string): Promise<string[]> {
  return (await harness!.pool.query<{ to_status: string }>('SELECT to_status FROM order_events WHERE client_order_id = $1 ORDER BY seq', [clientOrderId])).rows.map((r) => r.to_status);
}

async function commandsSettled(): Promise<boolean> {
  const info = await harness!.client.jsm.consumers.info('EXEC_CMD', harness!.consumerSpec.durable);
  return info.num_pending === 0 && info.num_ack_pending === 0;
}

afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

describe('a gateway killed between the broker accepting an order and the database update', () => {
  it('when the trade result had arrived: the next instance reconciles, fills it, and does not send again', async () => {
    const death = dieAfterTheTradeResult();
    harness = await ExecutionHarness.start({ hooks: death.hooks });
    await harness.quote(1.1, 1.10008);
    const clientOrderId = `crash-a-${Date.now().toString(36)}`;
    await harness.send(submit(clientOrderId));
    await waitFor(() => death.reached, { description: 'the trade result reached the gateway' });
    expect((await harness.order(clientOrderId))!.status).toBe('SUBMITTED');

    await harness.killRuntime();
    await harness.startRuntime();
    await harness.waitReady();
    const order = await harness.waitStatus(clientOrderId, ['FILLED', 'REJECTED', 'EXPIRED']);
    expect(order.status).toBe('FILLED');
    expect(await statuses(clientOrderId)).toEqual(['NEW', 'SUBMITTED', 'UNKNOWN', 'FILLED']);
    // The command was never acked by the dead instance: it comes back, finds the order filled, sends nothing.
    await waitFor(commandsSettled, { timeoutMs: 15_000, description: 'the redelivered command acknowledged' });
    expect(await harness.brokerOrdersFor(clientOrderId)).toHaveLength(1);
    expect((await harness.simState()).positions.filter((p) => p.comment === clientOrderId)).toHaveLength(1);
    await harness.assertInvariants([clientOrderId]);
  });

  it('when the terminal crashed right after accepting (no result): the next instance settles it from the deal', async () => {
    const death = dieAfterTheTradeResult();
    harness = await ExecutionHarness.start({ hooks: death.hooks });
    await harness.quote(1.1, 1.10008);
    await harness.simControl('faults', { mode: 'replace', rules: [{ kind: 'crash_after_accept', restartAfterMs: 1500 }] });
    const clientOrderId = `crash-b-${Date.now().toString(36)}`;
    await harness.send(submit(clientOrderId));
    await waitFor(() => death.reached, { description: 'the dropped trade request reached the gateway' });

    await harness.killRuntime();
    await harness.startRuntime();
    await harness.waitReady();
    const order = await harness.waitStatus(clientOrderId, ['FILLED', 'REJECTED', 'EXPIRED']);
    expect(order.status).toBe('FILLED');
    expect(await statuses(clientOrderId)).toEqual(['NEW', 'SUBMITTED', 'UNKNOWN', 'FILLED']);
    await waitFor(commandsSettled, { timeoutMs: 15_000, description: 'the redelivered command acknowledged' });
    expect(await harness.brokerOrdersFor(clientOrderId)).toHaveLength(1);
    await harness.assertInvariants([clientOrderId]);
  });
});

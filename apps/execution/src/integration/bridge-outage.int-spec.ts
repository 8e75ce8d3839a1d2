import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Subscription } from '@nats-io/nats-core';
import { createMessage, Subjects, SubmitOrderMessage, type SubmitOrder } from '@mt5/contracts';
import { serveQuery } from '@mt5/infra/nats';
import { waitFor } from '@mt5/testing';
import { pino } from 'pino';
import { ACCOUNT, ExecutionHarness } from '../testing/execution-harness.fixture.js';

// Commands that arrive while the terminal is gone wait, in order, until their deadline. When the
// terminal is back, the gateway reconciles first; only then does a waiting command go, after
// risk-guard (played by this test) approves it again. Past its deadline, or without an answer
// from risk, it expires with the reason.
let harness: ExecutionHarness;
let risk: Subscription | undefined;
const rechecked: string[] = [];
let sequence = 0;

function submit(validForMs: number, overrides: Partial<SubmitOrder> = {}) {
  const clientOrderId = `out-${Date.now().toString(36)}-${++sequence}`;
  return createMessage(SubmitOrderMessage, {
    id: `cmd-${clientOrderId}`, tsEvent: new Date(), tsInit: new Date(),
    data: {
      clientOrderId, account: ACCOUNT, symbol: 'EURUSD', side: 'BUY', orderType: 'MARKET', volume: '0.1', magic: 770005, comment: clientOrderId,
      validUntil: new Date(Date.now() + validForMs).toISOString(), ...overrides,
    },
  });
}

/** The terminal dies and comes back after `restartAfterMs`; resolves once the gateway saw it go. */
async function terminalGoesAway(restartAfterMs: number): Promise<void> {
  await harness.simControl('crash', { restartAfterMs });
  await waitFor(() => harness.runtime.gate.state === 'DISCONNECTED', { description: 'the gateway noticed the terminal is gone' });
}

function lastReadyAt(): number {
  return harness.runtime.gateChanges.filter((change) => change.state === 'READY').at(-1)!.at;
}

beforeAll(async () => {
  harness = await ExecutionHarness.start();
  await harness.quote(1.1, 1.10008);
}, 60_000);

afterAll(async () => {
  risk?.unsubscribe();
  await harness?.stop();
});

describe('commands arriving while the bridge is down', () => {
  it('wait in order: one expires at its deadline, the next goes after reconnection, reconciliation and a risk re-check', async () => {
    risk = serveQuery(harness.client.nc, {
      subject: Subjects.query('risk-guard', 'recheck'),
      handle: (request: { command: SubmitOrder }) => {
        rechecked.push(request.command.clientOrderId);
        return { approved: true };
      },
    }, pino({ level: 'silent' }));
    await terminalGoesAway(2500);
    const shortLived = submit(600);
    const patient = submit(30_000);
    await harness.send(shortLived);
    await harness.send(patient);

    const expired = await harness.waitStatus(shortLived.data.clientOrderId, ['EXPIRED', 'FILLED', 'REJECTED', 'UNKNOWN']);
    expect(expired).toMatchObject({ status: 'EXPIRED', attempts: 0 });
    expect(expired.lastError).toMatch(/passed while waiting: no terminal session/);

    const filled = await harness.waitStatus(patient.data.clientOrderId, ['FILLED', 'EXPIRED', 'REJECTED', 'UNKNOWN'], 30_000);
    expect(filled.status).toBe('FILLED');
    expect(rechecked).toEqual([patient.data.clientOrderId]);
    await waitFor(() => harness.eventsOf((e) => e.envelope.type === 'exec.order.submitted' && (e.envelope.data as { clientOrderId: string }).clientOrderId === patient.data.clientOrderId).length > 0);
    const submitted = harness.eventsOf((e) => e.envelope.type === 'exec.order.submitted' && (e.envelope.data as { clientOrderId: string }).clientOrderId === patient.data.clientOrderId)[0]!;
    // Sent only after the new session was reconciled.
    expect(Date.parse(submitted.envelope.tsEvent)).toBeGreaterThanOrEqual(lastReadyAt());
    expect(harness.eventsOf((e) => (e.envelope.data as { clientOrderId?: string }).clientOrderId === shortLived.data.clientOrderId).map((e) => e.envelope.type)).toEqual(['exec.order.expired']);
    await harness.assertInvariants([shortLived.data.clientOrderId, patient.data.clientOrderId]);
  });

  it('expires a waiting command when nobody answers the risk re-check', async () => {
    risk?.unsubscribe();
    risk = undefined;
    await terminalGoesAway(1000);
    const command = submit(30_000);
    await harness.send(command);
    const order = await harness.waitStatus(command.data.clientOrderId, ['EXPIRED', 'FILLED', 'REJECTED', 'UNKNOWN'], 30_000);
    expect(order).toMatchObject({ status: 'EXPIRED', attempts: 0 });
    expect(order.lastError).toMatch(/risk re-check after waiting for the bridge: risk re-check unanswered/);
    expect(await harness.brokerOrdersFor(order.comment)).toEqual([]);
    await harness.assertInvariants([order.clientOrderId]);
  });
});

import type { BridgeFrame, MarginMode } from '@mt5/contracts';
import { BridgeServer, type BridgeSession } from '@mt5/infra/bridge';
import { newBroker } from '../broker/broker.fixture.js';
import { FaultPlan, type FaultRuleInput } from './fault-plan.js';
import { SimTerminal } from './sim-terminal.js';

export const SECRET = 'simulator-test-secret';
export const ACCOUNT = 'paper-1';

/** Polls until `predicate` holds (5 ms steps); rejects after `timeoutMs`. */
export async function until(predicate: () => boolean, timeoutMs = 3000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`until: ${what} not met after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * A gateway (the real BridgeServer on a free loopback port) with the simulator terminal connected
 * to it over TCP, on the broker of `newBroker`. Frames the terminal pushes are kept in `pushed`.
 */
export async function startHarness(options: { marginMode?: MarginMode; balance?: number; faults?: FaultRuleInput[] } = {}) {
  const server = new BridgeServer({ port: 0, secretFor: (account) => (account === ACCOUNT ? SECRET : undefined), heartbeatIntervalMs: 1000 });
  const { port } = await server.listen();
  const { broker } = newBroker(options.marginMode ?? 'HEDGING', options.balance ?? 10_000);
  const terminal = new SimTerminal({
    broker, account: ACCOUNT, host: '127.0.0.1', port, secret: SECRET, faults: new FaultPlan(options.faults ?? []),
    reconnect: { initialDelayMs: 20, maxDelayMs: 50 },
  });
  const pushed: BridgeFrame[] = [];
  let session: BridgeSession | undefined;
  const sessions: BridgeSession[] = [];
  server.on('session', (opened) => {
    session = opened;
    sessions.push(opened);
    opened.on('frame', (frame) => pushed.push(frame));
  });
  terminal.start();
  await until(() => session !== undefined && terminal.isConnected, 3000, 'terminal connected');
  return {
    server, broker, terminal, pushed, sessions,
    get session(): BridgeSession {
      return session!;
    },
    /** Waits for a session newer than `previous` (after a drop or a crash). */
    async nextSession(previous: BridgeSession, timeoutMs = 3000): Promise<BridgeSession> {
      await until(() => session !== previous && session !== undefined && !session.isClosed, timeoutMs, 'a new session');
      return session!;
    },
    transactions(): BridgeFrame<'trade_transaction'>[] {
      return pushed.filter((frame): frame is BridgeFrame<'trade_transaction'> => frame.kind === 'trade_transaction');
    },
    async stop() {
      terminal.stop();
      await server.close();
    },
  };
}

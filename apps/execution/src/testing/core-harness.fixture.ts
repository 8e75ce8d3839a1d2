import { createMessage, SubmitOrderMessage, type SubmitOrder } from '@mt5/contracts';
import { pino } from 'pino';
import { CommandHandler } from '../application/commands/command-handler.js';
import type { ExecutionContext, ExecutionSettings } from '../application/execution-context.js';
import { FillRecorder } from '../application/fills/fill-recorder.js';
import { CircuitBreaker } from '../application/guards/circuit-breaker.js';
import { GuardedTerminal } from '../application/guards/guarded-terminal.js';
import type { StoredOutboxMessage } from '../application/orders/order.types.js';
import { systemClock, type Clock } from '../application/ports.js';
import { PositionSync } from '../application/positions/position-sync.js';
import { Reconciler } from '../application/reconcile/reconciler.js';
import { AsyncLock } from '../application/session/async-lock.js';
import { BridgeGate } from '../application/session/bridge-gate.js';
import { MarketState } from '../application/session/market-state.js';
import { OrderSettler } from '../application/settle-order/order-settler.js';
import { OrderExecutor } from '../application/submit-order/order-executor.js';
import { FakeTerminal } from './fake-terminal.fixture.js';
import { InMemoryOrderStore } from './in-memory-order.store.fixture.js';

export const ACCOUNT = 'acct-1';

let counter = 0;

/** A submit-order command envelope; `validUntil` defaults to a minute from now. */
export function submitCommand(overrides: Partial<SubmitOrder> = {}) {
  const clientOrderId = overrides.clientOrderId ?? `co-${Date.now().toString(36)}-${++counter}`;
  const data: SubmitOrder = {
    clientOrderId, account: ACCOUNT, symbol: 'EURUSD', side: 'BUY', orderType: 'MARKET', volume: '0.1', magic: 770001, comment: clientOrderId,
    validUntil: new Date(Date.now() + 60_000).toISOString(), ...overrides,
  };
  return createMessage(SubmitOrderMessage, { id: `cmd-${clientOrderId}-${++counter}`, data, tsEvent: new Date(), tsInit: new Date() });
}

/**
 * The execution core on fakes: an in-memory store, a scriptable terminal behind the real circuit
 * breaker, the real gate, lock, executor, settler, fill recorder and reconciler.
 */
export function coreHarness(options: { clock?: Clock; settings?: Partial<ExecutionSettings>; riskApproves?: boolean } = {}) {
  const clock = options.clock ?? systemClock;
  const store = new InMemoryOrderStore();
  const fake = new FakeTerminal();
  const breaker = new CircuitBreaker({ failureThreshold: 3, cooldownMs: 60_000, now: () => performance.now() });
  const terminal = new GuardedTerminal(fake, breaker);
  const gate = new BridgeGate({ clock, available: () => terminal.isAvailable(), pollMs: 5 });
  gate.set('READY');
  const published: StoredOutboxMessage[] = [];
  const rechecks: string[] = [];
  const context: ExecutionContext = {
    account: ACCOUNT, store, terminal, gate, lock: new AsyncLock(), market: new MarketState(),
    rateLimiter: { acquire: async () => ({ allowed: true, retryAfterMs: 0 }) },
    risk: {
      recheck: async (command) => {
        rechecks.push(command.clientOrderId);
        return options.riskApproves === false ? { approved: false, reason: 'RISK.TRADING_HALTED: state=HALTED' } : { approved: true, reason: 'approved' };
      },
    },
    outbox: { publish: async (rows) => { published.push(...rows); } },
    clock, logger: pino({ level: 'silent' }), hooks: {},
    settings: { priceRetryAttempts: 3, deviationPoints: 10, settleWindowMs: 30_000, settleLookbackMs: 86_400_000, ...options.settings },
  };
  const fills = new FillRecorder(context);
  const settler = new OrderSettler(context, fills);
  const commands = new CommandHandler(context, new OrderExecutor(context, fills, settler));
  const positionSync = new PositionSync(context);
  const reconciler = new Reconciler(context, fills, settler, positionSync, { initialLookbackMs: 7 * 86_400_000, overlapMs: 60_000 });
  const control = { signal: new AbortController().signal };
  return {
    store, fake, terminal, breaker, gate, context, commands, settler, reconciler, positionSync, published, rechecks, control,
    /** Types of the events published for one order, in order. */
    eventTypes: (clientOrderId: string) => published.filter((m) => (m.envelope.data as { clientOrderId?: string }).clientOrderId === clientOrderId).map((m) => m.envelope.type),
  };
}

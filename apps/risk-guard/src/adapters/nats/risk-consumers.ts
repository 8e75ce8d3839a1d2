import type { JetStreamClient } from '@nats-io/jetstream';
import {
  AccountSnapshotMessage,
  BridgeHealthMessage,
  Consumers,
  DealExecutedMessage,
  OrderEventMessages,
  PositionClosedMessage,
  PositionSnapshotMessage,
  SignalMessage,
  type Envelope,
  type Signal,
} from '@mt5/contracts';
import type { Logger } from '@mt5/infra/logging';
import { JetStreamConsumer, type ProvisionOptions } from '@mt5/infra/nats';
import { isTransientDbError } from '@mt5/infra/prisma';
import { z } from 'zod';
import type { DecideOrderUseCase } from '../../application/decide-order/decide-order.use-case.js';
import type { ApplyExecutionEventUseCase, ExecutionEvent } from '../../application/execution-events/apply-execution-event.use-case.js';
import type { StrategySettings } from '../../application/ports.js';
import type { RiskStore } from '../../application/risk-store.port.js';
import { signalToIntent } from '../messages/decision.mapper.js';

/**
 * Handler failures: a database that is down or busy is retried (`nak`); anything else is a bug
 * or bad data that would fail again, so the message is parked in the DLQ with the reason.
 */
async function classify(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (isTransientDbError(error)) throw error;
    const e = error as { retryable?: unknown };
    if (e && typeof e === 'object' && e.retryable === true) throw error;
    throw Object.assign(error instanceof Error ? error : new Error(String(error)), { retryable: false });
  }
}

/** Messages of one consumer in flight at once: queued units of an account commit together (see PgRiskStore.inAccount). */
const CONCURRENCY = 64;

/** A strategy's config names another account than the one its signal was routed to: the signal is tried again. */
class StrategyMovedError extends Error {
  readonly code = 'SYS.CONFLICT';
  readonly retryable = true;
}

/**
 * The account each strategy trades on, remembered: the account must be known to queue a signal's
 * unit, and a query per signal would cost a round trip before it. The decision verifies it on the
 * strategy row it reads in its own transaction (a moved strategy's signal is retried on the new
 * account). Lookups answer in the order they were asked, so signals reach their account's queue
 * in stream order even when one needed the database.
 */
export class StrategyAccounts {
  private readonly known = new Map<string, string>();
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;

  constructor(private readonly store: Pick<RiskStore, 'strategy'>, private readonly defaultAccount: string) {}

  /** The account, at once when known and nothing is being looked up ahead of it. */
  resolve(strategyId: string): string | Promise<string> {
    const known = this.known.get(strategyId);
    if (known !== undefined && this.pending === 0) return known;
    this.pending++;
    const looked = this.tail.then(async () => {
      const again = this.known.get(strategyId);
      if (again !== undefined) return again;
      const account = (await this.store.strategy(strategyId))?.account ?? this.defaultAccount;
      this.known.set(strategyId, account);
      return account;
    }).finally(() => this.pending--);
    this.tail = looked.catch(() => undefined);
    return looked;
  }

  /** Throws (retryable) when the row read under the account's lock names another account than the one remembered. */
  verify(strategyId: string, routedTo: string, strategy: StrategySettings | null): void {
    const account = strategy?.account ?? this.defaultAccount;
    if (account === routedTo) return;
    this.known.delete(strategyId);
    throw new StrategyMovedError(`strategy ${strategyId} trades on account ${account} now, not ${routedTo}: the signal is decided again there`);
  }
}

export interface RiskConsumerDependencies {
  readonly js: JetStreamClient;
  readonly logger: Logger;
  readonly provision?: ProvisionOptions;
  readonly store: RiskStore;
  readonly decide: DecideOrderUseCase;
  readonly executionEvents: ApplyExecutionEventUseCase;
  /** Account of signals whose strategy config names none. */
  readonly defaultAccount: string;
}

/**
 * `risk-guard-signals`: every signal is decided once. A signal already decided (redelivered,
 * or republished by signal-engine) makes no new decision; the decision's messages still
 * unpublished (a crash between commit and publish) are sent now, under their original ids.
 */
export function signalsConsumer(deps: RiskConsumerDependencies): JetStreamConsumer<Signal> {
  const accounts = new StrategyAccounts(deps.store, deps.defaultAccount);
  return new JetStreamConsumer<Signal>({
    js: deps.js, spec: Consumers.riskGuardSignals, logger: deps.logger, provision: deps.provision, concurrency: CONCURRENCY,
    schema: SignalMessage.envelope as unknown as z.ZodType<Envelope<Signal>>,
    handle: (envelope) => classify(async () => {
      const signal = envelope.data;
      const resolved = accounts.resolve(signal.strategyId);
      const account = typeof resolved === 'string' ? resolved : await resolved;
      const result = await deps.decide.decide({
        account, intent: signalToIntent(signal), cause: envelope, requestedBy: null,
        checkStrategy: (strategy) => accounts.verify(signal.strategyId, account, strategy),
      });
      if (result.kind === 'duplicate') {
        deps.logger.info({ signalId: signal.signalId, decisionId: result.previous.decisionId }, 'signal already decided; nothing new sent');
        await deps.store.republishDecision(result.previous.decisionId);
      }
    }),
  });
}

const executionEventSchema = z.discriminatedUnion('type', [
  AccountSnapshotMessage.envelope, PositionSnapshotMessage.envelope, PositionClosedMessage.envelope, DealExecutedMessage.envelope,
  BridgeHealthMessage.envelope, ...OrderEventMessages.map((definition) => definition.envelope),
]);

/** `risk-guard-exec-events`: account snapshots, positions, deals and order results from every account. */
export function executionEventsConsumer(deps: RiskConsumerDependencies): JetStreamConsumer<unknown> {
  return new JetStreamConsumer<unknown>({
    js: deps.js, spec: Consumers.riskGuardExecutionEvents, logger: deps.logger, provision: deps.provision, concurrency: CONCURRENCY,
    schema: executionEventSchema as unknown as z.ZodType<Envelope<unknown>>,
    handle: (envelope) => classify(() => deps.executionEvents.apply(envelope, envelope as unknown as ExecutionEvent)),
  });
}

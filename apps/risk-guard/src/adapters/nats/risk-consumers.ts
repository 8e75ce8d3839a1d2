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
  return new JetStreamConsumer<Signal>({
    js: deps.js, spec: Consumers.riskGuardSignals, logger: deps.logger, provision: deps.provision,
    schema: SignalMessage.envelope as unknown as z.ZodType<Envelope<Signal>>,
    handle: (envelope) => classify(async () => {
      const signal = envelope.data;
      const strategy = await deps.store.strategy(signal.strategyId);
      const account = strategy?.account ?? deps.defaultAccount;
      const result = await deps.decide.decide({ account, intent: signalToIntent(signal), cause: envelope, requestedBy: null, strategy });
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
    js: deps.js, spec: Consumers.riskGuardExecutionEvents, logger: deps.logger, provision: deps.provision,
    schema: executionEventSchema as unknown as z.ZodType<Envelope<unknown>>,
    handle: (envelope) => classify(() => deps.executionEvents.apply(envelope, envelope as unknown as ExecutionEvent)),
  });
}

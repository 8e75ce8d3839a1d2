import {
  AccountSnapshotMessage, BreakerChangedMessage, BridgeHealthMessage, DealExecutedMessage, OrderDeniedMessage, OrderEventMessages,
  PositionClosedMessage, PositionSnapshotMessage, RiskDecisionMessage, TradingStateChangedMessage,
  type AccountSnapshot, type Deal, type Envelope, type OrderSubmitted, type PositionClosed, type PositionSnapshot,
} from '@mt5/contracts';
import type { EnvelopeHandler } from '@mt5/infra/nats';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { HistoryRecorder, RecordOutcome } from '../../application/record-history/history-recorder.js';

/**
 * Every message kind published on `exec.evt.>`, parsed strictly: reporting uses deals, positions,
 * account snapshots and the stop of submitted orders, and acknowledges the rest unchanged. A
 * kind not listed here fails the parse and is parked in the DLQ with the reason.
 */
export const executionEventSchema = z.discriminatedUnion('type', [
  ...OrderEventMessages.map((definition) => definition.envelope),
  DealExecutedMessage.envelope, PositionSnapshotMessage.envelope, PositionClosedMessage.envelope, AccountSnapshotMessage.envelope,
  BridgeHealthMessage.envelope,
] as unknown as [z.ZodObject, ...z.ZodObject[]]) as unknown as z.ZodType<Envelope<unknown>>;

/** Every message kind published on `risk.evt.>`. */
export const riskEventSchema = z.discriminatedUnion('type', [
  RiskDecisionMessage.envelope, OrderDeniedMessage.envelope, TradingStateChangedMessage.envelope, BreakerChangedMessage.envelope,
] as unknown as [z.ZodObject, ...z.ZodObject[]]) as unknown as z.ZodType<Envelope<unknown>>;

function logOutcome(logger: Logger, envelope: Envelope<unknown>, outcome: RecordOutcome): void {
  if (outcome === 'ignored') return;
  logger[outcome === 'applied' ? 'debug' : 'info']({ type: envelope.type, messageId: envelope.id, outcome }, 'history event');
}

/** Routes a parsed execution event to the history recorder. */
export function executionEventHandler(recorder: HistoryRecorder, logger: Logger): EnvelopeHandler<unknown> {
  return async (envelope) => {
    let outcome: RecordOutcome = 'ignored';
    switch (envelope.type) {
      case DealExecutedMessage.type:
        outcome = await recorder.recordDeal(envelope as Envelope<Deal>);
        break;
      case PositionSnapshotMessage.type:
        outcome = await recorder.recordPositionSnapshot(envelope as Envelope<PositionSnapshot>);
        break;
      case PositionClosedMessage.type:
        outcome = await recorder.recordPositionClosed(envelope as Envelope<PositionClosed>);
        break;
      case AccountSnapshotMessage.type:
        outcome = await recorder.recordAccountSnapshot(envelope as Envelope<AccountSnapshot>);
        break;
      case 'exec.order.submitted': {
        const order = envelope.data as OrderSubmitted;
        recorder.rememberOrderStop(order.clientOrderId, order.stopLoss);
        break;
      }
      default:
        break;
    }
    logOutcome(logger, envelope, outcome);
  };
}

/**
 * Risk events are parsed (a malformed one is parked in the DLQ, as everywhere) and acknowledged.
 * risk-guard records state changes and breaker transitions in its own tables, which reports read;
 * reporting keeps its durable on `risk.evt.>` so a projection of its own can later be built by
 * replaying the stream from the start.
 */
export function riskEventHandler(logger: Logger): EnvelopeHandler<unknown> {
  return async (envelope) => {
    logger.debug({ type: envelope.type, messageId: envelope.id }, 'risk event acknowledged');
  };
}

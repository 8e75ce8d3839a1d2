import type { Envelope } from '@mt5/contracts';
import { withSpan } from '@mt5/infra/telemetry';
import type { Clock, OutboxMessage } from '../ports.js';
import type { RiskStore } from '../risk-store.port.js';

export interface CancelOrderRequest {
  readonly intentId: string;
  readonly account: string;
  readonly clientOrderId: string;
  readonly requestedBy: string;
  readonly reason: string | null;
}

export interface CancelOrderSent {
  readonly account: string;
  readonly clientOrderId: string;
  readonly intentId: string;
  /** The envelope id of the cancel command (stable per intent id: sending the intent again sends nothing new). */
  readonly commandId: string;
}

/** Builds the `exec.cmd.<account>.cancel-order` message (the wire mapper, injected). */
export type CancelMessageFactory = (request: CancelOrderRequest, now: Date, cause: Pick<Envelope, 'id' | 'correlationId'>) => OutboxMessage;

/**
 * An operator's cancel of a pending order this service allowed. A cancel only ever removes risk,
 * so no check applies (a halted account, an open breaker, Redis down: it still goes out); the
 * command is written to the outbox with the audit row and published after the commit.
 */
export class CancelOrderUseCase {
  constructor(private readonly store: RiskStore, private readonly clock: Clock, private readonly message: CancelMessageFactory) {}

  cancel(request: CancelOrderRequest): Promise<CancelOrderSent> {
    return withSpan('risk.cancel-order', { attributes: { 'mt5.account': request.account, 'mt5.client_order_id': request.clientOrderId } }, async () => {
      const decision = await this.store.decisionByClientOrderId(request.clientOrderId);
      if (!decision || decision.outcome !== 'ALLOW' || decision.asked.account !== request.account) {
        throw Object.assign(new Error(`risk-guard allowed no order ${request.clientOrderId} on ${request.account}`), { code: 'OPS.NOT_FOUND', retryable: false });
      }
      const now = this.clock.now();
      const cause = { id: `cancel-${request.intentId}`, correlationId: decision.correlationId };
      const message = this.message(request, now, cause);
      await this.store.inAccount(request.account, { cause, now }, async (unit) => {
        unit.enqueue([message]);
        await unit.audit({ actor: request.requestedBy, role: 'operator', action: 'risk.cancel-order', params: { ...request }, result: 'ok' });
      });
      return { account: request.account, clientOrderId: request.clientOrderId, intentId: request.intentId, commandId: message.envelope.id };
    });
  }
}

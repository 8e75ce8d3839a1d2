import type { JetStreamClient } from '@nats-io/jetstream';
import {
  CancelOrderMessage,
  ClosePositionMessage,
  FlattenAllMessage,
  SubmitOrderMessage,
  type ConsumerSpec,
  type Envelope,
  type OrderCommandEnvelope,
} from '@mt5/contracts';
import type { Logger } from '@mt5/infra/logging';
import { JetStreamConsumer, type HandlerContext, type ProvisionOptions } from '@mt5/infra/nats';
import { z } from 'zod';
import type { CommandHandler } from '../../application/commands/command-handler.js';

/** Any of the four order commands, each strictly parsed by its own definition. */
export const orderCommandEnvelopeSchema = z.discriminatedUnion('type', [
  SubmitOrderMessage.envelope, CancelOrderMessage.envelope, ClosePositionMessage.envelope, FlattenAllMessage.envelope,
]) as unknown as z.ZodType<Envelope<unknown>>;

/**
 * The durable consumer of `exec.cmd.<account>.>`. The runner hands over one message at a time in
 * stream order, which is the per-account serialization: a command that waits for the bridge holds
 * the ones behind it, and keeps its message in progress (`working()`) while it waits. It is acked
 * after the handler returns (the order reached a state the gateway no longer drives) and nakked
 * when the handler throws a retryable error (the service is stopping, the database is down).
 */
export function createCommandConsumer(options: {
  readonly js: JetStreamClient;
  readonly spec: ConsumerSpec;
  readonly handler: CommandHandler;
  readonly signal: AbortSignal;
  readonly logger: Logger;
  readonly provision?: ProvisionOptions;
}): JetStreamConsumer<unknown> {
  const { handler, signal } = options;
  return new JetStreamConsumer<unknown>({
    js: options.js, spec: options.spec, schema: orderCommandEnvelopeSchema, logger: options.logger, provision: options.provision,
    // One at a time anyway; a small buffer keeps few messages away from a peer instance on stop.
    batch: 8,
    handle: async (raw, context: HandlerContext) => {
      const envelope = raw as OrderCommandEnvelope;
      const control = { signal, keepAlive: () => context.working() };
      switch (envelope.type) {
        case 'exec.submit-order':
          await handler.submit(envelope, control);
          return;
        case 'exec.cancel-order':
          await handler.cancel(envelope, control);
          return;
        case 'exec.close-position':
          await handler.closePosition(envelope, control);
          return;
        case 'exec.flatten-all':
          await handler.flattenAll(envelope, control);
      }
    },
  });
}

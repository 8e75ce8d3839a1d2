import type { JetStreamClient } from '@nats-io/jetstream';
import { BarClosedMessage, type BarClosedEnvelope, type ConsumerSpec, type Envelope } from '@mt5/contracts';
import type { Logger } from '@mt5/infra/logging';
import { JetStreamConsumer, type ProvisionOptions } from '@mt5/infra/nats';
import { injectTraceContext } from '@mt5/infra/telemetry';
import type { ZodType } from 'zod';
import type { EvaluateBarUseCase } from '../../application/evaluate-bar/evaluate-bar.use-case.js';
import type { SignalPublisher } from '../../application/ports.js';

/** The W3C trace context of the active span (the bar's consume span) as plain headers. */
export function activeTraceHeaders(): Record<string, string> {
  const headers = new Map<string, string>();
  injectTraceContext({ get: (key) => headers.get(key), set: (key, value) => void headers.set(key, value) });
  return Object.fromEntries(headers);
}

/**
 * The durable consumer of closed bars (`signal-engine-bars` on MD_BARS). Each bar is evaluated
 * and committed (signals, outbox, processed markers), then its new signals are published, then
 * the runner acks. A failure before the commit throws and the bar is redelivered (nak with
 * backoff); a bar that does not parse goes to the DLQ.
 */
export function createBarsConsumer(options: {
  readonly js: JetStreamClient;
  readonly spec: ConsumerSpec;
  readonly evaluate: EvaluateBarUseCase;
  readonly publisher: SignalPublisher;
  readonly logger: Logger;
  readonly provision?: ProvisionOptions;
}): JetStreamConsumer<unknown> {
  const { evaluate, publisher } = options;
  return new JetStreamConsumer<unknown>({
    js: options.js, spec: options.spec, logger: options.logger, provision: options.provision,
    schema: BarClosedMessage.envelope as unknown as ZodType<Envelope<unknown>>,
    handle: async (envelope, context) => {
      const outcome = await evaluate.execute(envelope as BarClosedEnvelope, { traceHeaders: activeTraceHeaders(), keepAlive: () => context.working() });
      if (outcome.signals.length > 0) await publisher.publish(outcome.signals);
    },
  });
}

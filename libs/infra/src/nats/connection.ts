import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { Logger } from 'pino';

export interface NatsConnectOptions {
  readonly url: string;
  readonly name: string;
  readonly user?: string;
  readonly password?: string;
  /** Milliseconds between reconnect attempts (jittered by the client). */
  readonly reconnectTimeWaitMs?: number;
}

export interface NatsHandles {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
}

/**
 * Connects with unlimited reconnects: a service outlives NATS restarts and resumes where its
 * durable consumers left off. Connection status changes are logged.
 */
export async function connectNats(options: NatsConnectOptions, logger?: Logger): Promise<NatsHandles> {
  const nc = await connect({
    servers: options.url.split(','),
    name: options.name,
    // Replies and JetStream deliveries arrive on `_INBOX.<service>.…`, so server permissions can
    // let each service read its own inbox only (deploy/nats/accounts.conf).
    inboxPrefix: `_INBOX.${options.name}`,
    user: options.user,
    pass: options.password,
    maxReconnectAttempts: -1,
    reconnectTimeWait: options.reconnectTimeWaitMs ?? 1000,
    waitOnFirstConnect: true,
    pingInterval: 10_000,
  });
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === 'ping' || status.type === 'slowConsumer') continue;
      logger?.info({ natsStatus: status.type, server: 'server' in status ? status.server : undefined }, `nats ${status.type}`);
    }
  })().catch(() => undefined);
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);
  return { nc, js, jsm };
}

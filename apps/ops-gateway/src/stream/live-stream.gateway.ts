import { Inject, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { WebSocketGateway, type OnGatewayConnection, type OnGatewayDisconnect } from '@nestjs/websockets';
import { LOGGER } from '@mt5/infra/logging';
import { NatsService } from '@mt5/infra/nats';
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import { OpenPositionsQuery } from '../application/positions/open-positions.query.js';
import { GATEWAY_OPTIONS, type GatewayOptions } from '../gateway.tokens.js';
import { KeyAuthenticator } from '../security/key-authenticator.js';
import { RateLimitPolicy } from '../security/rate-limit.policy.js';
import { ChannelDescriptions } from './stream-channels.js';
import { StreamConnection } from './stream-connection.js';
import { StreamHub } from './stream-hub.js';
import { clientMessageSchema, CloseCodes, MAX_CHANNELS_PER_CONNECTION, type ClientMessage } from './stream-protocol.js';

export const STREAM_PATH = '/api/v1/stream';
const noHeaders = { setHeader: () => undefined };

/**
 * `GET /api/v1/stream` (WebSocket, `ws` adapter). A client authenticates with its key in the
 * `X-API-Key` header of the upgrade or in a first `{ "type": "auth", "key" }` message, then
 * subscribes to channels. The server sends a heartbeat every OPS_WS_HEARTBEAT_SECONDS, closes a
 * connection that says nothing for OPS_WS_IDLE_SECONDS, and drops one whose unsent data passes
 * OPS_WS_MAX_BUFFERED_BYTES.
 */
@WebSocketGateway({ path: STREAM_PATH, maxPayload: 16 * 1024 })
export class LiveStreamGateway implements OnGatewayConnection, OnGatewayDisconnect, OnModuleInit, OnModuleDestroy {
  private readonly connections = new Map<WebSocket, StreamConnection>();
  private hub!: StreamHub;
  private sweeper?: NodeJS.Timeout;
  private readonly now: () => number;
  slowConsumersDropped = 0;

  constructor(
    private readonly nats: NatsService,
    private readonly keys: KeyAuthenticator,
    private readonly limits: RateLimitPolicy,
    private readonly positions: OpenPositionsQuery,
    @Inject(GATEWAY_OPTIONS) private readonly options: GatewayOptions,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.now = options.now ?? Date.now;
  }

  onModuleInit(): void {
    this.hub = new StreamHub(this.nats.nc, this.options.provision ?? {}, this.logger, () => this.positions.invalidate());
    this.hub.start();
    this.sweeper = setInterval(() => this.sweep(), 1000);
    this.sweeper.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
    for (const connection of this.connections.values()) connection.close(CloseCodes.shuttingDown, 'server shutting down');
    this.hub?.stop();
  }

  handleConnection(socket: WebSocket, request: IncomingMessage): void {
    const config = this.options.config;
    const ip = request.socket.remoteAddress ?? 'unknown';
    const connection = new StreamConnection(socket, ip, this.now(), config.OPS_WS_MAX_BUFFERED_BYTES, (dropped) => this.dropSlow(dropped));
    if (this.connections.size >= config.OPS_WS_MAX_CONNECTIONS) {
      connection.close(CloseCodes.tooManyConnections, 'too many connections; try again later');
      return;
    }
    this.connections.set(socket, connection);
    socket.on('message', (data, isBinary) => void this.onMessage(connection, isBinary ? null : data.toString()));
    const headerKey = request.headers['x-api-key'];
    if (typeof headerKey === 'string') void this.authenticate(connection, headerKey);
  }

  handleDisconnect(socket: WebSocket): void {
    const connection = this.connections.get(socket);
    if (!connection) return;
    this.connections.delete(socket);
    this.hub.detach(connection, [...connection.channels]);
  }

  /** Open connections and the channels in use (for tests and diagnostics). */
  stats() {
    return { connections: this.connections.size, channels: this.hub.stats(), framesSent: this.hub.framesSent, slowConsumersDropped: this.slowConsumersDropped };
  }

  private async onMessage(connection: StreamConnection, text: string | null): Promise<void> {
    connection.lastSeen = this.now();
    let message: ClientMessage;
    try {
      const parsed = clientMessageSchema.safeParse(text === null ? null : JSON.parse(text));
      if (!parsed.success) throw new Error(parsed.error.issues.map((issue) => `${issue.path.join('.') || '(message)'}: ${issue.message}`).join('; '));
      message = parsed.data;
    } catch (error) {
      connection.sendJson({ type: 'error', code: 'OPS.INVALID_REQUEST', message: `not a client message: ${(error as Error).message}` });
      return;
    }
    if (message.type === 'auth') return this.authenticate(connection, message.key);
    if (!connection.principal) {
      connection.close(CloseCodes.unauthenticated, 'authenticate first');
      return;
    }
    if (message.type === 'ping') connection.sendJson({ type: 'pong', time: new Date(this.now()).toISOString() });
    else if (message.type === 'subscribe') this.subscribe(connection, message.channels);
    else {
      for (const name of message.channels) {
        connection.channels.delete(name);
        this.hub.unsubscribe(connection, name);
      }
      connection.sendJson({ type: 'unsubscribed', channels: [...connection.channels] });
    }
  }

  private subscribe(connection: StreamConnection, names: readonly string[]): void {
    const refused: { channel: string; reason: string }[] = [];
    for (const name of names) {
      if (connection.channels.has(name)) continue;
      if (connection.channels.size >= MAX_CHANNELS_PER_CONNECTION) {
        refused.push({ channel: name, reason: `at most ${MAX_CHANNELS_PER_CONNECTION} channels per connection` });
        continue;
      }
      const result = this.hub.subscribe(connection, name);
      if (result.ok) connection.channels.add(name);
      else refused.push({ channel: name, reason: result.reason });
    }
    connection.sendJson({ type: 'subscribed', channels: [...connection.channels], ...(refused.length ? { refused } : {}) });
  }

  private async authenticate(connection: StreamConnection, key: string): Promise<void> {
    if (connection.principal) return;
    const principal = await this.keys.authenticate(key).catch(() => null);
    if (!principal) {
      await this.limits.failedAuthentication(connection.ip, noHeaders).catch(() => undefined);
      connection.close(CloseCodes.unauthenticated, 'invalid API key');
      return;
    }
    try {
      await this.limits.admit('read', principal.keyId, connection.ip, noHeaders);
    } catch (error) {
      connection.close(CloseCodes.tooManyConnections, (error as Error).message.slice(0, 120));
      return;
    }
    connection.principal = principal;
    const config = this.options.config;
    connection.sendJson({
      type: 'welcome', principal: { name: principal.name, role: principal.role }, channels: Object.values(ChannelDescriptions),
      heartbeatSeconds: config.OPS_WS_HEARTBEAT_SECONDS, idleSeconds: config.OPS_WS_IDLE_SECONDS,
    });
  }

  private dropSlow(connection: StreamConnection): void {
    this.slowConsumersDropped++;
    this.logger.warn({ connection: connection.id, key: connection.principal?.name, channels: [...connection.channels] }, 'slow WebSocket client dropped');
  }

  /** Once a second: authentication deadline, idle timeout, heartbeats. */
  private sweep(): void {
    const now = this.now();
    const config = this.options.config;
    for (const connection of this.connections.values()) {
      if (!connection.principal && now - connection.connectedAt > config.OPS_WS_AUTH_SECONDS * 1000) {
        connection.close(CloseCodes.unauthenticated, 'not authenticated in time');
      } else if (now - connection.lastSeen > config.OPS_WS_IDLE_SECONDS * 1000) {
        connection.close(CloseCodes.idle, 'idle');
      } else if (connection.principal && now - connection.lastHeartbeat >= config.OPS_WS_HEARTBEAT_SECONDS * 1000) {
        connection.lastHeartbeat = now;
        connection.sendJson({ type: 'heartbeat', time: new Date(now).toISOString() });
      }
    }
  }
}

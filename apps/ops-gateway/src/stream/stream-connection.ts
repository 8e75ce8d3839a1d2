import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import type { Principal } from '../security/principal.js';
import type { StreamSubscriber } from './stream-hub.js';

const OPEN = 1;

/**
 * One WebSocket client: who it is, what it listens to, when it last spoke. `send` drops a client
 * whose unsent data passed the limit instead of buffering without bound: a slow reader must not
 * grow the gateway's memory.
 */
export class StreamConnection implements StreamSubscriber {
  readonly id = randomUUID();
  readonly channels = new Set<string>();
  principal: Principal | null = null;
  lastSeen: number;
  lastHeartbeat: number;
  dropped = false;

  constructor(
    readonly socket: WebSocket,
    readonly ip: string,
    readonly connectedAt: number,
    private readonly maxBufferedBytes: number,
    private readonly onDropped: (connection: StreamConnection) => void,
  ) {
    this.lastSeen = connectedAt;
    this.lastHeartbeat = connectedAt;
  }

  send(frame: string): void {
    if (this.dropped || this.socket.readyState !== OPEN) return;
    if (this.socket.bufferedAmount > this.maxBufferedBytes) {
      this.dropped = true;
      // terminate, not close: a close frame would queue behind the data the client is not reading.
      this.socket.terminate();
      this.onDropped(this);
      return;
    }
    this.socket.send(frame);
  }

  sendJson(value: unknown): void {
    this.send(JSON.stringify(value));
  }

  close(code: number, reason: string): void {
    if (this.socket.readyState === OPEN) this.socket.close(code, reason);
  }

}

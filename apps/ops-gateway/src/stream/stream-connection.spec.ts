import { describe, expect, it } from '@jest/globals';
import type { WebSocket } from 'ws';
import { StreamConnection } from './stream-connection.js';

/** A socket whose unsent bytes the test sets, as a client that stopped reading would make them grow. */
function fakeSocket() {
  const socket = { readyState: 1, bufferedAmount: 0, sent: [] as string[], terminated: false,
    send(frame: string) { this.sent.push(frame); this.bufferedAmount += frame.length; },
    terminate() { this.terminated = true; this.readyState = 3; },
    close() { this.readyState = 2; } };
  return socket;
}

describe('StreamConnection', () => {
  it('drops a client whose unsent data passes the limit instead of buffering more', () => {
    const socket = fakeSocket();
    const dropped: string[] = [];
    const connection = new StreamConnection(socket as unknown as WebSocket, '127.0.0.1', 0, 100, (c) => dropped.push(c.id));
    connection.send('x'.repeat(60));
    connection.send('x'.repeat(60));
    expect(socket.sent).toHaveLength(2);
    connection.send('x'.repeat(60));
    expect(socket.sent).toHaveLength(2);
    expect(socket.terminated).toBe(true);
    expect(dropped).toEqual([connection.id]);
    connection.send('more');
    expect(dropped).toHaveLength(1);
  });

  it('keeps a client that reads what it is sent', () => {
    const socket = fakeSocket();
    const connection = new StreamConnection(socket as unknown as WebSocket, '127.0.0.1', 0, 100, () => undefined);
    for (let i = 0; i < 50; i++) {
      connection.send('x'.repeat(60));
      socket.bufferedAmount = 0;
    }
    expect(socket.sent).toHaveLength(50);
    expect(socket.terminated).toBe(false);
  });
});

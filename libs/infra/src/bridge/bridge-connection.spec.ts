import { once } from 'node:events';
import { createServer, Socket, type Server } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import { BridgeConnection } from './bridge-connection.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

/** A connected socket pair on loopback: `local` is wrapped in a BridgeConnection, `remote` is read raw. */
async function socketPair(): Promise<{ connection: BridgeConnection; local: Socket; received: () => string }> {
  const server: Server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  const accepted = once(server, 'connection') as Promise<[Socket]>;
  const local = new Socket();
  local.connect(port, '127.0.0.1');
  await once(local, 'connect');
  const [remote] = await accepted;
  let text = '';
  remote.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  const connection = new BridgeConnection({ socket: local, idPrefix: 'g' });
  cleanups.push(() => {
    connection.destroy('test over');
    remote.destroy();
    server.close();
  });
  return { connection, local, received: () => text };
}

describe('BridgeConnection writes', () => {
  it('sends the frames of one tick in one socket write, in order', async () => {
    const { connection, local, received } = await socketPair();
    const writes: number[] = [];
    const socket = local as unknown as { _writev: (chunks: unknown[], cb: () => void) => void; _write: (chunk: unknown, encoding: string, cb: () => void) => void };
    const writev = socket._writev.bind(local);
    const write = socket._write.bind(local);
    socket._writev = (chunks, cb) => {
      writes.push(chunks.length);
      writev(chunks, cb);
    };
    socket._write = (chunk, encoding, cb) => {
      writes.push(1);
      write(chunk, encoding, cb);
    };
    const ids = [
      connection.send('heartbeat', {}),
      connection.send('account_request', {}),
      connection.send('positions_request', {}),
    ];
    expect(writes).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toEqual([3]);
    await until(() => received().split('\n').length > ids.length);
    expect(received().trim().split('\n').map((line) => (JSON.parse(line) as { id: string }).id)).toEqual(ids);
  });

  it('flushes what was written in the tick when it closes with a reason', async () => {
    const { connection, received } = await socketPair();
    connection.send('heartbeat', {});
    connection.close({ code: 'BRIDGE.HEARTBEAT_TIMEOUT', reason: 'test' });
    await until(() => received().split('\n').length > 2);
    expect(received().trim().split('\n').map((line) => (JSON.parse(line) as { kind: string }).kind)).toEqual(['heartbeat', 'error']);
  });
});

async function until(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

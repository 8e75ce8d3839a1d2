import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { BridgeBody, BridgeFrame } from '@mt5/contracts';
import { helloHmac } from './hello-auth.js';

/** A terminal's hello without its HMAC, shaped like a real MT5 demo account's. */
export const helloIdentityExample: Omit<BridgeBody<'hello'>, 'hmac'> = {
  account: '12345678', login: 12345678, server: 'MetaQuotes-Demo', company: 'MetaQuotes Ltd.', protocolVersion: 1,
  terminalBuild: 4755, eaVersion: '1.0.0', eaInstanceId: 'ea-7f3a9c21', serverTimeOffsetSeconds: 7200,
  marginMode: 'HEDGING', tradeAllowed: true,
};

/** Polls `predicate` every 5 ms until it holds; rejects after `timeoutMs`. */
export async function until(predicate: () => boolean, timeoutMs = 2000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`until: ${what} not met after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * A bridge peer that speaks raw lines, for tests that must send what a correct implementation
 * never would (broken JSON, huge lines, other versions) or go silent.
 */
export class RawBridgePeer {
  readonly frames: Record<string, unknown>[] = [];
  private buffer = '';
  private closed = false;

  private constructor(readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => {
      this.buffer += text;
      let newline: number;
      while ((newline = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, newline);
        this.buffer = this.buffer.slice(newline + 1);
        this.frames.push(JSON.parse(line) as Record<string, unknown>);
      }
    });
    socket.on('close', () => (this.closed = true));
    socket.on('error', () => undefined);
  }

  static async connect(port: number): Promise<RawBridgePeer> {
    const socket = connect({ host: '127.0.0.1', port });
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    return new RawBridgePeer(socket);
  }

  /** Wraps an accepted socket (the raw peer as a gateway). */
  static wrap(socket: Socket): RawBridgePeer {
    return new RawBridgePeer(socket);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  writeLine(line: string): void {
    this.socket.write(`${line}\n`);
  }

  writeFrame(frame: Record<string, unknown>): void {
    this.writeLine(JSON.stringify(frame));
  }

  /** Resolves with the first frame (from `fromIndex` on) that matches, or rejects after `timeoutMs`. */
  async next(match: (frame: Record<string, unknown>) => boolean, timeoutMs = 2000, fromIndex = 0): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.frames.slice(fromIndex).find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`RawBridgePeer: no matching frame in ${timeoutMs} ms; got ${JSON.stringify(this.frames)}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  kind(kind: string, timeoutMs?: number, fromIndex = 0): Promise<Record<string, unknown>> {
    return this.next((frame) => frame.kind === kind, timeoutMs, fromIndex);
  }

  /** Plays the terminal's part of the handshake and resolves with the answer: `welcome` or `error`. */
  async handshake(secret: string, account = helloIdentityExample.account): Promise<Record<string, unknown>> {
    const challenge = (await this.kind('challenge')) as unknown as BridgeFrame<'challenge'>;
    this.writeFrame({
      v: 1, kind: 'hello', id: 't-1', replyTo: challenge.id, ts: Date.now(),
      body: { ...helloIdentityExample, account, hmac: helloHmac(secret, challenge.body.nonce) },
    });
    return this.next((frame) => frame.kind === 'welcome' || frame.kind === 'error');
  }

  async waitClosed(timeoutMs = 2000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error(`RawBridgePeer: still open after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  close(): void {
    this.socket.destroy();
  }
}

/** A plain TCP listener on a free loopback port that hands each accepted socket to `onSocket`. */
export async function listenRaw(onSocket: (socket: Socket) => void): Promise<{ server: Server; port: number }> {
  const server = createServer(onSocket);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

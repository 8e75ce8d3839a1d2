import { afterAll, describe, expect, it } from '@jest/globals';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { startNatsServer, type NatsTestServer } from './nats-server.starter.js';

const started: NatsTestServer[] = [];
afterAll(async () => {
  await Promise.all(started.map((server) => server.stop()));
});

async function messagesIn(url: string, stream: string): Promise<number> {
  const nc = await connect({ servers: url, reconnect: false });
  try {
    const jsm = await jetstreamManager(nc);
    return (await jsm.streams.info(stream)).state.messages;
  } finally {
    await nc.close();
  }
}

describe('startNatsServer', () => {
  it('starts a private JetStream server whose stream survives a restart and a crash', async () => {
    const server = await startNatsServer({ jetstream: true });
    started.push(server);
    expect(server.url).toBe(`nats://127.0.0.1:${server.port}`);

    const nc = await connect({ servers: server.url, reconnect: false });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: 'PROBE', subjects: ['probe.>'] });
    await jetstream(nc).publish('probe.one', 'hello');
    await nc.close();

    await server.restart();
    expect(await messagesIn(server.url, 'PROBE')).toBe(1);
    await server.restart({ signal: 'SIGKILL' });
    expect(await messagesIn(server.url, 'PROBE')).toBe(1);
  });

  it('applies a configuration given as text', async () => {
    const server = await startNatsServer({ jetstream: false, config: 'max_payload: 2048\n' });
    started.push(server);
    const varz = (await (await fetch(`${server.monitorUrl}/varz`)).json()) as { max_payload: number; jetstream?: { config?: unknown } };
    expect(varz.max_payload).toBe(2048);
    expect(varz.jetstream?.config).toBeUndefined();
  });

  it('frees its port and deletes its store when stopped', async () => {
    const server = await startNatsServer();
    const { existsSync } = await import('node:fs');
    expect(existsSync(server.storeDir)).toBe(true);
    await server.stop();
    expect(existsSync(server.storeDir)).toBe(false);
    await expect(connect({ servers: server.url, reconnect: false, timeout: 1_000 })).rejects.toThrow();
  });
});

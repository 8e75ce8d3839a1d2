import { afterAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import pg from 'pg';
import { startPostgresServer, type PostgresTestServer } from './postgres-server.starter.js';

const started: PostgresTestServer[] = [];
afterAll(async () => {
  await Promise.all(started.map((server) => server.destroy()));
});

async function query<T>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

describe('startPostgresServer', () => {
  it('starts a private Postgres 15 whose data survives a stop and a start on the same port', async () => {
    const server = await startPostgresServer();
    started.push(server);
    expect(server.url).toBe(`postgresql://mt5:mt5@127.0.0.1:${server.port}/mt5`);
    const [version] = await query<{ server_version_num: string }>(server.url, 'SHOW server_version_num');
    expect(Number(version!.server_version_num)).toBeGreaterThanOrEqual(150000);
    await query(server.url, 'CREATE TABLE probe (n int); INSERT INTO probe VALUES (42)');

    await server.stop();
    expect(server.running).toBe(false);
    await expect(query(server.url, 'SELECT 1')).rejects.toThrow();

    await server.start();
    expect(await query<{ n: number }>(server.url, 'SELECT n FROM probe')).toEqual([{ n: 42 }]);
    await server.stop('immediate');
    await server.start();
    expect(await query<{ n: number }>(server.url, 'SELECT n FROM probe')).toEqual([{ n: 42 }]);
  });

  it('deletes its cluster and frees its port when destroyed', async () => {
    const server = await startPostgresServer({ database: 'other' });
    expect(server.url.endsWith('/other')).toBe(true);
    expect(existsSync(server.dir)).toBe(true);
    await server.destroy();
    expect(existsSync(server.dir)).toBe(false);
    await expect(query(server.url, 'SELECT 1')).rejects.toThrow();
  });
});

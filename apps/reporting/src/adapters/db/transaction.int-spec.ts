import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createPgPool } from '@mt5/infra/prisma';
import { startPostgresServer, type PostgresTestServer } from '@mt5/testing';
import type pg from 'pg';
import { inAccountTransaction } from './transaction.js';

// On a private Postgres (this test stops it), not the shared one.
let server: PostgresTestServer;
let pool: pg.Pool;
beforeAll(async () => {
  server = await startPostgresServer();
  pool = createPgPool({ url: server.url, poolMax: 2, applicationName: 'reporting-transaction-test' });
}, 60_000);
afterAll(async () => {
  await pool?.end();
  await server?.destroy();
}, 60_000);

describe('inAccountTransaction', () => {
  it('turns Postgres stopping between two queries of a transaction into a retryable write error, without an unhandled error event', async () => {
    const attempt = inAccountTransaction(pool, 'acc-1', async (client) => {
      await client.query('SELECT 1');
      // The connection is checked out and idle when the server terminates it.
      await server.stop('fast');
      await new Promise((resolve) => setTimeout(resolve, 200));
      await client.query('SELECT 2');
    });
    await expect(attempt).rejects.toMatchObject({ name: 'HistoryWriteError', retryable: true });
    await server.start();
    await expect(inAccountTransaction(pool, 'acc-1', async (client) => (await client.query<{ n: number }>('SELECT 3 AS n')).rows[0]!.n)).resolves.toBe(3);
  }, 60_000);
});

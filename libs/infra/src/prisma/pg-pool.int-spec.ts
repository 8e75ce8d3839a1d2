import { describe, expect, it } from '@jest/globals';
import { createPgPool } from './prisma.module.js';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('DATABASE_URL is not set: run with jest.integration.config.js (its global setup provides Postgres)');

describe('createPgPool', () => {
  it('survives Postgres dropping a client in the middle of a transaction: the query fails, the process lives, the pool serves again', async () => {
    const pool = createPgPool({ url: databaseUrl, poolMax: 2, applicationName: 'pg-pool-itest' });
    const killer = createPgPool({ url: databaseUrl, poolMax: 1, applicationName: 'pg-pool-itest-killer' });
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      const client = await pool.connect();
      await client.query('BEGIN');
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      // What a Postgres shutdown does to each backend: the connection ends under the open transaction.
      await killer.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
      await expect(client.query('SELECT 1')).rejects.toThrow();
      client.release(true);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(uncaught).toEqual([]);
      expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows[0]!.one).toBe(1);
    } finally {
      process.off('uncaughtException', onUncaught);
      await pool.end();
      await killer.end();
    }
  });
});

// The store's cache of each account's world against a real Postgres schema: reused while
// trading_states.version says it is what the table holds, read again as soon as another writer
// (another instance) moved the version; units of one account in one process one at a time, those
// that queued together committed in one transaction, and a failing one failing alone.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { applyMigrations, createPgPool } from '@mt5/infra/prisma';
import { testEnv, uniqueName } from '@mt5/testing';
import type pg from 'pg';
import { pino } from 'pino';
import { emptyAccountContext, type AccountContext } from '../../application/account-world.js';
import type { RiskStore } from '../../application/risk-store.port.js';
import { configSchema, toBreakerConfig } from '../../config.js';
import type { OutboxPublisher } from '../nats/outbox.publisher.js';
import { PgRiskStore } from './pg-risk.store.js';

const schema = uniqueName('risk_store_itest');
const ACCOUNT = 'acct-cache';
const T0 = Date.UTC(2024, 2, 4, 9, 0, 0);
let pool: pg.Pool;

const silentPublisher = { publish: async () => undefined, republish: async () => 0 } as unknown as OutboxPublisher;

function newStore(): PgRiskStore {
  return new PgRiskStore(pool, silentPublisher, null, pino({ level: 'silent' }), {
    breakers: toBreakerConfig(configSchema.parse({})), commandValidityMs: 30_000, flattenIncludesExternal: false,
  });
}

const withBalance = (balance: number): AccountContext => ({
  ...emptyAccountContext, facts: { currency: 'USD', balance, equity: balance, margin: 0, freeMargin: balance, leverage: 100, marginMode: 'HEDGING', time: T0 },
});

/** The balance a unit of `store` sees, then (optionally) sets. */
async function balanceSeen(store: RiskStore, set?: number): Promise<number | undefined> {
  return store.inAccount(ACCOUNT, { cause: { id: `c-${set}`, correlationId: 'c' }, now: new Date(T0) }, async (unit) => {
    const seen = unit.world.context.facts?.balance;
    if (set !== undefined) unit.setContext(withBalance(set));
    return seen;
  });
}

beforeAll(async () => {
  const { databaseUrl } = testEnv();
  await applyMigrations({ connectionString: databaseUrl, schema });
  pool = createPgPool({ url: databaseUrl, schema, poolMax: 4 });
});

afterAll(async () => {
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pool.end();
});

describe('PgRiskStore account units', () => {
  it('sees what another instance committed, though it had the account cached', async () => {
    const a = newStore();
    const b = newStore();
    expect(await balanceSeen(a, 1000)).toBeUndefined();
    expect(await balanceSeen(a)).toBe(1000);
    expect(await balanceSeen(b, 2000)).toBe(1000);
    expect(await balanceSeen(a)).toBe(2000);
  });

  it('bumps trading_states.version on every write and not when nothing changed', async () => {
    const a = newStore();
    const version = async () => (await pool.query<{ version: number }>('SELECT version FROM trading_states WHERE account = $1', [ACCOUNT])).rows[0]!.version;
    const before = await version();
    await balanceSeen(a, 3000);
    const written = await version();
    await balanceSeen(a);
    expect({ written: written - before, unchanged: (await version()) - written }).toEqual({ written: 1, unchanged: 0 });
  });

  it('reuses its cached world while the version is the one it wrote, and reads the table once the version moved', async () => {
    const a = newStore();
    await balanceSeen(a, 4000);
    // A write that does not bump the version is invisible to the cache: only the version says "changed".
    const sneaked = JSON.stringify(withBalance(5000));
    await pool.query(`UPDATE breaker_states SET counters = $2::jsonb WHERE account = $1 AND kind = 'ACCOUNT_CONTEXT'`, [ACCOUNT, sneaked]);
    expect(await balanceSeen(a)).toBe(4000);
    await pool.query('UPDATE trading_states SET version = version + 1 WHERE account = $1', [ACCOUNT]);
    expect(await balanceSeen(a)).toBe(5000);
  });

  it('runs the units of one account one after another, each on the world the previous one committed', async () => {
    const a = newStore();
    await balanceSeen(a, 0);
    const add = () => a.inAccount(ACCOUNT, { cause: { id: 'add', correlationId: 'c' }, now: new Date(T0) }, async (unit) => {
      const balance = unit.world.context.facts?.balance ?? 0;
      await new Promise((resolve) => setTimeout(resolve, 2));
      unit.setContext(withBalance(balance + 1));
    });
    await Promise.all(Array.from({ length: 10 }, add));
    expect(await balanceSeen(newStore())).toBe(10);
  });

  it('commits the units that queued together in one transaction, and a failing unit fails alone', async () => {
    const a = newStore();
    await balanceSeen(a, 0);
    const add = (n: number) => a.inAccount(ACCOUNT, { cause: { id: `add-${n}`, correlationId: 'c' }, now: new Date(T0) }, async (unit) => {
      const balance = unit.world.context.facts?.balance ?? 0;
      if (n === 3) throw Object.assign(new Error('unit 3 is refused'), { retryable: false });
      unit.setContext(withBalance(balance + 1));
      return balance + 1;
    });
    const versionBefore = (await pool.query<{ version: number }>('SELECT version FROM trading_states WHERE account = $1', [ACCOUNT])).rows[0]!.version;
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map(add));
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([1, 2, 'unit 3 is refused', 3, 4]);
    expect(await balanceSeen(newStore())).toBe(4);
    // Tried together first, then one by one after unit 3 failed the group: four commits, nothing of the failed try kept.
    const versionAfter = (await pool.query<{ version: number }>('SELECT version FROM trading_states WHERE account = $1', [ACCOUNT])).rows[0]!.version;
    expect(versionAfter - versionBefore).toBe(4);
  });

  it('commits a group once: units queued together bump the version once and each sees the world the one before it left', async () => {
    const a = newStore();
    await balanceSeen(a, 100);
    const version = async () => (await pool.query<{ version: number }>('SELECT version FROM trading_states WHERE account = $1', [ACCOUNT])).rows[0]!.version;
    const before = await version();
    const seen = await Promise.all([1, 2, 3].map(() => a.inAccount(ACCOUNT, { cause: { id: 'x', correlationId: 'c' }, now: new Date(T0) }, async (unit) => {
      const balance = unit.world.context.facts?.balance ?? 0;
      unit.setContext(withBalance(balance + 1));
      return balance;
    })));
    expect(seen).toEqual([100, 101, 102]);
    expect((await version()) - before).toBe(1);
    expect(await balanceSeen(newStore())).toBe(103);
  });
});

// execution and reporting share the `deals` table, and execution commits each deal before it
// publishes the event. Reporting must still turn those deals into trades: the history built when
// every deal row already exists equals the one built from the events alone.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DealExecutedMessage, type Deal, type Envelope } from '@mt5/contracts';
import { applyMigrations, createPgPool } from '@mt5/infra/prisma';
import { testEnv, uniqueName } from '@mt5/testing';
import type pg from 'pg';
import { pino } from 'pino';
import { insertDeal } from './adapters/db/history.repository.js';
import { executionEventHandler } from './adapters/messaging/history-handlers.js';
import { HistoryRecorder } from './application/record-history/history-recorder.js';
import { SESSION_MAGICS, scriptedSession } from './test-support/scripted-session.fixture.js';

const logger = pino({ level: 'silent' });
const context = { subject: 'test', streamSequence: 1, deliveryCount: 1, working: () => undefined };
const tradesSql = `SELECT position_id, close_deal_ticket, side, volume::text, net_profit::text FROM trades ORDER BY exit_time, close_deal_ticket`;
const pools: pg.Pool[] = [];
const schemas: string[] = [];

async function history(prestoreDeals: boolean): Promise<Record<string, unknown>[]> {
  const env = testEnv();
  const schema = uniqueName('rpt_shared_deals');
  schemas.push(schema);
  await applyMigrations({ connectionString: env.databaseUrl, schema });
  const pool = createPgPool({ url: env.databaseUrl, schema, poolMax: 2 });
  pools.push(pool);
  const session = scriptedSession();
  if (prestoreDeals) {
    for (const { envelope } of session) {
      if (envelope.type === DealExecutedMessage.type) await insertDeal(pool, (envelope as Envelope<Deal>).data);
    }
  }
  const handle = executionEventHandler(new HistoryRecorder(pool, { magicToStrategy: SESSION_MAGICS, symbolDigits: new Map() }, 'test'), logger);
  for (const { envelope } of session) await handle(envelope, context);
  return (await pool.query(tradesSql)).rows;
}

let fromEvents: Record<string, unknown>[];
let afterExecution: Record<string, unknown>[];

beforeAll(async () => {
  fromEvents = await history(false);
  afterExecution = await history(true);
}, 60_000);

afterAll(async () => {
  const env = testEnv();
  const admin = createPgPool({ url: env.databaseUrl, poolMax: 1 });
  for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await admin.end();
  await Promise.all(pools.map((p) => p.end()));
});

describe('deals already stored by execution', () => {
  it('still become the same trades as when reporting stored them itself', () => {
    expect(fromEvents.length).toBeGreaterThan(0);
    expect(afterExecution).toEqual(fromEvents);
  });
});

import type { BreakerKind, BreakerState } from '@mt5/contracts';
import { initialRiskState, type AccountRiskState, type RiskEvent } from '@mt5/domain/risk';
import pg from 'pg';
import type { z } from 'zod';
import { emptyAccountContext, type AccountWorld } from '../../application/account-world.js';
import type { Tx } from './pg-transaction.js';
import type { StatementBatch } from './statement-batch.js';
import {
  accountContextSchema,
  dailyLossCountersSchema,
  drawdownCountersSchema,
  executionCountersSchema,
  killSwitchCountersSchema,
  losingStreakCountersSchema,
} from './stored-state.schemas.js';

/**
 * The account's context (latest snapshot, open positions, what each booked) has no table of its
 * own in the schema yet; it is kept as one more `breaker_states` row under this kind, written
 * and read only here. A dedicated `risk_account_contexts` table would replace it (docs/risk.md).
 */
export const ACCOUNT_CONTEXT_KIND = 'ACCOUNT_CONTEXT';

type StoredKind = BreakerKind | typeof ACCOUNT_CONTEXT_KIND;

interface StoredRow {
  readonly state: BreakerState;
  readonly counters: unknown;
  readonly openedAt: number | null;
  readonly retryAt: number | null;
}

interface TradingRow {
  state: AccountRiskState['trading']['state'];
  reason: string | null;
  changed_by: string | null;
  updated_at: Date;
  version: number;
}

const SELECT_TRADING = 'SELECT state, reason, changed_by, updated_at, version FROM trading_states';

/** An account's world as loaded under its lock, with the `trading_states.version` it was stored at. */
export interface LockedWorld {
  readonly world: AccountWorld;
  readonly version: number;
}

class StoredStateError extends Error {
  readonly code = 'SYS.INTERNAL';
  readonly retryable = false;
}

function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new StoredStateError(`stored ${what} does not parse: ${result.error.issues.slice(0, 3).map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  return result.data;
}

/** Each breaker's row: its state, the domain's sub-state as counters, and when it opened and may retry. */
function rowsOf(world: AccountWorld): Record<StoredKind, StoredRow> {
  const { risk } = world;
  const blocked = Object.values(risk.losingStreaks).map((streak) => streak.blockedUntil).filter((until): until is number => until !== null);
  return {
    DAILY_LOSS: { state: risk.dailyLoss.status, counters: { dailyLoss: risk.dailyLoss, lastSnapshot: risk.lastSnapshot }, openedAt: risk.dailyLoss.trippedAt, retryAt: null },
    MAX_DRAWDOWN: { state: risk.drawdown.status, counters: risk.drawdown, openedAt: risk.drawdown.trippedAt, retryAt: null },
    LOSING_STREAK: { state: blocked.length > 0 ? 'OPEN' : 'CLOSED', counters: risk.losingStreaks, openedAt: null, retryAt: blocked.length > 0 ? Math.min(...blocked) : null },
    EXECUTION_FAILURES: { state: risk.execution.status, counters: risk.execution, openedAt: risk.execution.openedAt, retryAt: risk.execution.retryAt },
    KILL_SWITCH: { state: risk.killSwitch.engaged ? 'OPEN' : 'CLOSED', counters: risk.killSwitch, openedAt: risk.killSwitch.at, retryAt: null },
    [ACCOUNT_CONTEXT_KIND]: { state: 'CLOSED', counters: world.context, openedAt: null, retryAt: null },
  };
}

const asDate = (epochMs: number | null) => (epochMs === null ? null : new Date(epochMs));

/** The objects each stored row is made of: the same objects (an unchanged part of an immutable world) mean the same row. */
function partsOf(world: AccountWorld): Record<StoredKind, readonly unknown[]> {
  const { risk } = world;
  return {
    DAILY_LOSS: [risk.dailyLoss, risk.lastSnapshot], MAX_DRAWDOWN: [risk.drawdown], LOSING_STREAK: [risk.losingStreaks],
    EXECUTION_FAILURES: [risk.execution], KILL_SWITCH: [risk.killSwitch], [ACCOUNT_CONTEXT_KIND]: [world.context],
  };
}

/**
 * Risk state of one account in Postgres: `trading_states` (one row, also the account's lock),
 * `breaker_states` (one row per breaker, counters = the domain's sub-state), and `risk_states`
 * (the equity peak and the day's starting balance, for people reading the tables).
 */
export class AccountStateRepository {
  /**
   * Loads the account's world and locks it until the transaction ends (`FOR UPDATE` on its
   * trading-state row, created on first use), so decisions and state changes of one account are
   * serialised across instances.
   *
   * Every save that writes anything bumps `trading_states.version` under this lock, so when the
   * locked row still shows the version of a world this process saved (`cached`), that world is
   * what Postgres holds and the breaker rows are neither read nor parsed again: one round trip
   * instead of three. Any other version (another instance wrote, or nothing is cached) reads them.
   */
  async lock(tx: Tx, account: string, now: number, cached?: LockedWorld, opened?: readonly Record<string, unknown>[]): Promise<LockedWorld> {
    let trading = opened ? (opened[0] as unknown as TradingRow | undefined) : await this.lockRow(tx, account);
    if (!trading) {
      await tx.query(
        `INSERT INTO trading_states (account, state, reason, changed_by, version, updated_at) VALUES ($1, 'ACTIVE', 'initial state', 'init', 1, $2)
         ON CONFLICT (account) DO NOTHING`,
        [account, new Date(now)],
      );
      trading = await this.lockRow(tx, account);
    }
    if (!trading) throw new StoredStateError(`trading_states row for ${account} vanished`);
    if (cached && cached.version === trading.version) return cached;
    // Read in a statement of its own, once the lock is held: its snapshot sees the commit the lock waited for.
    return { world: await this.worldOf(tx, account, trading), version: trading.version };
  }

  /** The locking read as one statement with the account inlined, to travel with BEGIN (see inTransaction). */
  lockStatement(account: string): string {
    return `${SELECT_TRADING} WHERE account = ${pg.escapeLiteral(account)} FOR UPDATE`;
  }

  /** Reads the account's world without locking it (queries); null for an account never seen. */
  async read(tx: Tx, account: string): Promise<AccountWorld | null> {
    const trading = (await tx.query<TradingRow>(`${SELECT_TRADING} WHERE account = $1`, [account])).rows[0];
    return trading ? this.worldOf(tx, account, trading) : null;
  }

  private async lockRow(tx: Tx, account: string): Promise<TradingRow | undefined> {
    return (await tx.query<TradingRow>(`${SELECT_TRADING} WHERE account = $1 FOR UPDATE`, [account])).rows[0];
  }

  private async worldOf(tx: Tx, account: string, trading: TradingRow): Promise<AccountWorld> {
    const { rows } = await tx.query<{ kind: string; counters: unknown }>('SELECT kind, counters FROM breaker_states WHERE account = $1', [account]);
    const counters = new Map(rows.map((row) => [row.kind, row.counters]));
    const initial = initialRiskState(account, trading.updated_at.getTime());
    const stored = <S extends z.ZodType>(kind: StoredKind, schema: S): z.output<S> | undefined =>
      counters.has(kind) ? parse(schema, counters.get(kind), `${account} ${kind}`) : undefined;
    const daily = stored('DAILY_LOSS', dailyLossCountersSchema);
    const risk: AccountRiskState = {
      ...initial,
      trading: { state: trading.state, since: trading.updated_at.getTime(), by: trading.changed_by ?? 'init', reason: trading.reason ?? '' },
      lastSnapshot: daily?.lastSnapshot ?? null,
      dailyLoss: daily?.dailyLoss ?? initial.dailyLoss,
      drawdown: stored('MAX_DRAWDOWN', drawdownCountersSchema) ?? initial.drawdown,
      losingStreaks: stored('LOSING_STREAK', losingStreakCountersSchema) ?? initial.losingStreaks,
      execution: stored('EXECUTION_FAILURES', executionCountersSchema) ?? initial.execution,
      killSwitch: stored('KILL_SWITCH', killSwitchCountersSchema) ?? initial.killSwitch,
    };
    return { risk, context: stored(ACCOUNT_CONTEXT_KIND, accountContextSchema) ?? emptyAccountContext };
  }

  /** Accounts with a stored state (the clock timer visits each). */
  async accounts(tx: Tx): Promise<string[]> {
    return (await tx.query<{ account: string }>('SELECT account FROM trading_states ORDER BY account')).rows.map((row) => row.account);
  }

  /**
   * Stages the writes of what changed between `before` (loaded at `version`) and `after`; `events`
   * give breaker rows their latest reason. Returns the version the account has once they commit:
   * `version + 1` when anything is written (the bump that tells other units their cache is stale).
   */
  save(batch: StatementBatch, locked: LockedWorld, after: AccountWorld, events: readonly RiskEvent[], now: number): number {
    const before = locked.world;
    const account = after.risk.account;
    const written = batch.size;
    const tradingChanged = before.risk.trading !== after.risk.trading && JSON.stringify(before.risk.trading) !== JSON.stringify(after.risk.trading);
    const beforeParts = partsOf(before);
    const afterParts = partsOf(after);
    const previous = rowsOf(before);
    const next = rowsOf(after);
    for (const kind of Object.keys(next) as StoredKind[]) {
      if (afterParts[kind].every((part, i) => part === beforeParts[kind][i])) continue;
      // A new context object is a changed context (its reducers return the same object when
      // nothing changes); comparing tens of kilobytes of JSON to be sure costs more than the write.
      if (kind !== ACCOUNT_CONTEXT_KIND && JSON.stringify(previous[kind]) === JSON.stringify(next[kind])) continue;
      const row = next[kind];
      const reason = [...events].reverse().find((event) => event.type === 'BREAKER_CHANGED' && event.breaker === kind);
      batch.add(
        `INSERT INTO breaker_states (account, kind, state, counters, reason, opened_at, retry_at, version, updated_at)
         VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, 1, $8)
         ON CONFLICT (account, kind) DO UPDATE SET state = EXCLUDED.state, counters = EXCLUDED.counters,
           reason = COALESCE(EXCLUDED.reason, breaker_states.reason), opened_at = EXCLUDED.opened_at, retry_at = EXCLUDED.retry_at,
           version = breaker_states.version + 1, updated_at = EXCLUDED.updated_at`,
        [account, kind, row.state, JSON.stringify(row.counters), reason?.type === 'BREAKER_CHANGED' ? reason.reason : null, asDate(row.openedAt), asDate(row.retryAt), new Date(now)],
      );
    }
    this.saveFigures(batch, before, after, now);
    if (!tradingChanged && batch.size === written) return locked.version;
    if (tradingChanged) {
      const { state, reason, by, since } = after.risk.trading;
      batch.add(
        'UPDATE trading_states SET state = $2, reason = $3, changed_by = $4, updated_at = $5, version = $6 WHERE account = $1',
        [account, state, reason, by, new Date(since), locked.version + 1],
      );
    } else {
      batch.add('UPDATE trading_states SET version = $2 WHERE account = $1', [account, locked.version + 1]);
    }
    return locked.version + 1;
  }

  /** `risk_states` mirrors the equity peak and the day's starting balance in plain columns. */
  private saveFigures(batch: StatementBatch, before: AccountWorld, after: AccountWorld, now: number): void {
    const { drawdown, dailyLoss, lastSnapshot } = after.risk;
    const changed = before.risk.drawdown.peakEquity !== drawdown.peakEquity
      || (before.risk.dailyLoss !== dailyLoss && JSON.stringify(before.risk.dailyLoss) !== JSON.stringify(dailyLoss));
    if (!changed || drawdown.peakEquity === null) return;
    const peakAt = before.risk.drawdown.peakEquity !== drawdown.peakEquity ? (lastSnapshot?.time ?? now) : null;
    // The broker day is named by the UTC date of its middle (a day starting 22:00 on the 3rd is the 4th).
    const tradingDay = dailyLoss.dayStart === null ? null : new Date(dailyLoss.dayStart + 12 * 3_600_000).toISOString().slice(0, 10);
    batch.add(
      `INSERT INTO risk_states (account, equity_peak, equity_peak_at, trading_day, day_start_equity, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (account) DO UPDATE SET equity_peak = EXCLUDED.equity_peak,
         equity_peak_at = COALESCE($7, risk_states.equity_peak_at), trading_day = EXCLUDED.trading_day,
         day_start_equity = EXCLUDED.day_start_equity, updated_at = EXCLUDED.updated_at`,
      [after.risk.account, drawdown.peakEquity, new Date(peakAt ?? now), tradingDay, dailyLoss.dayStartBalance, new Date(now), asDate(peakAt)],
    );
  }
}

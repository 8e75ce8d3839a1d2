import type { AccountSnapshot, Deal, Envelope, PositionClosed, PositionSnapshot } from '@mt5/contracts';
import { buildRoundTrips, dayStart, maxOf, quoteDigitsOf, strategyKeyOf, utcDay } from '@mt5/domain/analytics';
import { oppositeSide } from '@mt5/domain/positions';
import type pg from 'pg';
import { hasDailyRow, refreshDailyPerformance } from '../../adapters/db/daily-performance.repository.js';
import {
  applyPositionSnapshot, insertDeal, insertPositionFromDeal, loadPositionDeals, lockPosition, markPositionClosed, markProcessed,
  positionHasDeals, replacePositionTrades, updatePositionFromDeals,
} from '../../adapters/db/history.repository.js';
import { insertAccountSnapshot } from '../../adapters/db/snapshots.repository.js';
import { inAccountTransaction, type Queryable } from '../../adapters/db/transaction.js';
import type { AttributionSettings } from '../../reporting.tokens.js';

/** What became of one event; a redelivered or duplicated event is `duplicate-*` and changed nothing. */
export type RecordOutcome = 'applied' | 'duplicate-message' | 'duplicate-deal' | 'ignored';

/** Stops of submitted orders kept in memory, keyed by clientOrderId; enough for orders in flight. */
const REMEMBERED_STOPS = 10_000;

/**
 * Turns execution events into the trade history: deals, positions, round-trip trades, account
 * snapshots and daily performance. Each event is one transaction under the account's lock that
 * also records the message id in `processed_messages`, so a redelivery is a no-op; deals are
 * also unique per (account, ticket), so the same fill re-sent under another message id is one
 * too. Trades and daily rows are recomputed from the stored deals (never incremented), which
 * makes late and out-of-order events converge to the same history.
 */
export class HistoryRecorder {
  /** Initial stop of orders in flight (from `exec.order.submitted`), for positions opened by them. */
  private readonly stops = new Map<string, string>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly settings: AttributionSettings,
    /** Name under which processed messages are recorded (the durable consumer). */
    private readonly consumer: string,
    private readonly onAccountSnapshot: (snapshot: AccountSnapshot) => void = () => undefined,
  ) {}

  /** Remembers the stop an order was sent with; the position it opens takes it as its initial stop. */
  rememberOrderStop(clientOrderId: string, stopLoss: string | null): void {
    if (stopLoss === null) return;
    if (this.stops.size >= REMEMBERED_STOPS) this.stops.delete(this.stops.keys().next().value as string);
    this.stops.set(clientOrderId, stopLoss);
  }

  async recordDeal(envelope: Envelope<Deal>): Promise<RecordOutcome> {
    const deal = envelope.data;
    return inAccountTransaction(this.pool, deal.account, async (db) => {
      if (!(await markProcessed(db, this.consumer, envelope.id))) return 'duplicate-message';
      // The deal row may already exist: re-sent under another message id, or written by
      // execution, which shares the table. Trades are rebuilt from the stored deals either way
      // (idempotent), so a deal execution stored first still becomes a trade.
      const inserted = await insertDeal(db, deal);
      const opening = deal.entry === 'IN';
      const stop = opening && deal.clientOrderId ? this.stops.get(deal.clientOrderId) ?? null : null;
      await insertPositionFromDeal(db, deal, opening ? deal.side : oppositeSide(deal.side), stop);
      await this.rebuildPosition(db, deal.account, deal.positionId);
      return inserted ? 'applied' : 'duplicate-deal';
    });
  }

  async recordPositionSnapshot(envelope: Envelope<PositionSnapshot>): Promise<RecordOutcome> {
    const snapshot = envelope.data;
    return inAccountTransaction(this.pool, snapshot.account, async (db) => {
      if (!(await markProcessed(db, this.consumer, envelope.id))) return 'duplicate-message';
      const hasDeals = await positionHasDeals(db, snapshot.account, snapshot.positionId);
      const setStop = await applyPositionSnapshot(db, snapshot, hasDeals, strategyKeyOf(snapshot.magic, this.settings.magicToStrategy));
      // A stop learnt after trades were built gives them their R multiple.
      if (setStop && hasDeals) await this.rebuildPosition(db, snapshot.account, snapshot.positionId);
      return 'applied';
    });
  }

  async recordPositionClosed(envelope: Envelope<PositionClosed>): Promise<RecordOutcome> {
    const closed = envelope.data;
    return inAccountTransaction(this.pool, closed.account, async (db) => {
      if (!(await markProcessed(db, this.consumer, envelope.id))) return 'duplicate-message';
      if (!(await markPositionClosed(db, closed.account, closed.positionId, closed.closeTime))) return 'ignored';
      if (await positionHasDeals(db, closed.account, closed.positionId)) await this.rebuildPosition(db, closed.account, closed.positionId);
      return 'applied';
    });
  }

  async recordAccountSnapshot(envelope: Envelope<AccountSnapshot>): Promise<RecordOutcome> {
    const snapshot = envelope.data;
    const outcome = await inAccountTransaction(this.pool, snapshot.account, async (db): Promise<RecordOutcome> => {
      if (!(await markProcessed(db, this.consumer, envelope.id))) return 'duplicate-message';
      if (!(await insertAccountSnapshot(db, snapshot))) return 'ignored';
      await refreshEquityDays(db, snapshot.account, Date.parse(snapshot.time));
      return 'applied';
    });
    if (outcome === 'applied') this.onAccountSnapshot(snapshot);
    return outcome;
  }

  /**
   * Replays the stored deals of a position into its trades and state, then recomputes the daily
   * rows of every day whose trades changed.
   */
  private async rebuildPosition(db: Queryable, account: string, positionId: string): Promise<void> {
    const deals = await loadPositionDeals(db, account, positionId);
    const row = await lockPosition(db, account, positionId);
    if (!row || deals.length === 0) return;
    const result = buildRoundTrips(deals, {
      account, initialStopLoss: row.initialStopLoss, magicToStrategy: this.settings.magicToStrategy,
      quote: quoteDigitsOf(deals[0].symbol, this.settings.symbolDigits),
    });
    const touched = await replacePositionTrades(db, account, positionId, result.trades);
    const lastDealTime = maxOf(deals.map((deal) => deal.time)) as number;
    const flat = result.position.volume === '0' && result.trades.length > 0;
    // The terminal said the position is gone after its last deal: keep it closed even if a
    // closing deal has not arrived yet.
    const closedByTerminal = row.status === 'CLOSED' && row.closeTime !== null && row.closeTime >= lastDealTime;
    await updatePositionFromDeals(db, account, positionId, result.position, flat || closedByTerminal ? 'CLOSED' : 'OPEN', lastDealTime);
    const days = new Set([...touched].map((time) => utcDay(time)));
    for (const day of [...days].sort()) await refreshDailyPerformance(db, account, day);
  }
}

/**
 * Recomputes the day of an equity change, and the next day when it has rows: a late snapshot
 * can be the previous close that day starts from.
 */
export async function refreshEquityDays(db: Queryable, account: string, time: number): Promise<void> {
  const day = utcDay(time);
  await refreshDailyPerformance(db, account, day);
  const next = utcDay(dayStart(day) + 86_400_000);
  if (await hasDailyRow(db, account, next)) await refreshDailyPerformance(db, account, next);
}

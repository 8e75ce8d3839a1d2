import { createHash } from 'node:crypto';
import {
  AccountSnapshotMessage,
  createMessage,
  PositionClosedMessage,
  PositionSnapshotMessage,
  type BridgeBody,
  type BridgePosition,
} from '@mt5/contracts';
import { Metrics } from '@mt5/infra/health';
import { commitAndPublish, type ExecutionContext } from '../execution-context.js';
import { toAccountSnapshot, toPositionRecord } from '../mapping/terminal.mapper.js';
import type { OutboxMessage, PositionRecord } from '../orders/order.types.js';
import { diffPositions, type PositionDiff } from './position-diff.js';

const digest = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);

export interface SyncOptions {
  /** Reconciliation: each difference found is a surprise and is counted. */
  readonly countDifferences: boolean;
  /** Positions already fetched (reconciliation fetches once for everything). */
  readonly positions?: readonly BridgePosition[];
  readonly account?: BridgeBody<'account'>;
}

/**
 * Makes the `positions` table equal to the terminal's open positions and publishes what changed:
 * a snapshot for a new or changed position, a close for one that is gone, and an account
 * snapshot. A position is ours when one of our deals touched it or its comment and magic are
 * those of one of our orders; any other open position is adopted as external, never ignored.
 * Call under the account lock.
 */
export class PositionSync {
  constructor(private readonly context: ExecutionContext) {}

  async sync(options: SyncOptions): Promise<PositionDiff> {
    const { account, terminal, store, market } = this.context;
    // Independent questions go out together (one bridge write for both requests, three Postgres
    // connections at once): the sync holds the account lock, so every round trip here delays orders.
    const [positions, accountBody] = await Promise.all([options.positions ?? terminal.positions(), options.account ?? terminal.account()]);
    const [known, ourByDeals, orders] = await Promise.all([
      store.openPositions(account),
      store.positionsWithOurDeals(account, positions.map((p) => p.identifier)),
      store.findByTicketOrComment(account, [], [...new Set(positions.map((p) => p.comment).filter(Boolean))]),
    ]);
    const records = positions.map((position) => {
      const order = orders.find((o) => o.comment === position.comment && o.magic === position.magic);
      const ours = ourByDeals.has(position.identifier) || order !== undefined;
      return toPositionRecord(account, position, !ours, order?.strategyId ?? known.find((k) => k.positionId === position.identifier)?.strategyId ?? null,
        (ms) => terminal.toUtc(ms), market.spec(position.symbol)?.digits);
    });
    const diff = diffPositions(known, records);
    const now = this.context.clock.now();
    if (options.countDifferences) {
      for (const [kind, count] of Object.entries({ position_missing: diff.opened.length, position_changed: diff.changed.length, position_closed: diff.closed.length })) {
        if (count > 0) Metrics.reconciliationDifferences.inc({ account, kind }, count);
      }
      for (const adopted of diff.opened.filter((p) => p.external)) {
        this.context.logger.warn({ positionId: adopted.positionId, symbol: adopted.symbol, magic: adopted.magic, comment: adopted.comment }, 'adopted a position opened outside the platform (external)');
      }
    }
    const messages: OutboxMessage[] = [
      ...[...diff.opened, ...diff.changed].map((p) => this.snapshotMessage(p, now)),
      ...diff.closed.map((p) => this.closedMessage(p, now)),
      this.accountMessage(accountBody, records.length),
    ];
    await commitAndPublish(this.context, {
      upsertPositions: records,
      closePositions: diff.closed.map((p) => ({ account, positionId: p.positionId, closeTime: now.toISOString() })),
      messages,
    });
    return diff;
  }

  /** An account frame the terminal pushed on its own. */
  async publishAccount(body: BridgeBody<'account'>): Promise<void> {
    const open = await this.context.store.openPositions(this.context.account);
    await commitAndPublish(this.context, { messages: [this.accountMessage(body, open.length)] });
  }

  private snapshotMessage(position: PositionRecord, now: Date): OutboxMessage {
    const { snapshotTime, strategyId: _strategy, ...rest } = position;
    const data = { ...rest, time: snapshotTime > now.toISOString() ? now.toISOString() : snapshotTime };
    const id = `pos:${position.account}:${position.positionId}:${digest([rest.volume, rest.side, rest.stopLoss, rest.takeProfit, rest.openPrice, rest.external, snapshotTime])}`;
    const envelope = createMessage(PositionSnapshotMessage, { id, data, tsEvent: data.time, tsInit: now });
    return { subject: PositionSnapshotMessage.subject(data), envelope, headers: {} };
  }

  private closedMessage(position: PositionRecord, now: Date): OutboxMessage {
    const data = { account: position.account, positionId: position.positionId, symbol: position.symbol, side: position.side, closeTime: now.toISOString(), external: position.external };
    const envelope = createMessage(PositionClosedMessage, { id: `pos-closed:${position.account}:${position.positionId}`, data, tsEvent: now, tsInit: now });
    return { subject: PositionClosedMessage.subject(data), envelope, headers: {} };
  }

  private accountMessage(body: BridgeBody<'account'>, openPositions: number): OutboxMessage {
    const data = toAccountSnapshot(this.context.account, body, openPositions, (ms) => this.context.terminal.toUtc(ms));
    const envelope = createMessage(AccountSnapshotMessage, { id: `acct:${data.account}:${digest(data)}`, data, tsEvent: data.time, tsInit: new Date() });
    return { subject: AccountSnapshotMessage.subject(data), envelope, headers: {} };
  }
}

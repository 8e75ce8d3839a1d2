import type { Position } from '@mt5/domain/positions';
import { initialRiskState, type AccountFacts, type AccountRiskState } from '@mt5/domain/risk';

/** What risk-guard remembers about one open (or just closed) position besides the book entry. */
export interface PositionMeta {
  /** The strategy that opened it (from its clientOrderId or magic); null for manual and external trades. */
  readonly strategyId: string | null;
  /** Net result booked by the position's deals so far: profit + commission + swap + fee. */
  readonly netProfit: number;
  /** Time of the newest terminal snapshot applied (epoch ms): older snapshots and deals it already reflects are ignored. */
  readonly snapshotTime: number;
}

/**
 * An order risk allowed that has not shown up as a position yet. Until its entry deal (or a
 * final order event) arrives, it counts as an open position for the position-count, exposure and
 * margin checks, so a burst of signals cannot all pass a limit the first one already uses.
 */
export interface PendingOrder {
  readonly symbol: string;
  readonly side: Position['side'];
  readonly volume: number;
  readonly price: number;
  /** Epoch ms after which execution no longer sends it; it is forgotten a grace period later. */
  readonly validUntil: number;
}

/**
 * The account as execution reports it: the latest snapshot, the open positions and what each
 * position has booked. Plain JSON, stored with the risk state and restored on start.
 */
export interface AccountContext {
  /** Latest account snapshot (leverage from config: snapshots do not carry it); null before the first. */
  readonly facts: AccountFacts | null;
  readonly positions: readonly Position[];
  readonly positionMeta: Readonly<Record<string, PositionMeta>>;
  /** Recently closed position ids, newest last (bounded), so a late snapshot cannot reopen one. */
  readonly closedPositions: readonly string[];
  /** Allowed opening orders not filled yet, by clientOrderId. */
  readonly pendingOrders: Readonly<Record<string, PendingOrder>>;
}

/** Everything risk-guard persists per account: the domain's risk state and the account context. */
export interface AccountWorld {
  readonly risk: AccountRiskState;
  readonly context: AccountContext;
}

export const emptyAccountContext: AccountContext = { facts: null, positions: [], positionMeta: {}, closedPositions: [], pendingOrders: {} };

/** A fresh account: ACTIVE, breakers closed, nothing known yet. */
export function initialAccountWorld(account: string, now: number): AccountWorld {
  return { risk: initialRiskState(account, now), context: emptyAccountContext };
}

import type { DecisionOutcome, DecisionSource, Envelope } from '@mt5/contracts';
import type { RiskInput, RiskReduction } from '@mt5/domain/risk';
import type { AccountContext, AccountWorld } from './account-world.js';
import type { DecisionRecord } from './decide-order/decision-record.js';
import type { OutboxMessage, StrategySettings } from './ports.js';

/** An audit entry for a command (who, which role, what, with which outcome). */
export interface AuditRecord {
  readonly actor: string;
  readonly role: string;
  readonly action: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly result: string;
}

/**
 * One account, locked for one transaction. Inputs fed with {@link AccountUnit.apply} change the
 * world and stage their events; on commit the changed state, the event rows and every outbox
 * message are written together, then the messages are published.
 */
export interface AccountUnit {
  readonly account: string;
  /** The world as of the last change in this unit. */
  readonly world: AccountWorld;
  /** Feeds one input to the risk state (breaker config bound); a refusal changes nothing. */
  apply(input: RiskInput): RiskReduction;
  setContext(context: AccountContext): void;
  previousDecision(source: DecisionSource, intentId: string): Promise<DecisionRecord | null>;
  /** Stores the decision with its outbox messages (same transaction). */
  recordDecision(record: DecisionRecord, messages: readonly OutboxMessage[]): Promise<void>;
  /** Adds messages to publish after commit (order commands not tied to a state change). */
  enqueue(messages: readonly OutboxMessage[]): void;
  /** False when `key` was already processed by `consumer` (the caller skips the effect). */
  markProcessed(consumer: string, key: string): Promise<boolean>;
  strategy(strategyId: string): Promise<StrategySettings | null>;
  strategyByMagic(magic: number): Promise<StrategySettings | null>;
  /** Strategy of an order this service allowed (by its clientOrderId). */
  strategyOfOrder(clientOrderId: string): Promise<string | null>;
  audit(entry: AuditRecord): Promise<void>;
}

export interface UnitOptions {
  /** The message or command the changes follow from: events take their correlation and ids from it. */
  readonly cause: Pick<Envelope, 'id' | 'correlationId'>;
  readonly now: Date;
  /** Ahead of the account's waiting units that are not urgent (execution events; see PgRiskStore.inAccount). */
  readonly urgent?: boolean;
  /**
   * What the unit will ask first, so the store can answer it from the round trip that locks the
   * account (the unit's own calls then return those answers): `processed` for
   * {@link AccountUnit.markProcessed}, `decision` for {@link AccountUnit.previousDecision},
   * `strategy` for {@link AccountUnit.strategy}.
   */
  readonly prefetch?: {
    readonly processed?: { readonly consumer: string; readonly key: string };
    readonly decision?: { readonly source: DecisionSource; readonly intentId: string };
    readonly strategy?: { readonly strategyId: string };
  };
}

export interface DecisionListing {
  readonly items: readonly DecisionRecord[];
  readonly nextCursor: string | null;
}

/** Persistence of risk-guard, as the use cases see it. */
export interface RiskStore {
  /**
   * Runs `work` with the account locked (created on first use) and commits what it did. A unit
   * that changed nothing and staged nothing writes nothing.
   */
  inAccount<T>(account: string, options: UnitOptions, work: (unit: AccountUnit) => Promise<T>): Promise<T>;
  /** The account's world for reading (cache first), null for an account never seen. */
  read(account: string): Promise<AccountWorld | null>;
  accounts(): Promise<string[]>;
  /** A strategy's config row (signals: which account, which magic, which limits). */
  strategy(strategyId: string): Promise<StrategySettings | null>;
  decisionByClientOrderId(clientOrderId: string): Promise<DecisionRecord | null>;
  listDecisions(filter: { account?: string; outcome?: DecisionOutcome; limit: number; before?: string }): Promise<DecisionListing>;
  /** Publishes a decision's messages that are still unpublished (a redelivered signal repairs a crash after commit). */
  republishDecision(decisionId: string): Promise<number>;
  /** Records an audit entry outside any account transaction (refused commands). */
  audit(entry: AuditRecord): Promise<void>;
}

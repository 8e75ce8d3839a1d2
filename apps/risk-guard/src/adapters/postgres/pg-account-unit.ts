import type { DecisionSource } from '@mt5/contracts';
import { currentTraceId } from '@mt5/infra/telemetry';
import { reduceRiskState, type BreakerConfig, type RiskEvent, type RiskInput, type RiskReduction } from '@mt5/domain/risk';
import type { AccountContext, AccountWorld } from '../../application/account-world.js';
import type { DecisionRecord } from '../../application/decide-order/decision-record.js';
import type { OutboxMessage, StrategySettings } from '../../application/ports.js';
import type { AccountUnit, AuditRecord } from '../../application/risk-store.port.js';
import type { BookkeepingRepository } from './bookkeeping.repository.js';
import type { DecisionsRepository } from './decisions.repository.js';
import type { Tx } from './pg-transaction.js';
import type { StatementBatch } from './statement-batch.js';

/** Answers the opening round trip gave to a unit's first questions (see UnitOptions.prefetch). */
export interface PrefetchedAnswers {
  processed?: { readonly consumer: string; readonly key: string; readonly fresh: boolean };
  decision?: { readonly source: DecisionSource; readonly intentId: string; readonly record: DecisionRecord | null };
  strategy?: { readonly strategyId: string; readonly settings: StrategySettings | null };
}

/**
 * What the units of one group (one transaction) share: the connection, the writes staged for the
 * commit, and what earlier units of the group decided, which a later unit must see as the table
 * would once they commit.
 */
export interface UnitGroup {
  readonly tx: Tx;
  readonly batch: StatementBatch;
  readonly repositories: { readonly decisions: DecisionsRepository; readonly bookkeeping: BookkeepingRepository };
  readonly breakers: BreakerConfig;
  /** Decisions recorded in this group, by `source:intentId`. */
  readonly decided: Map<string, DecisionRecord>;
  /** Orders allowed in this group, by clientOrderId: their strategy (remembered by the store once committed). */
  readonly allowed: Map<string, string | null>;
  /** Strategies of orders this process allowed and committed lately. */
  readonly knownStrategies: ReadonlyMap<string, string | null>;
}

const originKey = (source: DecisionSource, intentId: string) => `${source}:${intentId}`;

/**
 * One unit of a group: it starts from the world the unit before it left (or the locked world),
 * stages its writes in the group's batch and collects its own events and outbox messages, which
 * the store turns into rows and messages under this unit's cause and trace.
 */
export class PgAccountUnit implements AccountUnit {
  readonly events: RiskEvent[] = [];
  readonly outbox: OutboxMessage[] = [];

  constructor(
    readonly account: string,
    public world: AccountWorld,
    private readonly group: UnitGroup,
    private readonly answers: PrefetchedAnswers = {},
  ) {}

  apply(input: RiskInput): RiskReduction {
    const reduction = reduceRiskState(this.world.risk, input, this.group.breakers);
    if (reduction.kind === 'applied') {
      this.world = { ...this.world, risk: reduction.state };
      this.events.push(...reduction.events);
    }
    return reduction;
  }

  setContext(context: AccountContext): void {
    this.world = { ...this.world, context };
  }

  previousDecision(source: DecisionSource, intentId: string): Promise<DecisionRecord | null> {
    const inGroup = this.group.decided.get(originKey(source, intentId));
    if (inGroup) return Promise.resolve(inGroup);
    const answer = this.answers.decision;
    if (answer && answer.source === source && answer.intentId === intentId) {
      this.answers.decision = undefined;
      return Promise.resolve(answer.record);
    }
    return this.group.repositories.decisions.findByOrigin(this.group.tx, source, intentId);
  }

  async recordDecision(record: DecisionRecord, messages: readonly OutboxMessage[]): Promise<void> {
    this.group.repositories.decisions.insert(this.group.batch, record);
    this.group.decided.set(originKey(record.source, record.intentId), record);
    if (record.clientOrderId !== null) this.group.allowed.set(record.clientOrderId, record.strategyId);
    this.enqueue(messages);
  }

  enqueue(messages: readonly OutboxMessage[]): void {
    this.outbox.push(...messages);
  }

  markProcessed(consumer: string, key: string): Promise<boolean> {
    const answer = this.answers.processed;
    if (answer && answer.consumer === consumer && answer.key === key) {
      // The opening round trip inserted the key; marking it again finds it there, as the table would.
      this.answers.processed = undefined;
      return Promise.resolve(answer.fresh);
    }
    return this.group.repositories.bookkeeping.markProcessed(this.group.tx, consumer, key);
  }

  strategy(strategyId: string): Promise<StrategySettings | null> {
    const answer = this.answers.strategy;
    if (answer && answer.strategyId === strategyId) return Promise.resolve(answer.settings);
    return this.group.repositories.bookkeeping.strategy(this.group.tx, strategyId);
  }

  strategyByMagic(magic: number): Promise<StrategySettings | null> {
    return this.group.repositories.bookkeeping.strategyByMagic(this.group.tx, magic);
  }

  strategyOfOrder(clientOrderId: string): Promise<string | null> {
    // A decision row never changes: what this process committed (or this group staged) is what the table says.
    if (this.group.allowed.has(clientOrderId)) return Promise.resolve(this.group.allowed.get(clientOrderId)!);
    const known = this.group.knownStrategies.get(clientOrderId);
    if (known !== undefined) return Promise.resolve(known);
    return this.group.repositories.decisions.strategyOf(this.group.tx, clientOrderId);
  }

  async audit(entry: AuditRecord): Promise<void> {
    await this.group.repositories.bookkeeping.audit(this.group.tx, { ...entry, traceId: currentTraceId() ?? null });
  }
}

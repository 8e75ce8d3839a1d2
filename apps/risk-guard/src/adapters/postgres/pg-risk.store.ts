import type { DecisionOutcome, DecisionSource } from '@mt5/contracts';
import type { Logger } from '@mt5/infra/logging';
import { currentTraceId } from '@mt5/infra/telemetry';
import { reduceRiskState, type BreakerConfig, type RiskEvent, type RiskInput, type RiskReduction } from '@mt5/domain/risk';
import type pg from 'pg';
import type { AccountContext, AccountWorld } from '../../application/account-world.js';
import type { DecisionRecord } from '../../application/decide-order/decision-record.js';
import type { OutboxMessage, StrategySettings } from '../../application/ports.js';
import type { AccountUnit, AuditRecord, DecisionListing, RiskStore, UnitOptions } from '../../application/risk-store.port.js';
import { decisionMessageIds } from '../messages/decision.mapper.js';
import { riskEventMessages } from '../messages/risk-event.mapper.js';
import { activeTraceHeaders, type OutboxPublisher } from '../nats/outbox.publisher.js';
import type { StateCache } from '../redis/state.cache.js';
import { AccountStateRepository } from './account-state.repository.js';
import { BookkeepingRepository } from './bookkeeping.repository.js';
import { DecisionsRepository } from './decisions.repository.js';
import { inTransaction, type Tx } from './pg-transaction.js';

export interface PgRiskStoreOptions {
  readonly breakers: BreakerConfig;
  readonly commandValidityMs: number;
  readonly flattenIncludesExternal: boolean;
  /** Called after each commit with the account's world and the events it produced (metrics). */
  readonly onCommitted?: (world: AccountWorld, events: readonly RiskEvent[]) => void;
}

class PgAccountUnit implements AccountUnit {
  readonly events: RiskEvent[] = [];
  readonly outbox: OutboxMessage[] = [];
  world: AccountWorld;

  constructor(
    readonly account: string,
    private readonly tx: Tx,
    readonly loaded: AccountWorld,
    private readonly repositories: { decisions: DecisionsRepository; bookkeeping: BookkeepingRepository },
    private readonly breakers: BreakerConfig,
  ) {
    this.world = loaded;
  }

  apply(input: RiskInput): RiskReduction {
    const reduction = reduceRiskState(this.world.risk, input, this.breakers);
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
    return this.repositories.decisions.findByOrigin(this.tx, source, intentId);
  }

  async recordDecision(record: DecisionRecord, messages: readonly OutboxMessage[]): Promise<void> {
    await this.repositories.decisions.insert(this.tx, record);
    this.enqueue(messages);
  }

  enqueue(messages: readonly OutboxMessage[]): void {
    this.outbox.push(...messages);
  }

  markProcessed(consumer: string, key: string): Promise<boolean> {
    return this.repositories.bookkeeping.markProcessed(this.tx, consumer, key);
  }

  strategy(strategyId: string): Promise<StrategySettings | null> {
    return this.repositories.bookkeeping.strategy(this.tx, strategyId);
  }

  strategyByMagic(magic: number): Promise<StrategySettings | null> {
    return this.repositories.bookkeeping.strategyByMagic(this.tx, magic);
  }

  strategyOfOrder(clientOrderId: string): Promise<string | null> {
    return this.repositories.decisions.strategyOf(this.tx, clientOrderId);
  }

  async audit(entry: AuditRecord): Promise<void> {
    await this.repositories.bookkeeping.audit(this.tx, { ...entry, traceId: currentTraceId() ?? null });
  }
}

/** {@link RiskStore} on Postgres (truth), the outbox publisher and the Redis state cache. */
export class PgRiskStore implements RiskStore {
  private readonly state = new AccountStateRepository();
  private readonly decisions = new DecisionsRepository();
  private readonly bookkeeping = new BookkeepingRepository();

  constructor(
    private readonly pool: pg.Pool,
    private readonly publisher: OutboxPublisher,
    private readonly cache: StateCache | null,
    private readonly logger: Logger,
    private readonly options: PgRiskStoreOptions,
  ) {}

  async inAccount<T>(account: string, options: UnitOptions, work: (unit: AccountUnit) => Promise<T>): Promise<T> {
    const trace = activeTraceHeaders();
    const now = options.now.getTime();
    const { result, unit } = await inTransaction(this.pool, async (tx) => {
      const loaded = await this.state.lock(tx, account, now);
      const unit = new PgAccountUnit(account, tx, loaded, { decisions: this.decisions, bookkeeping: this.bookkeeping }, this.options.breakers);
      const result = await work(unit);
      const messages = riskEventMessages(unit.events, {
        cause: options.cause, now: options.now, commandValidityMs: this.options.commandValidityMs, flattenIncludesExternal: this.options.flattenIncludesExternal,
      });
      unit.enqueue(messages);
      await this.state.save(tx, unit.loaded, unit.world, unit.events, now);
      await this.bookkeeping.recordEvents(tx, unit.events, currentTraceId() ?? null);
      await this.bookkeeping.enqueue(tx, unit.outbox, trace);
      return { result, unit };
    });
    if (unit.outbox.length > 0) await this.publisher.publish(unit.outbox, trace);
    if (unit.world !== unit.loaded) await this.cache?.put(account, unit.world);
    this.options.onCommitted?.(unit.world, unit.events);
    return result;
  }

  async read(account: string): Promise<AccountWorld | null> {
    const cached = await this.cache?.get(account);
    if (cached) return cached;
    const world = await inTransaction(this.pool, (tx) => this.state.read(tx, account));
    if (world) await this.cache?.put(account, world);
    return world;
  }

  accounts(): Promise<string[]> {
    return inTransaction(this.pool, (tx) => this.state.accounts(tx));
  }

  strategy(strategyId: string): Promise<StrategySettings | null> {
    return inTransaction(this.pool, (tx) => this.bookkeeping.strategy(tx, strategyId));
  }

  decisionByClientOrderId(clientOrderId: string): Promise<DecisionRecord | null> {
    return inTransaction(this.pool, (tx) => this.decisions.findByClientOrderId(tx, clientOrderId));
  }

  listDecisions(filter: { account?: string; outcome?: DecisionOutcome; limit: number; before?: string }): Promise<DecisionListing> {
    return inTransaction(this.pool, (tx) => this.decisions.list(tx, filter));
  }

  async republishDecision(decisionId: string): Promise<number> {
    const count = await this.publisher.republish(decisionMessageIds(decisionId));
    if (count > 0) this.logger.info({ decisionId, count }, 'republished messages of a decision left unpublished');
    return count;
  }

  audit(entry: AuditRecord): Promise<void> {
    return inTransaction(this.pool, (tx) => this.bookkeeping.audit(tx, { ...entry, traceId: currentTraceId() ?? null }));
  }
}

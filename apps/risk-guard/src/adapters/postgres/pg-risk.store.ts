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
import { AccountStateRepository, type LockedWorld } from './account-state.repository.js';
import { BookkeepingRepository } from './bookkeeping.repository.js';
import { DecisionsRepository, toRecord, type DecisionRow } from './decisions.repository.js';
import { inRoundTrips, inTransaction, type Tx } from './pg-transaction.js';
import { StatementBatch } from './statement-batch.js';
import { UnitQueue } from './unit-queue.js';

export interface PgRiskStoreOptions {
  readonly breakers: BreakerConfig;
  readonly commandValidityMs: number;
  readonly flattenIncludesExternal: boolean;
  /** Called after each commit with the account's world and the events it produced (metrics). */
  readonly onCommitted?: (world: AccountWorld, events: readonly RiskEvent[]) => void;
}

/** Answers the opening round trip gave to the unit's first questions (see UnitOptions.prefetch). */
interface PrefetchedAnswers {
  processed?: { readonly consumer: string; readonly key: string; readonly fresh: boolean };
  decision?: { readonly source: DecisionSource; readonly intentId: string; readonly record: DecisionRecord | null };
}

const rowToRecord = (rows: readonly Record<string, unknown>[] | undefined) => (rows?.[0] ? toRecord(rows[0] as unknown as DecisionRow) : null);

class PgAccountUnit implements AccountUnit {
  readonly events: RiskEvent[] = [];
  readonly outbox: OutboxMessage[] = [];
  /** Writes staged until the unit's work is done, then sent as one statement before the commit. */
  readonly batch = new StatementBatch();
  /** Orders allowed in this unit, by clientOrderId: their strategy, remembered once committed. */
  readonly allowed = new Map<string, string | null>();
  world: AccountWorld;

  constructor(
    readonly account: string,
    private readonly tx: Tx,
    readonly loaded: LockedWorld,
    private readonly repositories: { decisions: DecisionsRepository; bookkeeping: BookkeepingRepository },
    private readonly breakers: BreakerConfig,
    private readonly knownStrategies: ReadonlyMap<string, string | null>,
    private readonly answers: PrefetchedAnswers = {},
  ) {
    this.world = loaded.world;
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
    const answer = this.answers.decision;
    if (answer && answer.source === source && answer.intentId === intentId) {
      this.answers.decision = undefined;
      return Promise.resolve(answer.record);
    }
    return this.repositories.decisions.findByOrigin(this.tx, source, intentId);
  }

  async recordDecision(record: DecisionRecord, messages: readonly OutboxMessage[]): Promise<void> {
    this.repositories.decisions.insert(this.batch, record);
    if (record.clientOrderId !== null) this.allowed.set(record.clientOrderId, record.strategyId);
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
    return this.repositories.bookkeeping.markProcessed(this.tx, consumer, key);
  }

  strategy(strategyId: string): Promise<StrategySettings | null> {
    return this.repositories.bookkeeping.strategy(this.tx, strategyId);
  }

  strategyByMagic(magic: number): Promise<StrategySettings | null> {
    return this.repositories.bookkeeping.strategyByMagic(this.tx, magic);
  }

  strategyOfOrder(clientOrderId: string): Promise<string | null> {
    // A decision row never changes: what this process committed is still what the table says.
    const known = this.knownStrategies.get(clientOrderId);
    if (known !== undefined) return Promise.resolve(known);
    return this.repositories.decisions.strategyOf(this.tx, clientOrderId);
  }

  async audit(entry: AuditRecord): Promise<void> {
    await this.repositories.bookkeeping.audit(this.tx, { ...entry, traceId: currentTraceId() ?? null });
  }
}

/** Order commands ahead of the events of the same unit (a stable sort: each group keeps its order). */
function commandsFirst(messages: readonly OutboxMessage[]): OutboxMessage[] {
  const isCommand = (message: OutboxMessage) => message.subject.startsWith('exec.cmd.');
  return [...messages.filter(isCommand), ...messages.filter((message) => !isCommand(message))];
}

/** {@link RiskStore} on Postgres (truth), the outbox publisher and the Redis state cache. */
export class PgRiskStore implements RiskStore {
  private readonly state = new AccountStateRepository();
  private readonly decisions = new DecisionsRepository();
  private readonly bookkeeping = new BookkeepingRepository();
  /** Each account's world as this process last committed it, with its version (see AccountStateRepository.lock). */
  private readonly worlds = new Map<string, LockedWorld>();
  /** Strategy of orders this process allowed lately (their entry deals are attributed without a query); bounded. */
  private readonly orderStrategies = new Map<string, string | null>();
  /** Accounts whose query cache entry this process dropped and nobody here refilled since; commits per account (see invalidateCache). */
  private readonly cacheDropped = new Set<string>();
  private readonly cacheGeneration = new Map<string, number>();
  /** Each account's unit queue (see inAccount); one per account ever seen by this process. */
  private readonly queues = new Map<string, UnitQueue>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly publisher: OutboxPublisher,
    private readonly cache: StateCache | null,
    private readonly logger: Logger,
    private readonly options: PgRiskStoreOptions,
  ) {}

  /**
   * Units of one account run one after the other in this process (the row lock serialises them
   * across processes anyway): a unit starts after the previous one committed and cached its world,
   * so it finds the cache current instead of waiting on the lock with a stale one, and does not
   * hold a pool connection while it waits. Execution events (`options.urgent`) go ahead of waiting
   * decisions: they resolve pending orders and bring the account up to date, so under a burst the
   * account context stays small and decisions see fresh facts, instead of events falling behind
   * one per decision while pending orders pile up.
   */
  inAccount<T>(account: string, options: UnitOptions, work: (unit: AccountUnit) => Promise<T>): Promise<T> {
    let queue = this.queues.get(account);
    if (!queue) {
      queue = new UnitQueue();
      this.queues.set(account, queue);
    }
    return queue.run(options.urgent === true, () => this.runUnit(account, options, work));
  }

  private async runUnit<T>(account: string, options: UnitOptions, work: (unit: AccountUnit) => Promise<T>): Promise<T> {
    const trace = activeTraceHeaders();
    const now = options.now.getTime();
    let committed: LockedWorld | undefined;
    let outcome: { result: T; unit: PgAccountUnit };
    const { processed, decision } = options.prefetch ?? {};
    // One round trip opens the unit (BEGIN, the lock, the unit's first questions) and one closes
    // it (every write, COMMIT); in between only what the unit asks that could not be foreseen.
    const opening = [
      this.state.lockStatement(account),
      ...(processed ? [this.bookkeeping.markProcessedStatement(processed.consumer, processed.key)] : []),
      ...(decision ? [this.decisions.findByOriginStatement(decision.source, decision.intentId)] : []),
    ];
    try {
      ({ value: outcome } = await inRoundTrips(this.pool, opening, async (tx, opened) => {
        const loaded = await this.state.lock(tx, account, now, this.worlds.get(account), opened[0]);
        const answers: PrefetchedAnswers = {
          ...(processed ? { processed: { ...processed, fresh: (opened[1] ?? []).length === 1 } } : {}),
          // A decision read before the lock existed (the account's first unit) is read again under it.
          ...(decision && (opened[0] ?? []).length > 0 ? { decision: { ...decision, record: rowToRecord(opened[processed ? 2 : 1]) } } : {}),
        };
        const unit = new PgAccountUnit(account, tx, loaded, { decisions: this.decisions, bookkeeping: this.bookkeeping }, this.options.breakers, this.orderStrategies, answers);
        const result = await work(unit);
        const messages = riskEventMessages(unit.events, {
          cause: options.cause, now: options.now, commandValidityMs: this.options.commandValidityMs, flattenIncludesExternal: this.options.flattenIncludesExternal,
        });
        unit.enqueue(messages);
        this.bookkeeping.recordEvents(unit.batch, unit.events, currentTraceId() ?? null);
        // Order commands first: publishing follows this order, and the command is what the order waits for.
        this.bookkeeping.enqueue(unit.batch, commandsFirst(unit.outbox), trace);
        const version = this.state.save(unit.batch, loaded, unit.world, unit.events, now);
        committed = { world: unit.world, version };
        return { value: { result, unit }, closing: unit.batch.inline() };
      }));
    } catch (error) {
      // Whatever this process believed about the account may not be what Postgres kept.
      this.worlds.delete(account);
      throw error;
    }
    this.worlds.set(account, committed!);
    const { result, unit } = outcome;
    for (const [clientOrderId, strategyId] of unit.allowed) this.rememberStrategy(clientOrderId, strategyId);
    // Not awaited: the rows are committed, so a message whose publish fails (or a crash before it)
    // is sent by the relay; the next unit does not wait for this one's acks.
    if (unit.outbox.length > 0) void this.publisher.publish(commandsFirst(unit.outbox), trace);
    if (unit.world !== unit.loaded.world) this.invalidateCache(account);
    this.options.onCommitted?.(unit.world, unit.events);
    return result;
  }

  private rememberStrategy(clientOrderId: string, strategyId: string | null): void {
    this.orderStrategies.set(clientOrderId, strategyId);
    if (this.orderStrategies.size > 10_000) this.orderStrategies.delete(this.orderStrategies.keys().next().value!);
  }

  /**
   * The query cache is dropped, not rewritten, when a commit changes the world: the hot path then
   * costs no serialising and no Redis call after the first drop, and the next query fills it.
   */
  private invalidateCache(account: string): void {
    this.cacheGeneration.set(account, (this.cacheGeneration.get(account) ?? 0) + 1);
    if (this.cacheDropped.has(account)) return;
    this.cacheDropped.add(account);
    void this.cache?.delete(account);
  }

  async read(account: string): Promise<AccountWorld | null> {
    const cached = await this.cache?.get(account);
    if (cached) return cached;
    const generation = this.cacheGeneration.get(account) ?? 0;
    const world = await inTransaction(this.pool, (tx) => this.state.read(tx, account));
    // Not when a commit came in between: the world read may predate it.
    if (world && this.cache && (this.cacheGeneration.get(account) ?? 0) === generation) {
      this.cacheDropped.delete(account);
      await this.cache.put(account, world);
    }
    return world;
  }

  accounts(): Promise<string[]> {
    return inTransaction(this.pool, (tx) => this.state.accounts(tx));
  }

  strategy(strategyId: string): Promise<StrategySettings | null> {
    // One statement needs no transaction of its own (BEGIN and COMMIT would be two more round trips).
    return this.bookkeeping.strategy(this.pool, strategyId);
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

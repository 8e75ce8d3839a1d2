import { AsyncResource } from 'node:async_hooks';
import type { DecisionOutcome } from '@mt5/contracts';
import type { Logger } from '@mt5/infra/logging';
import { currentTraceId } from '@mt5/infra/telemetry';
import type { BreakerConfig, RiskEvent } from '@mt5/domain/risk';
import type pg from 'pg';
import type { AccountWorld } from '../../application/account-world.js';
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
import { PgAccountUnit, type PrefetchedAnswers, type UnitGroup } from './pg-account-unit.js';
import { inRoundTrips, inTransaction } from './pg-transaction.js';
import { StatementBatch } from './statement-batch.js';
import { UnitQueue } from './unit-queue.js';

export interface PgRiskStoreOptions {
  readonly breakers: BreakerConfig;
  readonly commandValidityMs: number;
  readonly flattenIncludesExternal: boolean;
  /** Called after each commit with the account's world and the events it produced (metrics). */
  readonly onCommitted?: (world: AccountWorld, events: readonly RiskEvent[]) => void;
  /** Most units of one account committed together (default 64). */
  readonly maxGroup?: number;
}

/** A unit waiting in its account's queue, with what it runs in (its caller's async context and trace). */
interface Member {
  readonly options: UnitOptions;
  readonly work: (unit: AccountUnit) => Promise<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  readonly scope: AsyncResource;
  readonly trace: Readonly<Record<string, string>>;
}

const rowToRecord = (rows: readonly Record<string, unknown>[] | undefined) => (rows?.[0] ? toRecord(rows[0] as unknown as DecisionRow) : null);

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
  private readonly queues = new Map<string, UnitQueue<Member>>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly publisher: OutboxPublisher,
    private readonly cache: StateCache | null,
    private readonly logger: Logger,
    private readonly options: PgRiskStoreOptions,
  ) {}

  /**
   * Units of one account run in order, in groups (see UnitQueue): the units that queued while the
   * previous group ran share one transaction, so under load N units cost one lock, one write round
   * trip and one commit. Each unit starts from the world the unit before it left, in its caller's
   * async context (its trace), and its events and messages carry its own cause. A group that fails
   * rolls back and its units run again one by one, so only a failing unit fails. A unit starts
   * after the previous group committed and cached its world, so it finds the cache current instead
   * of waiting on the lock with a stale one, and does not hold a pool connection while it waits.
   * Execution events (`options.urgent`) go ahead of waiting decisions: they resolve pending orders
   * and bring the account up to date, so decisions see fresh facts.
   */
  inAccount<T>(account: string, options: UnitOptions, work: (unit: AccountUnit) => Promise<T>): Promise<T> {
    let queue = this.queues.get(account);
    if (!queue) {
      queue = new UnitQueue<Member>((group) => this.runGroup(account, group.map((queued) => queued.member)), this.options.maxGroup);
      this.queues.set(account, queue);
    }
    return new Promise<T>((resolve, reject) => {
      const member: Member = {
        options, work: work as Member['work'], resolve: resolve as Member['resolve'], reject,
        scope: new AsyncResource('risk-guard.unit'), trace: activeTraceHeaders(),
      };
      queue.add(options.urgent === true, member);
    });
  }

  private async runGroup(account: string, members: readonly Member[]): Promise<void> {
    try {
      const results = await this.runTogether(account, members);
      members.forEach((member, i) => member.resolve(results[i]));
    } catch (error) {
      if (members.length === 1) {
        members[0]!.reject(error);
      } else {
        this.logger.debug({ err: error, account, units: members.length }, 'a group of units failed; running them one by one');
        for (const member of members) {
          try {
            member.resolve((await this.runTogether(account, [member]))[0]);
          } catch (alone) {
            member.reject(alone);
          }
        }
      }
    } finally {
      for (const member of members) member.scope.emitDestroy();
    }
  }

  /** The members' units in one transaction; their results, in order, once committed. */
  private async runTogether(account: string, members: readonly Member[]): Promise<unknown[]> {
    // One round trip opens the group (BEGIN, the lock, each unit's first questions) and one closes
    // it (every write, COMMIT); in between only what a unit asks that could not be foreseen.
    const opening = [this.state.lockStatement(account)];
    const asked = members.map((member) => {
      const { processed, decision, strategy } = member.options.prefetch ?? {};
      const at = (statement: string) => opening.push(statement) - 1;
      return {
        processed: processed ? { ...processed, at: at(this.bookkeeping.markProcessedStatement(processed.consumer, processed.key)) } : undefined,
        decision: decision ? { ...decision, at: at(this.decisions.findByOriginStatement(decision.source, decision.intentId)) } : undefined,
        strategy: strategy ? { ...strategy, at: at(this.bookkeeping.strategyStatement(strategy.strategyId)) } : undefined,
      };
    });
    let committed: LockedWorld | undefined;
    let outcome: { results: unknown[]; loaded: LockedWorld; units: { unit: PgAccountUnit; member: Member }[]; allowed: Map<string, string | null> };
    try {
      ({ value: outcome } = await inRoundTrips(this.pool, opening, async (tx, opened) => {
        const now = Math.max(...members.map((member) => member.options.now.getTime()));
        const loaded = await this.state.lock(tx, account, now, this.worlds.get(account), opened[0]);
        const group: UnitGroup = {
          tx, batch: new StatementBatch(), repositories: { decisions: this.decisions, bookkeeping: this.bookkeeping }, breakers: this.options.breakers,
          decided: new Map(), allowed: new Map(), knownStrategies: this.orderStrategies,
        };
        // A decision read before the lock existed (the account's first unit) is read again under it.
        const lockExisted = (opened[0] ?? []).length > 0;
        let world = loaded.world;
        const events: RiskEvent[] = [];
        const results: unknown[] = [];
        const units: { unit: PgAccountUnit; member: Member }[] = [];
        for (const [i, member] of members.entries()) {
          const { processed, decision, strategy } = asked[i]!;
          const answers: PrefetchedAnswers = {
            ...(processed ? { processed: { consumer: processed.consumer, key: processed.key, fresh: (opened[processed.at] ?? []).length === 1 } } : {}),
            ...(decision && lockExisted ? { decision: { source: decision.source, intentId: decision.intentId, record: rowToRecord(opened[decision.at]) } } : {}),
            ...(strategy ? { strategy: { strategyId: strategy.strategyId, settings: this.bookkeeping.strategyFromRows(opened[strategy.at]) } } : {}),
          };
          const unit = new PgAccountUnit(account, world, group, answers);
          results.push(await member.scope.runInAsyncScope(async () => {
            const result = await member.work(unit);
            const { options } = member;
            unit.enqueue(riskEventMessages(unit.events, {
              cause: options.cause, now: options.now, commandValidityMs: this.options.commandValidityMs, flattenIncludesExternal: this.options.flattenIncludesExternal,
            }));
            this.bookkeeping.recordEvents(group.batch, unit.events, currentTraceId() ?? null);
            // Order commands first: publishing follows this order, and the command is what the order waits for.
            this.bookkeeping.enqueue(group.batch, commandsFirst(unit.outbox), member.trace);
            return result;
          }));
          world = unit.world;
          events.push(...unit.events);
          units.push({ unit, member });
        }
        // One save of what the whole group changed: units of a group write the same state rows.
        const version = this.state.save(group.batch, loaded, world, events, now);
        committed = { world, version };
        return { value: { results, loaded, units, allowed: group.allowed }, closing: group.batch.inline() };
      }));
    } catch (error) {
      // Whatever this process believed about the account may not be what Postgres kept.
      this.worlds.delete(account);
      throw error;
    }
    this.worlds.set(account, committed!);
    for (const [clientOrderId, strategyId] of outcome.allowed) this.rememberStrategy(clientOrderId, strategyId);
    // Not awaited: the rows are committed, so a message whose publish fails (or a crash before it)
    // is sent by the relay; the next group does not wait for this one's acks.
    for (const { unit, member } of outcome.units) {
      if (unit.outbox.length > 0) void this.publisher.publish(commandsFirst(unit.outbox), member.trace);
    }
    if (committed!.world !== outcome.loaded.world) this.invalidateCache(account);
    this.options.onCommitted?.(committed!.world, outcome.units.flatMap(({ unit }) => unit.events));
    return outcome.results;
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

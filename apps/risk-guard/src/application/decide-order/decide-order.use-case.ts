import type { Envelope } from '@mt5/contracts';
import type { Quote } from '@mt5/domain/positions';
import {
  classifyOrder,
  evaluateOrder,
  formatMoney,
  formatVolume,
  type OrderDecision,
  type RiskConfig,
  type RiskContext,
  type RiskIntent,
} from '@mt5/domain/risk';
import { Metrics } from '@mt5/infra/health';
import { withSpan } from '@mt5/infra/telemetry';
import type { AccountWorld } from '../account-world.js';
import { addPendingOrder, positionsWithPending, prunePendingOrders, resolvePendingOrder } from '../execution-events/account-context.js';
import type { Clock, InstrumentCatalogue, OrderRateLimiter, OutboxMessage, QuoteSource, StrategySettings } from '../ports.js';
import type { AccountUnit, RiskStore } from '../risk-store.port.js';
import type { DecisionRecord } from './decision-record.js';

/** How a decision becomes ids and messages (the wire mapper, injected so the use case stays off the wire). */
export interface DecisionWire {
  ids(source: string, intentId: string): { decisionId: string; clientOrderId: string };
  messages(record: DecisionRecord, options: { cause: Pick<Envelope, 'id' | 'correlationId'>; now: Date; requestedBy: string | null }): OutboxMessage[];
}

export interface DecideRequest {
  readonly account: string;
  readonly intent: RiskIntent;
  /** The signal envelope or the request the intent came in. */
  readonly cause: Pick<Envelope, 'id' | 'correlationId'>;
  readonly requestedBy: string | null;
  /**
   * The strategy's config row when the caller already read it (the signals consumer reads it to
   * find the account): not read a second time inside the account's transaction. Undefined: read there.
   */
  readonly strategy?: StrategySettings | null;
  /**
   * Called with the strategy row read in the account's transaction, before anything is decided: a
   * caller that routed the intent by a remembered account throws when the row names another one.
   */
  readonly checkStrategy?: (strategy: StrategySettings | null) => void;
}

export type DecideResult =
  | { readonly kind: 'decided'; readonly record: DecisionRecord }
  /** Already decided: nothing new is stored or sent; `message` is the RISK.DUPLICATE_SIGNAL denial. */
  | { readonly kind: 'duplicate'; readonly previous: DecisionRecord; readonly message: string };

/** The answer to `risk.qry.recheck` (execution's `{ approved, code?, reason? }`). */
export interface RecheckResult {
  readonly approved: boolean;
  readonly code?: string;
  readonly reason: string;
}

export interface DecideDependencies {
  readonly store: RiskStore;
  readonly clock: Clock;
  readonly quotes: QuoteSource;
  readonly limiter: OrderRateLimiter;
  readonly catalogue: InstrumentCatalogue;
  readonly wire: DecisionWire;
  readonly riskConfig: RiskConfig;
  /** Magic of manual orders and of strategies without a config row. */
  readonly defaultMagic: number;
  /** How long an order command stays valid (`validUntil`); pending orders count that long (and a grace). */
  readonly commandValidityMs: number;
}

/** The account limits, tightened by the strategy's own (never loosened). */
export function configFor(base: RiskConfig, strategy: StrategySettings | null): RiskConfig {
  if (!strategy) return base;
  return {
    ...base,
    riskPercentPerTrade: Math.min(base.riskPercentPerTrade, strategy.riskPerTradePercent ?? base.riskPercentPerTrade),
    maxLotsPerOrder: Math.min(base.maxLotsPerOrder, strategy.maxVolume ?? base.maxLotsPerOrder),
  };
}

/**
 * Sizes and vets one signal or manual intent, stores the decision with its messages (the order
 * command or the denial) in one transaction with the account locked, and publishes them after
 * the commit. The same intent id decided again changes nothing.
 */
export class DecideOrderUseCase {
  private readonly givenBack = new WeakSet<Promise<RiskContext['rateLimit']>>();

  constructor(private readonly deps: DecideDependencies) {}

  decide(request: DecideRequest): Promise<DecideResult> {
    const { intent } = request;
    return withSpan('risk.decide', { attributes: { 'mt5.account': request.account, 'mt5.intent_id': intent.intentId, 'mt5.source': intent.source } }, async (span) => {
      const now = this.deps.clock.now();
      // The intent's quote is read while the account is being locked, not after: it is a fact of
      // its own time either way, and the staleness check compares that time with `now`.
      const quote = this.deps.quotes.latest(intent.symbol);
      quote.catch(() => undefined);
      // Likewise the rate-limit token of an intent that may open (most do): asked for now, not after
      // the lock, and given back if the intent turns out to reduce or was decided before.
      const token = intent.closesPositionId === null ? this.deps.limiter.take(request.account, now.getTime()) : undefined;
      const prefetch = {
        decision: { source: intent.source, intentId: intent.intentId },
        ...(intent.strategyId !== null && request.strategy === undefined ? { strategy: { strategyId: intent.strategyId } } : {}),
      };
      const result = await this.deps.store.inAccount(request.account, { cause: request.cause, now, prefetch }, (unit) => this.decideIn(unit, request, now, quote, token));
      if (result.kind === 'decided') {
        span.setAttribute('mt5.outcome', result.record.outcome);
        if (result.record.code) span.setAttribute('mt5.code', result.record.code);
        Metrics.riskDecisions.inc({ outcome: result.record.outcome, code: result.record.code ?? '' });
      } else {
        Metrics.riskDecisions.inc({ outcome: 'DENY', code: 'RISK.DUPLICATE_SIGNAL' });
      }
      return result;
    });
  }

  private async decideIn(
    unit: AccountUnit, request: DecideRequest, now: Date, quote: ReturnType<QuoteSource['latest']>, token: Promise<RiskContext['rateLimit']> | undefined,
  ): Promise<DecideResult> {
    const { intent } = request;
    const nowMs = now.getTime();
    unit.apply({ type: 'CLOCK', time: nowMs });
    const strategy = intent.strategyId === null ? null : request.strategy !== undefined ? request.strategy : await unit.strategy(intent.strategyId);
    request.checkStrategy?.(strategy);
    const previous = await unit.previousDecision(intent.source, intent.intentId);
    const world = unit.world;
    if (previous) {
      this.giveBack(request.account, token);
      const verdict = evaluateOrder(intent, await this.context(world, intent, nowMs, previous.decisionId, { allowed: true, retryAfterMs: 0 }, quote), this.deps.riskConfig);
      return { kind: 'duplicate', previous, message: verdict.kind === 'deny' ? verdict.message : 'already decided' };
    }
    const effect = classifyOrder(intent, { positions: world.context.positions, account: world.context.facts });
    // A token only for a new intent that adds exposure: closes are never rate limited.
    if (effect !== 'OPEN') this.giveBack(request.account, token);
    const rateLimit = effect === 'OPEN' ? await (token ?? this.deps.limiter.take(request.account, nowMs)) : { allowed: true, retryAfterMs: 0 };
    const context = await this.context(world, intent, nowMs, null, rateLimit, quote);
    const decision = evaluateOrder(intent, context, configFor(this.deps.riskConfig, strategy));
    const record = this.record(request, decision, context, strategy, nowMs);
    await unit.recordDecision(record, this.deps.wire.messages(record, { cause: request.cause, now, requestedBy: request.requestedBy }));
    const pruned = prunePendingOrders(unit.world.context, nowMs);
    if (decision.kind === 'allow' && decision.effect === 'OPEN' && record.clientOrderId !== null && decision.price !== null) {
      const pending = { symbol: intent.symbol, side: intent.side, volume: decision.volume, price: decision.price, validUntil: nowMs + this.deps.commandValidityMs };
      unit.setContext(addPendingOrder(pruned, record.clientOrderId, pending));
    } else if (pruned !== unit.world.context) {
      unit.setContext(pruned);
    }
    return { kind: 'decided', record };
  }

  /**
   * Returns a token taken ahead for an intent that needs none, once (a unit can run twice when its
   * group fails), not awaited: the decision does not depend on it.
   */
  private giveBack(account: string, token: Promise<RiskContext['rateLimit']> | undefined): void {
    if (!token || this.givenBack.has(token)) return;
    this.givenBack.add(token);
    void token.then((answer) => (answer.allowed ? this.deps.limiter.giveBack(account) : undefined));
  }

  /**
   * The second look execution asks for before sending a command that waited for the bridge: the
   * allowed order (its volume now fixed) runs every check again on the current state. Nothing is
   * stored and no rate-limit token is taken (the order took its token when it was decided).
   */
  recheck(clientOrderId: string, waitedMs: number): Promise<RecheckResult> {
    return withSpan('risk.recheck', { attributes: { 'mt5.client_order_id': clientOrderId, 'mt5.waited_ms': waitedMs } }, async () => {
      const record = await this.deps.store.decisionByClientOrderId(clientOrderId);
      if (!record) return { approved: false, code: 'OPS.NOT_FOUND', reason: `no risk decision allowed clientOrderId ${clientOrderId}` };
      if (record.outcome !== 'ALLOW' || record.volume === null) return { approved: false, code: record.code ?? 'OPS.CONFLICT', reason: `risk denied it: ${record.message}` };
      const { asked } = record;
      const intent: RiskIntent = {
        intentId: record.intentId, source: record.source, strategyId: record.strategyId, symbol: asked.symbol, side: asked.side, orderType: asked.orderType,
        volume: record.volume, price: asked.orderType === 'MARKET' ? null : asked.price, stopLoss: asked.stopLoss, takeProfit: asked.takeProfit,
        closesPositionId: asked.closesPositionId,
      };
      const now = this.deps.clock.now();
      const cause = { id: `recheck-${clientOrderId}-${now.getTime()}`, correlationId: record.correlationId };
      const verdict = await this.deps.store.inAccount(asked.account, { cause, now }, async (unit) => {
        unit.apply({ type: 'CLOCK', time: now.getTime() });
        const strategy = intent.strategyId === null ? null : await unit.strategy(intent.strategyId);
        // The order must not be counted twice: as itself and as its own pending entry.
        const world = { ...unit.world, context: resolvePendingOrder(unit.world.context, clientOrderId) };
        const context = await this.context(world, intent, now.getTime(), null, { allowed: true, retryAfterMs: 0 });
        return evaluateOrder(intent, context, configFor(this.deps.riskConfig, strategy));
      });
      return verdict.kind === 'allow'
        ? { approved: true, reason: `still allowed after waiting ${waitedMs} ms` }
        : { approved: false, code: verdict.code, reason: verdict.message };
    });
  }

  private async context(
    world: AccountWorld, intent: RiskIntent, now: number, previousDecisionId: string | null, rateLimit: RiskContext['rateLimit'],
    intentQuote?: ReturnType<QuoteSource['latest']>,
  ): Promise<RiskContext> {
    const symbols = new Set([intent.symbol, ...world.context.positions.map((position) => position.symbol)]);
    const quotes: Record<string, Quote> = {};
    for (const symbol of symbols) {
      const { quote } = await (symbol === intent.symbol && intentQuote ? intentQuote : this.deps.quotes.latest(symbol));
      if (quote) quotes[symbol] = quote;
    }
    return {
      now, account: world.context.facts, instruments: this.deps.catalogue.bySymbol, quotes,
      sessionOpen: this.deps.catalogue.bySymbol[intent.symbol] ? this.deps.catalogue.isInSession(intent.symbol, now) : false,
      positions: positionsWithPending(world.context, now), riskState: world.risk, previousDecisionId, rateLimit,
    };
  }

  private record(request: DecideRequest, decision: OrderDecision, context: RiskContext, strategy: StrategySettings | null, now: number): DecisionRecord {
    const { intent, account } = request;
    const ids = this.deps.wire.ids(intent.source, intent.intentId);
    const instrument = context.instruments[intent.symbol];
    const allowed = decision.kind === 'allow';
    const base = {
      decisionId: ids.decisionId, source: intent.source, intentId: intent.intentId, strategyId: intent.strategyId,
      asked: {
        account, symbol: intent.symbol, side: intent.side, orderType: intent.orderType, volume: intent.volume, price: intent.price,
        stopLoss: intent.stopLoss, takeProfit: intent.takeProfit, closesPositionId: intent.closesPositionId,
      },
      checks: decision.checks, digits: instrument?.digits ?? null, tradingState: context.riskState.trading.state, decidedAt: now,
      correlationId: request.cause.correlationId,
      inputs: {
        account: context.account, quote: context.quotes[intent.symbol] ?? null, sessionOpen: context.sessionOpen, positions: context.positions,
        rateLimit: context.rateLimit, strategy,
      },
    };
    if (!allowed) {
      return { ...base, outcome: 'DENY', code: decision.code, context: decision.context, message: decision.message, clientOrderId: null, volume: null, price: null, magic: null };
    }
    const volume = formatVolume(decision.volume);
    const sizing: Record<string, string> = decision.sizing
      ? { volume, riskBudget: formatMoney(decision.sizing.riskBudget), riskPerLot: formatMoney(decision.sizing.riskPerLot), riskAmount: formatMoney(decision.sizing.riskAmount), capped: String(decision.sizing.capped) }
      : { volume };
    const what = decision.effect === 'REDUCE'
      ? `reduce ${intent.symbol} by ${volume}${intent.closesPositionId ? ` (position ${intent.closesPositionId})` : ''}`
      : `${intent.side} ${volume} ${intent.symbol}${decision.price !== null && instrument ? ` at ${decision.price.toFixed(instrument.digits)}` : ''}`;
    return {
      ...base, outcome: 'ALLOW', code: null, context: { effect: decision.effect, ...sizing }, message: `ALLOW: ${what}`,
      clientOrderId: ids.clientOrderId, volume: decision.volume, price: decision.price, magic: strategy?.magic ?? this.deps.defaultMagic,
    };
  }
}

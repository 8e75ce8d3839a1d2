// STAND-INS for risk-guard and signal-engine, written while both were still being built (their
// request/reply APIs were not committed). Each answers the subjects the gateway calls with replies
// shaped like the real service's (apps/risk-guard/src/adapters/nats/risk-api.handlers.ts and
// docs/risk.md; apps/signal-engine/src/adapters/nats/control.handlers.ts), through the real
// `serveQuery`, so the gateway's own behaviour can be tested in-process on a NATS namespace. The
// end-to-end run with the real services replaces them.
import {
  BreakerChangedMessage, createMessage, riskDecisionSchema, Subjects, type BreakerKind, type RiskDecision, type TradingState,
} from '@mt5/contracts';
import { QueryError, serveQuery, subjectIn, type ProvisionOptions } from '@mt5/infra/nats';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { Logger } from 'pino';

interface Actor {
  readonly id: string;
  readonly role: 'viewer' | 'trader' | 'admin';
}

/** What the risk-guard stand-in was asked, for assertions. */
export interface RiskGuardStandIn {
  readonly intents: Record<string, unknown>[];
  readonly commands: { name: string; body: Record<string, unknown> }[];
  stop(): void;
}

/**
 * risk-guard STAND-IN: decides manual intents (ALLOW up to 1 lot, DENY RISK.MAX_LOTS_EXCEEDED
 * above), keeps one account's trading state and breakers, refuses state changes and resets from
 * anyone but an admin (as risk-guard does), publishes `risk.evt.breaker` on a reset, and cancels
 * only orders it allowed (OPS.NOT_FOUND otherwise).
 */
export function startRiskGuardStandIn(nc: NatsConnection, provision: ProvisionOptions, logger: Logger, now: () => Date = () => new Date()): RiskGuardStandIn {
  const intents: Record<string, unknown>[] = [];
  const commands: { name: string; body: Record<string, unknown> }[] = [];
  const breakers = new Map<BreakerKind, 'OPEN' | 'CLOSED'>([['DAILY_LOSS', 'OPEN'], ['MAX_DRAWDOWN', 'CLOSED'], ['KILL_SWITCH', 'CLOSED']]);
  let trading: { state: TradingState; since: string; by: string; reason: string } = { state: 'HALTED', since: now().toISOString(), by: 'breaker:DAILY_LOSS', reason: 'daily loss limit reached' };
  const decided = new Map<string, RiskDecision>();

  const requireAdmin = (actor: Actor, action: string) => {
    if (actor.role !== 'admin') throw new QueryError('OPS.FORBIDDEN', `a ${actor.role} may not ${action}`);
  };
  const applied = (account: string, events: unknown[]) => ({ account, tradingState: trading, events });
  const decide = (body: Record<string, unknown>): RiskDecision => {
    const intentId = String(body.intentId);
    const volume = (body.volume as string | undefined) ?? '0.10';
    const deny = Number(volume) > 1;
    return riskDecisionSchema.parse({
      decisionId: `rd-${intentId}`, source: 'MANUAL', intentId,
      intent: { account: body.account, symbol: body.symbol, side: body.side, orderType: body.orderType, ...(body.volume ? { volume: body.volume } : {}) },
      outcome: deny ? 'DENY' : 'ALLOW', context: deny ? { volume, max: '1' } : {},
      message: deny ? `RISK.MAX_LOTS_EXCEEDED: volume=${volume}, max=1` : `allowed ${volume} lots`,
      ...(deny ? { code: 'RISK.MAX_LOTS_EXCEEDED' } : { volume, clientOrderId: `m${intentId.replace(/[^A-Za-z0-9]/g, '').slice(-20)}` }),
      decidedAt: now().toISOString(),
    });
  };
  const serve = (subject: string, handle: (body: Record<string, unknown>) => unknown) =>
    serveQuery(nc, { subject: subjectIn(subject, provision), queue: 'risk-guard', handle: async (body: Record<string, unknown>) => handle(body) }, logger);

  const subscriptions: Subscription[] = [
    serve(Subjects.query('risk-guard', 'state'), (body) => ({
      account: body.account, tradingState: trading, killSwitch: { engaged: false, at: null, by: null, reason: null }, snapshot: null,
      equityPeak: null, dayStartBalance: null, positions: [],
    })),
    serve(Subjects.query('risk-guard', 'breakers'), (body) => ({
      account: body.account, breakers: [...breakers].map(([breaker, state]) => ({ breaker, state, figures: { limit: '500.00' } })),
    })),
    serve(Subjects.command('risk-guard', 'submit-intent'), (body) => {
      intents.push(body);
      const previous = decided.get(String(body.intentId));
      if (previous) return { duplicate: true, code: 'RISK.DUPLICATE_SIGNAL', message: 'already decided', decision: previous };
      const decision = decide(body);
      decided.set(String(body.intentId), decision);
      return { duplicate: false, decision };
    }),
    serve(Subjects.command('risk-guard', 'close-position'), (body) => {
      commands.push({ name: 'close-position', body });
      return { duplicate: false, decision: decide({ ...body, symbol: 'EURUSD', side: 'SELL', orderType: 'MARKET' }) };
    }),
    serve(Subjects.command('risk-guard', 'cancel-order'), (body) => {
      commands.push({ name: 'cancel-order', body });
      const allowed = [...decided.values()].some((decision) => decision.clientOrderId === body.clientOrderId);
      if (!allowed) throw new QueryError('OPS.NOT_FOUND', `risk-guard did not allow an order ${String(body.clientOrderId)}`);
      return { account: body.account, clientOrderId: body.clientOrderId, intentId: body.intentId, commandId: `cmd-${String(body.intentId)}` };
    }),
    serve(Subjects.command('risk-guard', 'reset-breaker'), (body) => {
      commands.push({ name: 'reset-breaker', body });
      requireAdmin(body.actor as Actor, 'risk.reset-breaker');
      const breaker = body.breaker as BreakerKind;
      const previousState = breakers.get(breaker) ?? 'CLOSED';
      breakers.set(breaker, 'CLOSED');
      const change = { account: String(body.account), breaker, state: 'CLOSED' as const, previousState, figures: {}, reason: String(body.reason), time: now().toISOString() };
      const envelope = createMessage(BreakerChangedMessage, { id: `breaker-${commands.length}`, tsEvent: change.time, tsInit: change.time, data: change });
      nc.publish(subjectIn(BreakerChangedMessage.subject(change), provision), JSON.stringify(envelope));
      return applied(change.account, [{ type: 'BREAKER_CHANGED', ...change }]);
    }),
    serve(Subjects.command('risk-guard', 'set-state'), (body) => {
      commands.push({ name: 'set-state', body });
      requireAdmin(body.actor as Actor, 'risk.set-state');
      trading = { state: body.state as TradingState, since: now().toISOString(), by: (body.actor as Actor).id, reason: String(body.reason) };
      return applied(String(body.account), []);
    }),
    serve(Subjects.command('risk-guard', 'kill-switch'), (body) => {
      commands.push({ name: 'kill-switch', body });
      if ((body.actor as Actor).role === 'viewer') throw new QueryError('OPS.FORBIDDEN', 'a viewer may not risk.kill-switch');
      trading = { state: 'HALTED', since: now().toISOString(), by: (body.actor as Actor).id, reason: String(body.reason) };
      return applied(String(body.account), []);
    }),
  ];
  return { intents, commands, stop: () => subscriptions.forEach((subscription) => subscription.unsubscribe()) };
}

/** signal-engine STAND-IN: one strategy config, enable/disable/set-params with a version check. */
export function startSignalEngineStandIn(nc: NatsConnection, provision: ProvisionOptions, logger: Logger): { stop(): void } {
  const strategy = {
    id: 'ma-cross-eurusd', kind: 'sma-cross', name: 'SMA cross EURUSD', venue: 'MT5', symbols: ['EURUSD'], timeframe: 'M5', enabled: false, version: 1,
    params: { fast: 10, slow: 30 }, magic: 770001, createdAt: '2024-01-01T00:00:00.000Z', updatedAt: '2024-01-01T00:00:00.000Z', status: { state: 'idle' },
  };
  const control = (op: string) => subjectIn(`${Subjects.command('signal-engine', 'strategies')}.${op}`, provision);
  const change = (body: Record<string, unknown>, apply: () => void) => {
    if (body.id !== strategy.id) throw new QueryError('OPS.NOT_FOUND', `no strategy ${String(body.id)}`);
    if (body.expectedVersion !== undefined && body.expectedVersion !== strategy.version) {
      throw new QueryError('OPS.CONFLICT', `strategy ${strategy.id} is at version ${strategy.version}, not ${String(body.expectedVersion)}`);
    }
    apply();
    strategy.version++;
    return strategy;
  };
  const serve = (subject: string, handle: (body: Record<string, unknown>) => unknown) =>
    serveQuery(nc, { subject, queue: 'signal-engine', handle: async (body: Record<string, unknown>) => handle(body) }, logger);
  const subscriptions = [
    serve(subjectIn(Subjects.query('signal-engine', 'strategies'), provision), () => ({ strategies: [strategy] })),
    serve(control('enable'), (body) => change(body, () => { strategy.enabled = true; })),
    serve(control('disable'), (body) => change(body, () => { strategy.enabled = false; })),
    serve(control('set-params'), (body) => change(body, () => {
      if (typeof (body.params as Record<string, unknown>).fast === 'number' && (body.params as Record<string, number>).fast <= 0) {
        throw new QueryError('OPS.INVALID_REQUEST', 'params.fast: must be a positive integer');
      }
      Object.assign(strategy.params, body.params);
    })),
  ];
  return { stop: () => subscriptions.forEach((subscription) => subscription.unsubscribe()) };
}

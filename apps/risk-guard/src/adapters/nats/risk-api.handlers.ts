import type { NatsConnection, Subscription } from '@nats-io/nats-core';
import { OrderIntentMessage, Subjects, type OrderIntent } from '@mt5/contracts';
import type { Logger } from '@mt5/infra/logging';
import { QueryError, serveQuery, subjectIn, type ProvisionOptions } from '@mt5/infra/nats';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { CancelOrderUseCase } from '../../application/cancel-order/cancel-order.use-case.js';
import type { ClosePositionUseCase } from '../../application/close-position/close-position.use-case.js';
import type { DecideOrderUseCase, DecideResult } from '../../application/decide-order/decide-order.use-case.js';
import { CommandRefusedError, type RiskCommand, type RiskCommandsUseCase } from '../../application/risk-commands/risk-commands.use-case.js';
import type { RiskQueriesUseCase } from '../../application/risk-queries/risk-queries.use-case.js';
import { decisionPayload, orderIntentToIntent } from '../messages/decision.mapper.js';
import {
  accountQuerySchema,
  cancelOrderRequestSchema,
  closePositionRequestSchema,
  decisionsQuerySchema,
  killSwitchSchema,
  recheckSchema,
  resetBreakerSchema,
  setStateSchema,
  submitIntentSchema,
} from './risk-api.schemas.js';

export interface RiskApiDependencies {
  readonly nc: NatsConnection;
  readonly logger: Logger;
  readonly provision?: ProvisionOptions;
  readonly defaultAccount: string;
  readonly decide: DecideOrderUseCase;
  readonly closePosition: ClosePositionUseCase;
  readonly cancelOrder: CancelOrderUseCase;
  readonly commands: RiskCommandsUseCase;
  readonly queries: RiskQueriesUseCase;
}

/** Parses a request body; a malformed one is OPS.INVALID_REQUEST with every problem on one line. */
function parse<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const problems = result.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
  throw new QueryError('OPS.INVALID_REQUEST', problems);
}

/** An `OPS.*` failure (unknown account, position not open, bad cursor) is an answer, not a crash to log. */
function expected(handle: (body: unknown) => Promise<unknown>): (body: unknown) => Promise<unknown> {
  return async (body) => {
    try {
      return await handle(body);
    } catch (error) {
      const code = (error as { code?: unknown })?.code;
      if (!(error instanceof QueryError) && typeof code === 'string' && code.startsWith('OPS.')) throw new QueryError(code, (error as Error).message);
      throw error;
    }
  };
}

/** The reply to a manual intent or a close: the decision; for an id already decided, the original one. */
function decisionReply(result: DecideResult) {
  return result.kind === 'decided'
    ? { duplicate: false, decision: decisionPayload(result.record) }
    : { duplicate: true, code: 'RISK.DUPLICATE_SIGNAL', message: result.message, decision: decisionPayload(result.previous) };
}

async function runCommand(commands: RiskCommandsUseCase, command: RiskCommand) {
  try {
    const applied = await commands.execute(command, `ctl-${randomUUID()}`);
    const iso = (epochMs: number) => new Date(epochMs).toISOString();
    return {
      account: applied.account,
      tradingState: { ...applied.tradingState, since: iso(applied.tradingState.since) },
      events: applied.events.map((event) => ({ ...event, time: iso(event.time) })),
    };
  } catch (error) {
    if (error instanceof CommandRefusedError) throw new QueryError(error.code, error.message);
    throw error;
  }
}

/**
 * risk-guard's request/reply subjects for the ops gateway and execution (queue group
 * `risk-guard`, so instances share them). Replies are `{ ok, data }` or `{ ok: false, error }`.
 */
export function serveRiskApi(deps: RiskApiDependencies): Subscription[] {
  const { nc, logger } = deps;
  const subject = (name: string, kind: 'query' | 'command') => subjectIn(kind === 'query' ? Subjects.query('risk-guard', name) : Subjects.command('risk-guard', name), deps.provision);
  const serve = (name: string, kind: 'query' | 'command', handle: (body: unknown) => Promise<unknown>) =>
    serveQuery(nc, { subject: subject(name, kind), queue: 'risk-guard', handle: expected(handle) }, logger);
  const accountOf = (account: string | undefined) => account ?? deps.defaultAccount;

  const submitIntent = async (body: unknown) => {
    const parsed = parse(submitIntentSchema, body);
    const intent: OrderIntent = 'data' in parsed ? parsed.data : parsed;
    const cause = 'data' in parsed ? parsed : { id: `intent-${intent.intentId}`, correlationId: `intent-${intent.intentId}` };
    return decisionReply(await deps.decide.decide({ account: intent.account, intent: orderIntentToIntent(intent), cause, requestedBy: intent.requestedBy }));
  };

  return [
    serve('state', 'query', async (body) => deps.queries.state(accountOf(parse(accountQuerySchema, body).account))),
    serve('breakers', 'query', async (body) => deps.queries.breakerViews(accountOf(parse(accountQuerySchema, body).account))),
    serve('decisions', 'query', async (body) => {
      const filter = parse(decisionsQuerySchema, body);
      const page = await deps.queries.decisions(filter);
      return { items: page.items.map(decisionPayload), nextCursor: page.nextCursor };
    }),
    serve('recheck', 'query', async (body) => {
      const request = parse(recheckSchema, body);
      const verdict = await deps.decide.recheck(request.command.clientOrderId, request.waitedMs);
      logger.info({ clientOrderId: request.command.clientOrderId, waitedMs: request.waitedMs, ...verdict }, 're-checked a command that waited');
      return verdict;
    }),
    // The contract's subject for manual intents (`risk.ctl.order-intent`) and the name the ops gateway brief uses.
    serveQuery(nc, { subject: subjectIn(OrderIntentMessage.subject({} as OrderIntent), deps.provision), queue: 'risk-guard', handle: expected(submitIntent) }, logger),
    serve('submit-intent', 'command', submitIntent),
    serve('close-position', 'command', async (body) => {
      const request = parse(closePositionRequestSchema, body);
      const cause = { id: `close-${request.intentId}`, correlationId: `close-${request.intentId}` };
      return decisionReply(await deps.closePosition.close({
        intentId: request.intentId, account: accountOf(request.account), positionId: request.positionId,
        volume: request.volume === undefined ? null : Number(request.volume), requestedBy: request.requestedBy, cause,
      }));
    }),
    serve('cancel-order', 'command', async (body) => {
      const request = parse(cancelOrderRequestSchema, body);
      return deps.cancelOrder.cancel({
        intentId: request.intentId, account: accountOf(request.account), clientOrderId: request.clientOrderId, requestedBy: request.requestedBy, reason: request.reason ?? null,
      });
    }),
    serve('set-state', 'command', async (body) => {
      const request = parse(setStateSchema, body);
      return runCommand(deps.commands, { kind: 'SET_TRADING_STATE', account: accountOf(request.account), to: request.state, reason: request.reason, actor: request.actor });
    }),
    serve('reset-breaker', 'command', async (body) => {
      const request = parse(resetBreakerSchema, body);
      return runCommand(deps.commands, {
        kind: 'RESET_BREAKER', account: accountOf(request.account), breaker: request.breaker, reason: request.reason, actor: request.actor,
        ...(request.strategyId !== undefined && { strategyId: request.strategyId }),
      });
    }),
    serve('kill-switch', 'command', async (body) => {
      const request = parse(killSwitchSchema, body);
      return runCommand(deps.commands, { kind: 'KILL_SWITCH', account: accountOf(request.account), reason: request.reason, actor: request.actor });
    }),
  ];
}

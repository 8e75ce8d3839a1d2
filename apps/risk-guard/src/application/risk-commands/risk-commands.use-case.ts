import type { BreakerKind, TradingState } from '@mt5/contracts';
import type { Actor, RiskEvent, RiskInput, TradingStateRecord } from '@mt5/domain/risk';
import { withSpan } from '@mt5/infra/telemetry';
import type { Clock } from '../ports.js';
import type { RiskStore } from '../risk-store.port.js';

/** Roles the ops gateway carries in a command. Viewers may not change anything. */
export const OperatorRoles = ['viewer', 'trader', 'admin'] as const;
export type OperatorRole = (typeof OperatorRoles)[number];

export interface CommandActor {
  readonly id: string;
  readonly role: OperatorRole;
}

export type RiskCommand =
  | { readonly kind: 'SET_TRADING_STATE'; readonly account: string; readonly to: TradingState; readonly reason: string; readonly actor: CommandActor }
  | { readonly kind: 'RESET_BREAKER'; readonly account: string; readonly breaker: BreakerKind; readonly strategyId?: string; readonly reason: string; readonly actor: CommandActor }
  | { readonly kind: 'KILL_SWITCH'; readonly account: string; readonly reason: string; readonly actor: CommandActor };

export interface CommandApplied {
  readonly account: string;
  readonly tradingState: TradingStateRecord;
  /** What changed (empty when the command asked for what already was). */
  readonly events: readonly RiskEvent[];
}

/** A refused command: OPS.FORBIDDEN, OPS.INVALID_REQUEST or OPS.CONFLICT, never retryable as is. */
export class CommandRefusedError extends Error {
  override readonly name = 'CommandRefusedError';
  readonly retryable = false;
  constructor(readonly code: 'OPS.FORBIDDEN' | 'OPS.INVALID_REQUEST' | 'OPS.CONFLICT', message: string) {
    super(message);
  }
}

const actions: Record<RiskCommand['kind'], string> = {
  SET_TRADING_STATE: 'risk.set-state',
  RESET_BREAKER: 'risk.reset-breaker',
  KILL_SWITCH: 'risk.kill-switch',
};

/**
 * The operators' commands on an account's risk state. The role travels in the command (the ops
 * gateway authenticated it): an admin may do anything with a reason; a trader may only make
 * things stricter (halt, reduce, kill switch); a viewer nothing. Every attempt is audited with
 * its outcome, and every change is an event with who and why.
 */
export class RiskCommandsUseCase {
  constructor(private readonly store: RiskStore, private readonly clock: Clock) {}

  execute(command: RiskCommand, causeId: string): Promise<CommandApplied> {
    return withSpan(actions[command.kind], { attributes: { 'mt5.account': command.account, 'mt5.actor': command.actor.id } }, async () => {
      const audit = { actor: command.actor.id, role: command.actor.role, action: actions[command.kind], params: paramsOf(command) };
      if (command.actor.role === 'viewer') {
        await this.store.audit({ ...audit, result: 'denied: OPS.FORBIDDEN' });
        throw new CommandRefusedError('OPS.FORBIDDEN', `a viewer may not ${actions[command.kind]}`);
      }
      const now = this.clock.now();
      const outcome = await this.store.inAccount(command.account, { cause: { id: causeId, correlationId: causeId }, now }, async (unit) => {
        const reduction = unit.apply(inputOf(command, now.getTime()));
        await unit.audit({ ...audit, result: reduction.kind === 'applied' ? 'ok' : `denied: ${reduction.code}` });
        return reduction.kind === 'applied'
          ? { kind: 'applied' as const, events: reduction.events, trading: unit.world.risk.trading }
          : reduction;
      });
      if (outcome.kind === 'refused') throw new CommandRefusedError(outcome.code, outcome.message);
      return { account: command.account, tradingState: outcome.trading, events: outcome.events };
    });
  }
}

function actorOf(actor: CommandActor): Actor {
  return { kind: actor.role === 'admin' ? 'ADMIN' : 'OPERATOR', id: actor.id };
}

function inputOf(command: RiskCommand, time: number): RiskInput {
  const actor = actorOf(command.actor);
  switch (command.kind) {
    case 'SET_TRADING_STATE':
      return { type: 'SET_TRADING_STATE', time, to: command.to, actor, reason: command.reason };
    case 'RESET_BREAKER':
      return { type: 'RESET_BREAKER', time, breaker: command.breaker, actor, reason: command.reason, ...(command.strategyId !== undefined && { strategyId: command.strategyId }) };
    case 'KILL_SWITCH':
      return { type: 'KILL_SWITCH', time, actor, reason: command.reason };
  }
}

function paramsOf(command: RiskCommand): Record<string, unknown> {
  const { actor: _actor, kind: _kind, ...params } = command;
  return params;
}

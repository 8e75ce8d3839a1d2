import type { BreakerConfig } from './breakers/breaker-config.js';
import type { BreakerStep } from './breakers/breaker-step.js';
import { dailyLossOnSnapshot, dailyLossOnTime, dailyLossReset, initialDailyLoss } from './breakers/daily-loss.breaker.js';
import { drawdownOnSnapshot, drawdownReset, initialDrawdown } from './breakers/drawdown.breaker.js';
import { executionOnResult, executionOnTime, executionReset, initialExecutionBreaker } from './breakers/execution.breaker.js';
import { engageKillSwitch, initialKillSwitch, releaseKillSwitch } from './breakers/kill-switch.js';
import { losingStreakOnTime, losingStreakOnTradeClosed, losingStreakReset } from './breakers/losing-streak.breaker.js';
import type { AccountRiskState, RiskEvent, RiskInput, RiskReduction } from './risk-state.types.js';
import { escalateTradingState, requestTradingState, type StateHold } from './trading-state.js';

/** A fresh account: ACTIVE, every breaker closed, no peak and no broker day yet. */
export function initialRiskState(account: string, time: number): AccountRiskState {
  return {
    version: 1,
    account,
    trading: { state: 'ACTIVE', since: time, by: 'init', reason: 'initial state' },
    lastSnapshot: null,
    dailyLoss: initialDailyLoss,
    drawdown: initialDrawdown,
    losingStreaks: {},
    execution: initialExecutionBreaker,
    killSwitch: initialKillSwitch,
  };
}

/** Open account-level breakers and the state each holds the account at (an admin cannot relax below it). */
export function stateHolds(state: AccountRiskState, config: BreakerConfig): StateHold[] {
  const holds: StateHold[] = [];
  if (state.killSwitch.engaged) holds.push({ holder: 'KILL_SWITCH', atLeast: 'HALTED' });
  if (state.drawdown.status === 'OPEN') holds.push({ holder: 'MAX_DRAWDOWN', atLeast: 'HALTED' });
  if (state.dailyLoss.status === 'OPEN') holds.push({ holder: 'DAILY_LOSS', atLeast: config.dailyLoss.action });
  return holds;
}

/** Accumulates breaker steps: their states are written by the caller, events and escalations here. */
class Reduction {
  readonly events: RiskEvent[] = [];
  constructor(public state: AccountRiskState) {}

  take<S>(step: BreakerStep<S>, time: number): S {
    this.events.push(...step.events);
    if (step.escalation) {
      const { to, by, reason } = step.escalation;
      const transition = escalateTradingState(this.state.account, this.state.trading, to, by, reason, time);
      if (transition.kind === 'changed') {
        this.state = { ...this.state, trading: transition.record };
        this.events.push(transition.event);
      }
    }
    return step.state;
  }

  applied(): RiskReduction {
    return { kind: 'applied', state: this.state, events: this.events };
  }
}

function passTime(reduction: Reduction, time: number, config: BreakerConfig): void {
  const { account } = reduction.state;
  const dailyLoss = reduction.take(dailyLossOnTime(reduction.state.dailyLoss, time, reduction.state.lastSnapshot, config.dailyLoss, account), time);
  const losingStreaks = reduction.take(losingStreakOnTime(reduction.state.losingStreaks, time, account), time);
  const execution = reduction.take(executionOnTime(reduction.state.execution, time, account), time);
  reduction.state = { ...reduction.state, dailyLoss, losingStreaks, execution };
}

function refuseCommand(input: Extract<RiskInput, { actor: unknown }>): RiskReduction | null {
  if (input.reason.trim() === '') return { kind: 'refused', code: 'OPS.INVALID_REQUEST', message: 'a reason is required' };
  if (input.type === 'RESET_BREAKER' && input.actor.kind !== 'ADMIN') {
    return { kind: 'refused', code: 'OPS.FORBIDDEN', message: `only an admin may reset the ${input.breaker} breaker` };
  }
  return null;
}

/**
 * Feeds one input to an account's risk state: every input first lets time pass (broker-day
 * rollover, cool-down expiry, half-open), then acts. Returns the new state and the events to
 * publish, or a refusal for a command that is not allowed (the state is then unchanged).
 * Pure: the same state and inputs always give the same result.
 */
export function reduceRiskState(state: AccountRiskState, input: RiskInput, config: BreakerConfig): RiskReduction {
  if ('actor' in input) {
    const refusal = refuseCommand(input);
    if (refusal) return refusal;
  }
  const reduction = new Reduction(state);
  passTime(reduction, input.time, config);
  const { account } = state;
  const current = reduction.state;
  switch (input.type) {
    case 'CLOCK':
      break;
    case 'ACCOUNT_SNAPSHOT': {
      if (current.lastSnapshot !== null && input.time < current.lastSnapshot.time) break;
      const snapshot = { time: input.time, balance: input.balance, equity: input.equity };
      const dailyLoss = reduction.take(dailyLossOnSnapshot(current.dailyLoss, snapshot, config.dailyLoss, account), input.time);
      const drawdown = reduction.take(drawdownOnSnapshot(current.drawdown, snapshot, config.drawdown, account), input.time);
      reduction.state = { ...reduction.state, lastSnapshot: snapshot, dailyLoss, drawdown };
      break;
    }
    case 'TRADE_CLOSED': {
      const step = losingStreakOnTradeClosed(current.losingStreaks, input.strategyId, input.profit, input.time, config.losingStreak, account);
      const losingStreaks = reduction.take(step, input.time);
      reduction.state = { ...reduction.state, losingStreaks };
      break;
    }
    case 'EXECUTION_RESULT': {
      const step = executionOnResult(current.execution, input.ok, input.time, config.execution, account);
      const execution = reduction.take(step, input.time);
      reduction.state = { ...reduction.state, execution };
      break;
    }
    case 'KILL_SWITCH': {
      const killSwitch = reduction.take(engageKillSwitch(current.killSwitch, input.actor, input.reason, input.time, account), input.time);
      reduction.state = { ...reduction.state, killSwitch };
      break;
    }
    case 'SET_TRADING_STATE': {
      const transition = requestTradingState(account, current.trading, input.to, input.actor, input.reason, input.time, stateHolds(current, config));
      if (transition.kind === 'refused') return transition;
      if (transition.kind === 'changed') {
        reduction.state = { ...reduction.state, trading: transition.record };
        reduction.events.push(transition.event);
      }
      break;
    }
    case 'RESET_BREAKER':
      resetBreaker(reduction, input);
      break;
  }
  return reduction.applied();
}

function resetBreaker(reduction: Reduction, input: Extract<RiskInput, { type: 'RESET_BREAKER' }>): void {
  const current = reduction.state;
  const { account } = current;
  const reason = `${input.reason} (by ${input.actor.id})`;
  const at = input.time;
  switch (input.breaker) {
    case 'DAILY_LOSS': {
      const dailyLoss = reduction.take(dailyLossReset(current.dailyLoss, current.lastSnapshot, reason, at, account), at);
      reduction.state = { ...reduction.state, dailyLoss };
      return;
    }
    case 'MAX_DRAWDOWN': {
      const drawdown = reduction.take(drawdownReset(current.drawdown, current.lastSnapshot, reason, at, account), at);
      reduction.state = { ...reduction.state, drawdown };
      return;
    }
    case 'LOSING_STREAK': {
      const losingStreaks = reduction.take(losingStreakReset(current.losingStreaks, input.strategyId, reason, at, account), at);
      reduction.state = { ...reduction.state, losingStreaks };
      return;
    }
    case 'EXECUTION_FAILURES': {
      const execution = reduction.take(executionReset(current.execution, reason, at, account), at);
      reduction.state = { ...reduction.state, execution };
      return;
    }
    case 'KILL_SWITCH': {
      const killSwitch = reduction.take(releaseKillSwitch(current.killSwitch, reason, at, account), at);
      reduction.state = { ...reduction.state, killSwitch };
      return;
    }
  }
}

import type { Actor, KillSwitchState, RiskEvent } from '../risk-state.types.js';
import { breakerChanged, type BreakerStep } from './breaker-step.js';

export const initialKillSwitch: KillSwitchState = { engaged: false, at: null, by: null, reason: null };

/**
 * The kill switch: the account halts and execution is asked to flatten every position. Pressing
 * it again while engaged asks to flatten again (execution's flatten is idempotent), which is what
 * an operator wants when positions survived the first attempt.
 */
export function engageKillSwitch(state: KillSwitchState, actor: Actor, reason: string, time: number, account: string): BreakerStep<KillSwitchState> {
  const flatten: RiskEvent = { type: 'FLATTEN_ALL_REQUESTED', account, by: actor.id, reason, time };
  if (state.engaged) return { state, events: [flatten], escalation: { to: 'HALTED', by: actor.id, reason } };
  return {
    state: { engaged: true, at: time, by: actor.id, reason },
    events: [breakerChanged(account, 'KILL_SWITCH', 'CLOSED', 'OPEN', {}, reason, time), flatten],
    escalation: { to: 'HALTED', by: actor.id, reason },
  };
}

/** An admin releases the kill switch; the account stays HALTED until an admin moves it. */
export function releaseKillSwitch(state: KillSwitchState, reason: string, time: number, account: string): BreakerStep<KillSwitchState> {
  if (!state.engaged) return { state, events: [], escalation: null };
  return { state: initialKillSwitch, events: [breakerChanged(account, 'KILL_SWITCH', 'OPEN', 'CLOSED', {}, reason, time)], escalation: null };
}

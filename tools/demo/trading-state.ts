import { Subjects } from '@mt5/contracts';
import type { PlatformClient } from './platform-client.js';

/** risk-guard's view of an account's trading state (`risk.qry.state`, the parts used here). */
export interface TradingStateView {
  readonly state: 'ACTIVE' | 'REDUCING' | 'HALTED';
  readonly since: string | null;
  readonly by: string;
  readonly reason: string;
  readonly killSwitch: boolean;
  /** Breakers not CLOSED (OPEN or HALF_OPEN). */
  readonly breakersOpen: readonly string[];
}

export async function readTradingState(client: PlatformClient, account: string): Promise<TradingStateView | undefined> {
  try {
    const state = await client.ask<{ tradingState: { state: TradingStateView['state']; since: string | null; by: string; reason: string }; killSwitch: { engaged: boolean } }>(
      Subjects.query('risk-guard', 'state'), { account },
    );
    const breakers = await client.ask<{ breakers: { breaker: string; state: string }[] }>(Subjects.query('risk-guard', 'breakers'), { account });
    return {
      ...state.tradingState, killSwitch: state.killSwitch?.engaged === true,
      breakersOpen: breakers.breakers.filter((b) => b.state !== 'CLOSED').map((b) => `${b.breaker} ${b.state}`),
    };
  } catch (error) {
    // A fresh account has no risk state until its first snapshot: that is ACTIVE.
    if ((error as { code?: string }).code === 'OPS.NOT_FOUND') return undefined;
    throw error;
  }
}

export function describeTradingState(view: TradingStateView | undefined): string {
  if (!view) return 'ACTIVE (no risk state yet)';
  const since = view.since ? ` since ${view.since.slice(0, 16).replace('T', ' ')}` : '';
  const why = view.state === 'ACTIVE' ? '' : ` by ${view.by}: ${view.reason}`;
  const breakers = view.breakersOpen.length > 0 ? `; breakers ${view.breakersOpen.join(', ')}` : '';
  return `${view.state}${since}${why}${breakers}`;
}

/**
 * Sets the account ACTIVE and resets its open breakers through the ops gateway's admin API (so the
 * change is authorised and written to the audit log like any operator's). A kill switch is left
 * alone: that one an operator releases by hand. Returns what was done, one line each.
 */
export async function resumeTrading(options: { gatewayUrl: string; key: string; account: string; view: TradingStateView }): Promise<string[]> {
  const { gatewayUrl, key, account, view } = options;
  if (view.killSwitch) return ['the kill switch is on: release it yourself (see docs/runbook.md), the run command does not'];
  const reason = 'run command --resume-trading: demo replay resumes';
  const call = async (method: string, route: string, body: unknown) => {
    const response = await fetch(`${gatewayUrl}${route}`, {
      method, headers: { 'X-API-Key': key, 'Content-Type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(15_000),
    });
    return `${method} ${route} → ${response.status}${response.ok ? '' : ` ${(await response.text()).slice(0, 200)}`}`;
  };
  const done: string[] = [];
  for (const entry of view.breakersOpen) {
    const breaker = entry.split(' ')[0]!;
    done.push(await call('POST', `/api/v1/risk/breakers/${breaker}/reset`, { account, reason }));
  }
  if (view.state !== 'ACTIVE') done.push(await call('PUT', '/api/v1/risk/state', { account, state: 'ACTIVE', reason }));
  return done;
}

import type { Principal } from '../../security/principal.js';

/**
 * The actor risk-guard expects in a command. risk-guard names the middle role `trader`; the
 * gateway's is `operator` (the same powers: it may make things stricter, never looser).
 */
export function riskActor(principal: Principal): { id: string; role: 'viewer' | 'trader' | 'admin' } {
  return { id: principal.name, role: principal.role === 'operator' ? 'trader' : principal.role };
}

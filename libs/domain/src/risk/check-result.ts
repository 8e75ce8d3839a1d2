import { formatDenial, type ErrorCodeOf, type ErrorContext } from '@mt5/contracts';

/** Every code a risk check may deny with. */
export type RiskDenialCode = ErrorCodeOf<'RISK'>;

/** A check passed. */
export interface Allow {
  readonly kind: 'allow';
}

/**
 * A check refused the order: a stable code, `key=value` facts in a fixed order, and the line
 * `formatDenial(code, context)` renders (`RISK.MAX_LOTS_EXCEEDED: volume=2.5, max=2.0`).
 */
export interface Deny {
  readonly kind: 'deny';
  readonly code: RiskDenialCode;
  readonly context: ErrorContext;
  readonly message: string;
}

export type CheckResult = Allow | Deny;

export const ALLOW: Allow = Object.freeze({ kind: 'allow' });

/** Builds a denial; its message is `formatDenial(code, context)`. */
export function deny(code: RiskDenialCode, context: ErrorContext = {}): Deny {
  return { kind: 'deny', code, context, message: formatDenial(code, context) };
}

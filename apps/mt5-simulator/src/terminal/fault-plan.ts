import { z } from 'zod';
import { mt5TradeActionSchema, type TradeRequestBody } from '@mt5/contracts';

const times = z.int().positive().default(1);
const scope = {
  /** How many matching trade requests the fault applies to. */
  times,
  /** Only trade requests on this symbol. */
  symbol: z.string().min(1).optional(),
  /** Only trade requests with this action (DEAL, PENDING, …). */
  action: mt5TradeActionSchema.optional(),
};

/**
 * One injectable fault. Outcome faults decide what happens to a trade request; transaction
 * faults change how its transactions reach the gateway. One of each kind can hit the same request.
 *
 * - `requote` (10004), `price_changed` (10020), `price_off` (10021): refused with that retcode,
 *   nothing executed; the gateway may retry with a fresh price.
 * - `timeout`: the broker executes (unless `executed: false`), then the terminal either answers
 *   10012 (`mode: reply`) or never answers (`mode: no_reply`). An unknown outcome either way.
 * - `disconnect_before`: the connection drops before the request reaches the broker; nothing
 *   executed. The terminal redials.
 * - `disconnect_after`: the broker executes, the connection drops before the result and the
 *   request's transactions are lost (their `seq` numbers are used, so the gateway sees the gap).
 * - `crash_after_accept`: the broker executes, the terminal dies at once (no result, no
 *   transactions) and comes back after `restartAfterMs` as a new EA instance (new `eaInstanceId`,
 *   `seq` from 1). The broker's books survive, as a real trade server's do.
 * - `duplicate_transactions`: every transaction of the request is sent `copies` times with the
 *   same `seq`, so a consumer can drop the copies.
 * - `delay_transactions`: the request's transactions are sent `delayMs` after the result.
 */
export const faultRuleSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.enum(['requote', 'price_changed', 'price_off']), ...scope }),
  z.strictObject({ kind: z.literal('timeout'), mode: z.enum(['reply', 'no_reply']).default('reply'), executed: z.boolean().default(true), ...scope }),
  z.strictObject({ kind: z.literal('disconnect_before'), ...scope }),
  z.strictObject({ kind: z.literal('disconnect_after'), ...scope }),
  z.strictObject({ kind: z.literal('crash_after_accept'), restartAfterMs: z.int().nonnegative().default(1000), ...scope }),
  z.strictObject({ kind: z.literal('duplicate_transactions'), copies: z.int().min(2).max(10).default(2), ...scope }),
  z.strictObject({ kind: z.literal('delay_transactions'), delayMs: z.int().positive().max(60_000), ...scope }),
]);
export type FaultRule = z.output<typeof faultRuleSchema>;
export type FaultRuleInput = z.input<typeof faultRuleSchema>;
export const faultRulesSchema = z.array(faultRuleSchema).max(100);

export type OutcomeFault = Extract<FaultRule, { kind: 'requote' | 'price_changed' | 'price_off' | 'timeout' | 'disconnect_before' | 'disconnect_after' | 'crash_after_accept' }>;
export type TransactionFault = Extract<FaultRule, { kind: 'duplicate_transactions' | 'delay_transactions' }>;

const TRANSACTION_KINDS: readonly FaultRule['kind'][] = ['duplicate_transactions', 'delay_transactions'];

/** The faults a trade request drew. */
export interface DrawnFaults {
  readonly outcome?: OutcomeFault;
  readonly transactions?: TransactionFault;
}

/**
 * The queue of faults still to inject, in order. Each trade request draws at most one outcome
 * fault and one transaction fault: the first rule of each kind whose scope matches, which then
 * counts down its `times` and leaves the queue at zero.
 */
export class FaultPlan {
  private rules: { rule: FaultRule; left: number }[] = [];

  constructor(rules: readonly FaultRuleInput[] = []) {
    this.replace(rules);
  }

  /** Replaces the queue (validated; throws a ZodError on a bad rule). */
  replace(rules: readonly FaultRuleInput[]): void {
    this.rules = faultRulesSchema.parse(rules).map((rule) => ({ rule, left: rule.times }));
  }

  append(rules: readonly FaultRuleInput[]): void {
    this.rules.push(...faultRulesSchema.parse(rules).map((rule) => ({ rule, left: rule.times })));
  }

  /** What is still queued, with the remaining count in `times`. */
  pending(): FaultRule[] {
    return this.rules.map(({ rule, left }) => ({ ...rule, times: left }));
  }

  draw(request: TradeRequestBody): DrawnFaults {
    const outcome = this.take(request, (rule) => !TRANSACTION_KINDS.includes(rule.kind)) as OutcomeFault | undefined;
    const transactions = this.take(request, (rule) => TRANSACTION_KINDS.includes(rule.kind)) as TransactionFault | undefined;
    return { ...(outcome ? { outcome } : {}), ...(transactions ? { transactions } : {}) };
  }

  private take(request: TradeRequestBody, kind: (rule: FaultRule) => boolean): FaultRule | undefined {
    const index = this.rules.findIndex(({ rule }) =>
      kind(rule) && (rule.symbol === undefined || rule.symbol === request.symbol) && (rule.action === undefined || rule.action === request.action));
    if (index < 0) return undefined;
    const entry = this.rules[index]!;
    entry.left -= 1;
    if (entry.left <= 0) this.rules.splice(index, 1);
    return entry.rule;
  }
}

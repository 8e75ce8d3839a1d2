import type { NatsConnection } from '@nats-io/nats-core';
import { Subjects, type SubmitOrder } from '@mt5/contracts';
import { requestQuery, subjectIn, type ProvisionOptions } from '@mt5/infra/nats';
import { z } from 'zod';
import type { RiskRecheck } from '../../application/ports.js';

/**
 * Request on `risk.qry.recheck`. Not in libs/contracts yet (risk-guard answers it): the request is
 * the command plus how long it waited; the answer `{ approved, code?, reason? }`.
 */
export const riskRecheckReplySchema = z.object({
  approved: z.boolean(),
  code: z.string().optional(),
  reason: z.string().optional(),
});
export type RiskRecheckReply = z.infer<typeof riskRecheckReplySchema>;

/** Asks risk-guard again about a command that waited for the bridge. No answer is a "no". */
export class NatsRiskRecheck implements RiskRecheck {
  constructor(private readonly nc: NatsConnection, private readonly options: { readonly timeoutMs: number; readonly provision?: ProvisionOptions }) {}

  async recheck(command: SubmitOrder, waitedMs: number): Promise<{ approved: boolean; reason: string }> {
    const subject = subjectIn(Subjects.query('risk-guard', 'recheck'), this.options.provision);
    try {
      const reply = await requestQuery<unknown>(this.nc, subject, { command, waitedMs, reason: 'waited for the bridge' }, this.options.timeoutMs);
      if (!reply.ok) return { approved: false, reason: `${reply.error.code}: ${reply.error.message}` };
      const parsed = riskRecheckReplySchema.safeParse(reply.data);
      if (!parsed.success) return { approved: false, reason: 'risk-guard answered the re-check with an unreadable reply' };
      return parsed.data.approved
        ? { approved: true, reason: parsed.data.reason ?? 'approved' }
        : { approved: false, reason: [parsed.data.code, parsed.data.reason].filter(Boolean).join(': ') || 'denied' };
    } catch (error) {
      return { approved: false, reason: `risk re-check unanswered (${(error as Error).message}): not approved` };
    }
  }
}

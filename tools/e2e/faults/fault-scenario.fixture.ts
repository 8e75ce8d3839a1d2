import os from 'node:os';
import type { FaultRun, FaultTrigger } from './fault-replay.fixture.js';
import { replayWithFault } from './fault-replay.fixture.js';
import { servicesOutput, SHARED_FILE, startTradingStack, type PrivateServers, type TradingStack } from './fault-stack.fixture.js';
import { checkInvariants, type InvariantReport } from './invariants.fixture.js';

export interface FaultOutcome {
  readonly run: FaultRun;
  readonly report: InvariantReport;
  /** What the scenario's `observe` returned, read before the stack stopped. */
  readonly observed: Record<string, unknown>;
}

/** Decisions by outcome and code, and each order that did not fill with its status and why, for the log line. */
async function outcomesOf(stack: TradingStack): Promise<{ decisions: Record<string, number>; notFilled: string[] }> {
  const decisions = await stack.db.query<{ what: string; n: string }>(`SELECT outcome || coalesce(' ' || code, '') AS what, count(*) AS n FROM risk_decisions GROUP BY 1 ORDER BY 1`);
  const orders = await stack.db.query<{ client_order_id: string; status: string; last_retcode: number | null; reason: string | null }>(
    `SELECT o.client_order_id, o.status, o.last_retcode, coalesce(o.last_error, (SELECT e.reason FROM order_events e WHERE e.client_order_id = o.client_order_id ORDER BY e.seq DESC LIMIT 1)) AS reason
       FROM orders o WHERE o.status <> 'FILLED' ORDER BY o.created_at`);
  return {
    decisions: Object.fromEntries(decisions.rows.map((row) => [row.what, Number(row.n)])),
    notFilled: orders.rows.map((row) => `${row.client_order_id} ${row.status}${row.last_retcode ? ` ${row.last_retcode}` : ''}: ${row.reason ?? ''}`),
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One fault test: a fresh stack on the private servers, the window replayed in lockstep with the
 * fault fired by `trigger`, a drain, then every invariant checked. Prints one line with the
 * figures and the load average; on a failure, the services' last output is attached.
 */
export async function runFaultScenario(servers: PrivateServers, name: string, trigger: FaultTrigger, fault: (stack: TradingStack) => Promise<void>,
  observe?: (stack: TradingStack, run: FaultRun) => Promise<Record<string, unknown>>): Promise<FaultOutcome> {
  const started = performance.now();
  const stack = await startTradingStack(servers, name);
  try {
    const run = await replayWithFault(stack, trigger, () => fault(stack));
    const checked = await checkInvariants(stack, { sharedFile: SHARED_FILE, forecast: run.forecast });
    // A service that died of the fault (rather than being killed by the test) is a finding too.
    const exited = [...stack.services.values()].filter((service) => service.pid === undefined).map((service) => `service ${service.name}: not running after the fault`);
    const report = { ...checked, violations: [...checked.violations, ...exited] };
    const outcomes = await outcomesOf(stack);
    const observed = observe ? await observe(stack, run) : {};
    const load = os.loadavg().map((n) => n.toFixed(1)).join(' ');
    process.stdout.write(`fault ${name}: ${JSON.stringify(report.counts)}, unknown ${report.unknownOrders.length}, segments ${run.segments} (retried ${run.segmentRetries}), `
      + `fault ${run.faultStartedAt && run.faultEndedAt ? run.faultEndedAt - run.faultStartedAt : '?'} ms, replay ${(run.durationMs / 1000).toFixed(1)} s, `
      + `test ${((performance.now() - started) / 1000).toFixed(1)} s, load ${load}\n  decisions ${JSON.stringify(outcomes.decisions)}; orders not filled: ${outcomes.notFilled.join('; ') || 'none'}\n`);
    if (report.violations.length > 0 || run.undrained.length > 0) {
      process.stdout.write(`fault ${name}: ${report.violations.length} violations, undrained ${run.undrained.join(', ') || 'none'}\n${servicesOutput(stack)}\n`);
    }
    return { run, report, observed };
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${servicesOutput(stack)}`, { cause: error });
  } finally {
    await stack.stop();
  }
}

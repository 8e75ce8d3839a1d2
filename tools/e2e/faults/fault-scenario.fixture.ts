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
    const observed = observe ? await observe(stack, run) : {};
    const load = os.loadavg().map((n) => n.toFixed(1)).join(' ');
    process.stdout.write(`fault ${name}: ${JSON.stringify(report.counts)}, unknown ${report.unknownOrders.length}, segments ${run.segments} (retried ${run.segmentRetries}), `
      + `fault ${run.faultStartedAt && run.faultEndedAt ? run.faultEndedAt - run.faultStartedAt : '?'} ms, replay ${(run.durationMs / 1000).toFixed(1)} s, `
      + `test ${((performance.now() - started) / 1000).toFixed(1)} s, load ${load}\n`);
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

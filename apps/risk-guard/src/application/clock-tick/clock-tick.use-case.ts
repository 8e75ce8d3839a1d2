import type { Logger } from '@mt5/infra/logging';
import type { Clock } from '../ports.js';
import type { RiskStore } from '../risk-store.port.js';

/**
 * Lets time pass for every account the service knows: a new broker day closes the daily-loss
 * breaker, a strategy's cool-down ends, an execution breaker goes half-open, each with its event,
 * even when no order or execution event arrives. Decisions also let time pass first, so this
 * only makes the state (and its events) timely, never changes a verdict.
 */
export class ClockTickUseCase {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;

  constructor(private readonly store: RiskStore, private readonly clock: Clock, private readonly logger: Logger) {}

  async tick(): Promise<void> {
    const now = this.clock.now();
    for (const account of await this.store.accounts()) {
      const id = `clock-${account}-${now.getTime()}`;
      await this.store.inAccount(account, { cause: { id, correlationId: id }, now }, async (unit) => {
        unit.apply({ type: 'CLOCK', time: now.getTime() });
      });
    }
  }

  start(intervalMs: number): void {
    this.timer = setInterval(() => {
      this.running ??= this.tick()
        .catch((error) => this.logger.warn({ err: error }, 'clock tick failed; the next one retries'))
        .finally(() => {
          this.running = null;
        });
    }, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}

import { AsyncResource } from 'node:async_hooks';

/**
 * Runs one account's units one at a time, urgent ones ahead of the others that are still waiting
 * (a unit already running is never interrupted). After an urgent unit, the next one starts a turn
 * of the event loop later when it is not urgent: the consumer that queued the urgent unit hands
 * over its next buffered message within that turn, so a stream of urgent units is not
 * interleaved one for one with the others. Each unit runs in the async context of its caller
 * (its trace), not in that of the unit before it.
 */
export class UnitQueue {
  private running = false;
  private readonly waiting: { readonly urgent: boolean; readonly start: () => void }[] = [];

  run<T>(urgent: boolean, task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const scope = new AsyncResource('risk-guard.unit');
      const start = () => scope.runInAsyncScope(() => {
        task().then(resolve, reject).finally(() => {
          scope.emitDestroy();
          this.next(urgent);
        });
      });
      if (!this.running) {
        this.running = true;
        start();
        return;
      }
      const at = urgent ? this.waiting.findIndex((item) => !item.urgent) : -1;
      this.waiting.splice(at === -1 ? this.waiting.length : at, 0, { urgent, start });
    });
  }

  /** Nothing running and nothing waiting. */
  get idle(): boolean {
    return !this.running;
  }

  private next(afterUrgent: boolean): void {
    if (afterUrgent && this.waiting[0]?.urgent === false) {
      setImmediate(() => this.next(false));
      return;
    }
    const item = this.waiting.shift();
    if (item) item.start();
    else this.running = false;
  }
}

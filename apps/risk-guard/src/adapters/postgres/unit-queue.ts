import { AsyncResource } from 'node:async_hooks';

/**
 * Runs one account's units one at a time, urgent ones ahead of the others that are still waiting
 * (a unit already running is never interrupted). Each unit runs in the async context of its
 * caller (its trace), not in that of the unit before it.
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
          this.next();
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

  private next(): void {
    const item = this.waiting.shift();
    if (item) item.start();
    else this.running = false;
  }
}

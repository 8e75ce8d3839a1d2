/**
 * Runs tasks one at a time, in call order: the per-account serialization of everything that
 * changes orders (command handling, settlement, reconciliation, fills from transactions).
 * Not re-entrant: a task must not wait on another task of the same lock.
 */
export class AsyncLock {
  private tail: Promise<unknown> = Promise.resolve();
  private depth = 0;

  run<T>(task: () => Promise<T>): Promise<T> {
    this.depth++;
    const result = this.tail.then(task, task);
    this.tail = result.then(() => { this.depth--; }, () => { this.depth--; });
    return result;
  }

  /** Tasks running or queued. */
  get pending(): number {
    return this.depth;
  }
}

/** A member waiting in a {@link UnitQueue}, as the queue's runner receives it. */
export interface Queued<M> {
  readonly urgent: boolean;
  readonly member: M;
}

/**
 * One account's units in order, handed to the runner in groups: one group runs at a time; the
 * units that arrived while it ran make up the next group (urgent ones ahead of the others, each
 * kind in arrival order, at most `maxGroup`). The runner commits a group in one transaction, so
 * under load N units cost one lock and one commit, not N; on a quiet account a group is the one
 * unit that came (started after a turn of the event loop, which lets the messages a consumer
 * received together arrive together).
 */
export class UnitQueue<M> {
  private running = false;
  private readonly waiting: Queued<M>[] = [];

  constructor(private readonly runGroup: (group: readonly Queued<M>[]) => Promise<void>, private readonly maxGroup = 64) {}

  add(urgent: boolean, member: M): void {
    const at = urgent ? this.waiting.findIndex((item) => !item.urgent) : -1;
    this.waiting.splice(at === -1 ? this.waiting.length : at, 0, { urgent, member });
    if (this.running) return;
    this.running = true;
    setImmediate(() => this.next());
  }

  /** Nothing running and nothing waiting. */
  get idle(): boolean {
    return !this.running;
  }

  private next(): void {
    const group = this.waiting.splice(0, this.maxGroup);
    if (group.length === 0) {
      this.running = false;
      return;
    }
    // The runner settles each member itself; a runner that throws is a bug, and must not stop the account.
    this.runGroup(group).catch(() => undefined).finally(() => this.next());
  }
}

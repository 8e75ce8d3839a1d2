import type { AccountSnapshot } from '@mt5/contracts';
import type pg from 'pg';
import type { Logger } from 'pino';
import { insertAccountSnapshot, latestSnapshots, type StoredSnapshot } from '../../adapters/db/snapshots.repository.js';
import { inAccountTransaction } from '../../adapters/db/transaction.js';
import { refreshEquityDays } from '../record-history/history-recorder.js';
import type { Clock } from '../../reporting.tokens.js';

interface Known {
  state: StoredSnapshot;
  /** Time of the newest snapshot row of the account (event or heartbeat). */
  lastWritten: number;
}

/**
 * Writes an account snapshot at least every `intervalSeconds`: when no snapshot event came for
 * that long, the last known state is written again at the current time, so equity curves and
 * daily rows have a point at least once a minute even while nothing changes. The last known
 * state survives restarts (it is read back from the newest stored snapshot).
 *
 * The last known state is only the current state once every event published so far was
 * handled, so nothing is written while the event consumer has a backlog (`isCaughtUp`): after a
 * restart or during a replay, a heartbeat would otherwise stamp an old state with the current
 * time. After a replay of old events, heartbeat rows carry the current time, after the history.
 */
export class AccountHeartbeat {
  private readonly known = new Map<string, Known>();
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly pool: pg.Pool,
    private readonly clock: Clock,
    private readonly intervalSeconds: number,
    private readonly logger: Logger,
    /** True when the execution-event consumer has nothing pending; a failure counts as false. */
    private readonly isCaughtUp: () => Promise<boolean> = async () => true,
  ) {}

  /** Loads the newest snapshot of every account, then checks every few seconds. */
  async start(): Promise<void> {
    for (const snapshot of await latestSnapshots(this.pool)) this.remember(snapshot);
    const checkEveryMs = Math.min(5_000, (this.intervalSeconds * 1000) / 4);
    this.timer = setInterval(() => {
      if (!this.running) this.running = this.tick().then(() => undefined).finally(() => (this.running = undefined));
    }, checkEveryMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** A snapshot was stored (from an event): it is the last known state if it is the newest. */
  remember(snapshot: StoredSnapshot | AccountSnapshot): void {
    const time = Date.parse(snapshot.time);
    const known = this.known.get(snapshot.account);
    if (!known) {
      this.known.set(snapshot.account, { state: snapshot, lastWritten: time });
      return;
    }
    if (time >= Date.parse(known.state.time)) known.state = snapshot;
    known.lastWritten = Math.max(known.lastWritten, time);
  }

  /** Writes a heartbeat snapshot for every account that has gone `intervalSeconds` without one. */
  async tick(): Promise<number> {
    const now = this.clock.now();
    const due = [...this.known.entries()].filter(([, known]) => now - known.lastWritten >= this.intervalSeconds * 1000);
    if (due.length === 0 || !(await this.isCaughtUp().catch(() => false))) return 0;
    let written = 0;
    for (const [account, known] of due.sort(([a], [b]) => (a < b ? -1 : 1))) {
      const snapshot = { ...known.state, time: new Date(now).toISOString() };
      try {
        await inAccountTransaction(this.pool, account, async (db) => {
          if (await insertAccountSnapshot(db, snapshot)) await refreshEquityDays(db, account, now);
        });
        known.lastWritten = now;
        written++;
      } catch (error) {
        this.logger.warn({ err: error, account }, 'heartbeat snapshot not written; will retry');
      }
    }
    return written;
  }
}

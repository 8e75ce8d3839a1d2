/** Where the progress line goes: a terminal gets one line redrawn in place, a log one line per tenth. */
export interface ProgressSink {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): unknown;
}

const WIDTH = 28;

export const formatCount = (n: number) => Math.round(n).toLocaleString('en-US');

/** `▕██████░░░░▏ 62%`: a bar of `width` cells for `done` of `total`. */
export function renderBar(done: number, total: number, width = WIDTH): string {
  const fraction = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
  const cells = Math.round(fraction * width);
  return `▕${'█'.repeat(cells)}${'░'.repeat(width - cells)}▏ ${String(Math.floor(fraction * 100)).padStart(3)}%`;
}

/**
 * A progress line for the replay: `label ▕███░░▏ 45% detail`. Redrawn at most every 100 ms on a
 * terminal; elsewhere (a log file, CI) printed once per 10 % so the output stays readable.
 */
export class ProgressBar {
  private lastDraw = 0;
  private lastTenth = -1;
  private drawn = false;

  constructor(private readonly sink: ProgressSink, private readonly label: string, private readonly now: () => number = () => performance.now()) {}

  /** `force` redraws a terminal line at once (not only every 100 ms); a log still gets only a line per tenth. */
  update(done: number, total: number, detail: string, force = false): void {
    this.render(done, total, detail, force, false);
  }

  private render(done: number, total: number, detail: string, force: boolean, last: boolean): void {
    const line = `${this.label} ${renderBar(done, total)} ${detail}`;
    if (this.sink.isTTY) {
      const now = this.now();
      if (!force && now - this.lastDraw < 100) return;
      this.lastDraw = now;
      const width = Math.max(40, (this.sink.columns ?? 120) - 1);
      this.sink.write(`\r\x1b[2K${line.length > width ? line.slice(0, width) : line}`);
      this.drawn = true;
      return;
    }
    const tenth = total > 0 ? Math.floor((done / total) * 10) : 0;
    if (tenth === this.lastTenth && !last) return;
    this.lastTenth = tenth;
    this.sink.write(`${line}\n`);
  }

  /** Ends the line (a terminal keeps the last state visible). */
  finish(done: number, total: number, detail: string): void {
    this.render(done, total, detail, true, true);
    if (this.sink.isTTY && this.drawn) this.sink.write('\n');
    this.drawn = false;
  }
}

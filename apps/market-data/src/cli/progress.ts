/** Where progress goes: stderr, so stdout stays the command's result (pipeable, `--json`). */
export interface ProgressStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): unknown;
}

const BAR_WIDTH = 28;

/**
 * A progress line for long commands. On a terminal it redraws one line (at most 10 times a second);
 * elsewhere (a log, CI, the run command's output) it prints a plain line every 10 % so nothing is
 * flooded with carriage returns.
 */
export class ProgressReporter {
  private lastDraw = 0;
  private lastDecile = -1;
  private drawn = false;
  private readonly started = performance.now();

  constructor(private readonly stream: ProgressStream, private readonly label: string, private readonly enabled = true) {}

  /** `done` of `total` (same unit), with a short detail such as "12,000 bars". */
  update(done: number, total: number, detail = ''): void {
    if (!this.enabled) return;
    const fraction = total > 0 ? Math.min(1, done / total) : 0;
    if (this.stream.isTTY) {
      const now = performance.now();
      if (now - this.lastDraw < 100 && fraction < 1) return;
      this.lastDraw = now;
      const filled = Math.round(fraction * BAR_WIDTH);
      const line = `${this.label} [${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ${detail}`;
      const width = Math.max(20, (this.stream.columns || 100) - 1);
      this.stream.write(`\r${line.slice(0, width).padEnd(Math.min(width, line.length + 2))}`);
      this.drawn = true;
      return;
    }
    const decile = Math.floor(fraction * 10);
    if (decile === this.lastDecile) return;
    this.lastDecile = decile;
    this.stream.write(`${this.label}: ${(fraction * 100).toFixed(0)}% ${detail}\n`);
  }

  /** Ends the progress line; later output starts on a fresh line. */
  finish(): void {
    if (this.drawn) this.stream.write('\n');
    this.drawn = false;
  }

  elapsedSeconds(): number {
    return (performance.now() - this.started) / 1000;
  }
}

/** `149993` → `149,993` (fixed locale: output must not depend on the machine). */
export function formatCount(value: number): string {
  return Math.round(value).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

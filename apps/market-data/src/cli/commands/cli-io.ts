import type { ProgressStream } from '../progress.js';

/** Where a command writes: results to `out` (stdout), messages and progress to stderr. */
export interface CliIo {
  out(text: string): void;
  error(text: string): void;
  readonly progress: ProgressStream;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  error: (text) => process.stderr.write(`${text}\n`),
  progress: process.stderr,
};

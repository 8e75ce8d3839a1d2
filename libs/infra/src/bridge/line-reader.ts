/** What one chunk of socket bytes produced, in order. */
export type LineEvent =
  | { readonly kind: 'line'; readonly text: string }
  /** A line longer than the limit: its bytes were dropped up to (and including) the next newline. */
  | { readonly kind: 'too-large'; readonly bytes: number }
  /** A complete line that is not valid UTF-8. */
  | { readonly kind: 'invalid-utf8' };

const NEWLINE = 0x0a;

/**
 * Splits a byte stream into newline-terminated lines with a hard memory bound.
 *
 * Works on bytes, not strings, so the limit is exact UTF-8 bytes and a multi-byte character split
 * across two TCP chunks is decoded whole. A line that grows past `maxLineBytes` is reported once
 * as `too-large` the moment it crosses the limit; the reader then discards bytes until the next
 * newline and starts clean, so it never holds more than `maxLineBytes` plus one chunk. Empty lines
 * (and a lone `\r`) are skipped: they carry nothing and some peers send them as keep-alives.
 */
export class LineReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private discarding = false;
  private discardedBytes = 0;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });

  constructor(private readonly maxLineBytes: number) {
    if (!(maxLineBytes > 0)) throw new Error(`LineReader: invalid maxLineBytes ${maxLineBytes}`);
  }

  /** Bytes currently held for an incomplete line. */
  get bufferedBytes(): number {
    return this.buffered;
  }

  push(chunk: Buffer): LineEvent[] {
    const events: LineEvent[] = [];
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(NEWLINE, start);
      const end = newline === -1 ? chunk.length : newline;
      if (this.discarding) {
        this.discardedBytes += end - start;
      } else {
        this.append(chunk.subarray(start, end), events);
      }
      if (newline === -1) break;
      if (this.discarding) {
        this.discarding = false;
        this.discardedBytes = 0;
      } else {
        this.completeLine(events);
      }
      start = newline + 1;
    }
    return events;
  }

  private append(part: Buffer, events: LineEvent[]): void {
    if (part.length === 0) return;
    if (this.buffered + part.length > this.maxLineBytes) {
      events.push({ kind: 'too-large', bytes: this.buffered + part.length });
      this.discardedBytes = this.buffered + part.length;
      this.chunks = [];
      this.buffered = 0;
      this.discarding = true;
      return;
    }
    // Copy: the socket may reuse the chunk's memory after the callback returns.
    this.chunks.push(Buffer.from(part));
    this.buffered += part.length;
  }

  private completeLine(events: LineEvent[]): void {
    const bytes = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.buffered);
    this.chunks = [];
    this.buffered = 0;
    const withoutCr = bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.subarray(0, -1) : bytes;
    if (withoutCr.length === 0) return;
    try {
      events.push({ kind: 'line', text: this.decoder.decode(withoutCr) });
    } catch {
      events.push({ kind: 'invalid-utf8' });
    }
  }
}

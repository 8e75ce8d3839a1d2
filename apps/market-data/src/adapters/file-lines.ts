import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/**
 * Reads a text file as lines (without `\n`; a `\r` before it is left for the importer, which
 * takes CRLF and LF alike), hashing the bytes on the way. A final line without a line end is a
 * line; a final line end does not start an empty one. Chunks of 256 KiB: small enough that the
 * first COPY bytes leave while the rest of the file is still being parsed.
 */
export class FileLines {
  private readonly hash = createHash('sha256');
  bytesRead = 0;

  constructor(private readonly file: string) {}

  /** sha256 of the bytes read so far (the whole file once iteration has ended). */
  sha256(): string {
    return this.hash.copy().digest('hex');
  }

  /** Yields chunks of whole lines: iterate the array synchronously (no await per line). */
  async *chunks(): AsyncGenerator<readonly string[]> {
    const stream = createReadStream(this.file, { highWaterMark: 1 << 18 });
    const decoder = new TextDecoder('utf-8');
    let carry = '';
    for await (const bytes of stream as AsyncIterable<Buffer>) {
      this.hash.update(bytes);
      this.bytesRead += bytes.length;
      const text = carry + decoder.decode(bytes, { stream: true });
      const lines = text.split('\n');
      carry = lines.pop()!;
      yield lines;
    }
    carry += decoder.decode();
    if (carry.length > 0) yield [carry];
  }
}

import { randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
/** Postgres truncates identifiers at 63 bytes; the prefix leaves room for `_` and the suffix. */
const MAX_PREFIX = 48;

/**
 * `<prefix>_<8 random chars>`, lower case, only `[a-z0-9_]`, starting with a letter: valid as a
 * JetStream stream or consumer name, a subject token, an unquoted Postgres schema or table name
 * and a Redis key prefix, so each test can own its streams, schema and keys. Other characters in
 * the prefix become `_`. 36^8 suffixes make a collision between concurrent runs negligible.
 */
export function uniqueName(prefix = 't'): string {
  let safe = prefix.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, MAX_PREFIX);
  if (!/^[a-z]/.test(safe)) safe = `t${safe}`;
  const bytes = randomBytes(8);
  let suffix = '';
  for (const byte of bytes) suffix += ALPHABET[byte % ALPHABET.length];
  return `${safe}_${suffix}`;
}

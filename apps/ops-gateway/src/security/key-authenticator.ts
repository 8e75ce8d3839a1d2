import type { Logger } from 'pino';
import { hashApiKey, isRole, looksLikeApiKey } from './api-key.js';
import type { KeyIdentity } from './api-keys.repository.js';
import type { Principal } from './principal.js';

/** The part of the keys repository the authenticator needs. */
export interface KeyLookup {
  findActive(hash: string): Promise<KeyIdentity | null>;
  touch(id: string, at: Date): Promise<void>;
}

interface CacheEntry {
  readonly principal: Principal | null;
  readonly until: number;
}

const MAX_ENTRIES = 10_000;
const TOUCH_EVERY_MS = 60_000;

/**
 * Resolves an `X-API-Key` to a principal. Answers (found or not) are kept for `ttlMs`, so the hot
 * path is a hash and a map lookup; concurrent misses for one key share a single Postgres query.
 * A revocation therefore takes effect within `ttlMs` (OPS_KEY_CACHE_SECONDS). `last_used_at` is
 * written at most once a minute per key, off the request path.
 */
export class KeyAuthenticator {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly inflight = new Map<string, Promise<Principal | null>>();
  private readonly touched = new Map<string, number>();

  constructor(private readonly keys: KeyLookup, private readonly ttlMs: number, private readonly logger: Logger, private readonly now: () => number = Date.now) {}

  async authenticate(presented: string | undefined): Promise<Principal | null> {
    if (!looksLikeApiKey(presented)) return null;
    const hash = hashApiKey(presented);
    const now = this.now();
    const cached = this.cache.get(hash);
    const principal = cached && cached.until > now ? cached.principal : await this.load(hash, now);
    if (principal) this.touch(principal, now);
    return principal;
  }

  private load(hash: string, now: number): Promise<Principal | null> {
    const pending = this.inflight.get(hash);
    if (pending) return pending;
    const lookup = this.keys.findActive(hash).then((identity) => {
      let principal: Principal | null = null;
      if (identity && isRole(identity.role)) principal = { keyId: identity.id, name: identity.name, role: identity.role };
      else if (identity) this.logger.warn({ key: identity.name, role: identity.role }, 'API key has an unknown role; refused');
      if (this.cache.size >= MAX_ENTRIES) this.cache.clear();
      this.cache.set(hash, { principal, until: now + this.ttlMs });
      return principal;
    }).finally(() => this.inflight.delete(hash));
    this.inflight.set(hash, lookup);
    return lookup;
  }

  private touch(principal: Principal, now: number): void {
    const last = this.touched.get(principal.keyId);
    if (last !== undefined && now - last < TOUCH_EVERY_MS) return;
    this.touched.set(principal.keyId, now);
    this.keys.touch(principal.keyId, new Date(now)).catch((error: Error) => this.logger.warn({ err: error, key: principal.name }, 'could not record key use'));
  }

  /** Forgets every cached answer (tests, and after a key change made by this process). */
  clear(): void {
    this.cache.clear();
  }
}

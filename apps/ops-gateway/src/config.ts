import { appConfigSchema, helpers, loadConfig } from '@mt5/infra/config';
import { z } from 'zod';

const token = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and - only');
const positiveInt = z.coerce.number().int().positive();
const originList = z.string().regex(/^(https?:\/\/[^\s,]+)(,https?:\/\/[^\s,]+)*$/, 'a comma-separated list of http(s) origins').optional();

/**
 * ops-gateway configuration: the base variables plus its own. Defaults pass validation. The HTTP
 * server binds to HTTP_HOST, loopback by default; CORS is off unless OPS_CORS_ORIGINS lists origins.
 */
export const configSchema = appConfigSchema({
  /** Account that orders, closes and risk calls use when a request names none. */
  OPS_ACCOUNT: token.default('paper-1'),
  /** Venue of the instrument catalogue that symbols and volume steps are checked against. */
  OPS_CATALOGUE_VENUE: token.default('mt5-demo'),
  /** Origins allowed by CORS (comma-separated). Unset: no CORS headers at all. */
  OPS_CORS_ORIGINS: originList,
  /** Swagger UI at /docs and the document at /docs-json. */
  OPS_DOCS_ENABLED: helpers.boolish.default(true),
  /** Use X-Forwarded-For for the client address (only behind a proxy you trust). */
  OPS_TRUST_PROXY: helpers.boolish.default(false),

  /** Token buckets per minute: reads per key and per client address; orders tighter. */
  OPS_RATE_READ_PER_KEY: positiveInt.default(600),
  OPS_RATE_READ_PER_IP: positiveInt.default(1200),
  OPS_RATE_ORDER_PER_KEY: positiveInt.default(30),
  OPS_RATE_ORDER_PER_IP: positiveInt.default(60),

  /** How long a looked-up key (or a miss) is trusted before Postgres is asked again; also the delay of a revocation. */
  OPS_KEY_CACHE_SECONDS: positiveInt.max(300).default(10),
  /** Open positions are served from memory for this long (and dropped at once on a position event). */
  OPS_POSITIONS_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(500),
  /** Timeout of a query to another service. */
  OPS_QUERY_TIMEOUT_MS: positiveInt.max(60_000).default(5000),
  /** Timeout of a command (order, close, risk change); its outcome is unknown past it. */
  OPS_COMMAND_TIMEOUT_MS: positiveInt.max(60_000).default(10_000),

  OPS_WS_HEARTBEAT_SECONDS: positiveInt.max(300).default(15),
  /** A connection that sends nothing (not even a ping) for this long is closed. */
  OPS_WS_IDLE_SECONDS: positiveInt.max(3600).default(60),
  /** Time a client has to authenticate after connecting. */
  OPS_WS_AUTH_SECONDS: positiveInt.max(60).default(5),
  /** A client whose unsent data passes this many bytes is dropped. */
  OPS_WS_MAX_BUFFERED_BYTES: positiveInt.default(1_048_576),
  OPS_WS_MAX_CONNECTIONS: positiveInt.default(200),
}, 3000);

export type OpsGatewayConfig = z.infer<typeof configSchema>;

export const loadServiceConfig = (env: Record<string, string | undefined> = process.env) => loadConfig('ops-gateway', configSchema, env);

import { AsyncLocalStorage } from 'node:async_hooks';
import type { LoggerService } from '@nestjs/common';
import { pino, type Logger } from 'pino';
import { currentTraceId } from '../telemetry/index.js';

/** Per-message context (correlation id, message id) carried through async calls into log lines. */
export const logContext = new AsyncLocalStorage<{ correlationId?: string; messageId?: string }>();

/** Paths never written in clear: passwords, secrets, API keys, connection strings. */
export const redactedPaths = [
  'password', '*.password', 'secret', '*.secret', 'apiKey', '*.apiKey', 'authorization', '*.authorization',
  'headers.authorization', 'headers["x-api-key"]', 'req.headers["x-api-key"]', 'databaseUrl', '*.databaseUrl',
  'DATABASE_URL', '*.DATABASE_URL', 'BRIDGE_SHARED_SECRET', '*.BRIDGE_SHARED_SECRET', 'sharedSecret', '*.sharedSecret', 'key', '*.key',
];

/** Creates the service's pino logger: JSON lines with service, trace id and correlation id. */
export function createLogger(service: string, level = 'info', destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: redactedPaths, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
      mixin() {
        const store = logContext.getStore();
        const traceId = currentTraceId();
        return {
          ...(traceId ? { traceId } : {}),
          ...(store?.correlationId ? { correlationId: store.correlationId } : {}),
          ...(store?.messageId ? { messageId: store.messageId } : {}),
        };
      },
    },
    destination,
  );
}

/** Adapts pino to Nest's LoggerService so framework logs are JSON too. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, ...rest: unknown[]) { this.write('info', message, rest); }
  error(message: unknown, ...rest: unknown[]) { this.write('error', message, rest); }
  warn(message: unknown, ...rest: unknown[]) { this.write('warn', message, rest); }
  debug(message: unknown, ...rest: unknown[]) { this.write('debug', message, rest); }
  verbose(message: unknown, ...rest: unknown[]) { this.write('trace', message, rest); }
  fatal(message: unknown, ...rest: unknown[]) { this.write('fatal', message, rest); }

  private write(level: 'info' | 'error' | 'warn' | 'debug' | 'trace' | 'fatal', message: unknown, rest: unknown[]) {
    const contextName = typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
    if (message instanceof Error) this.logger[level]({ err: message, context: contextName }, message.message);
    else if (typeof message === 'object' && message !== null) this.logger[level]({ ...message, context: contextName });
    else this.logger[level]({ context: contextName }, String(message));
  }
}

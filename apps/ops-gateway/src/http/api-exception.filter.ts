import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { GatewayError } from '../application/gateway-error.js';
import { newTraceId, type GatewayRequestContext } from '../security/principal.js';

const codeForStatus: Record<number, string> = {
  400: 'OPS.INVALID_REQUEST', 401: 'OPS.UNAUTHENTICATED', 403: 'OPS.FORBIDDEN', 404: 'OPS.NOT_FOUND', 405: 'OPS.INVALID_REQUEST',
  409: 'OPS.CONFLICT', 413: 'OPS.INVALID_REQUEST', 415: 'OPS.INVALID_REQUEST', 429: 'OPS.RATE_LIMITED',
};

/** Body-parser failures carry a `type`; their messages are about our parser, not the caller's data. */
function bodyParserMessage(error: unknown): string | undefined {
  const type = (error as { type?: unknown })?.type;
  if (type === 'entity.parse.failed') return 'request body is not valid JSON (NaN and Infinity are not JSON numbers: send decimals as strings)';
  if (type === 'entity.too.large') return 'request body is too large';
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') return 'request body encoding is not supported (send UTF-8 JSON)';
  return undefined;
}

/**
 * Every error leaves as `{ error: { code, message, retryable, traceId } }`. Only messages written
 * for operators go out (GatewayError, Nest's 4xx); anything unexpected is logged with its stack
 * and answered with a fixed sentence and the trace id to look it up by.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return;
    const http = host.switchToHttp();
    const request = http.getRequest<Request & GatewayRequestContext>();
    const response = http.getResponse<Response>();
    if (response.headersSent) return;
    request.traceId ??= newTraceId();
    const traceId = request.traceId;
    let status = 500;
    let code = 'SYS.INTERNAL';
    let message = `internal error; quote trace id ${traceId} when reporting it`;
    let retryable = false;
    let details: Readonly<Record<string, unknown>> | undefined;
    if (exception instanceof GatewayError) {
      ({ status, code, message, retryable, details } = exception);
      for (const [name, value] of Object.entries(exception.headers)) response.setHeader(name, value);
    } else if (exception instanceof HttpException && exception.getStatus() < 500) {
      status = exception.getStatus();
      code = codeForStatus[status] ?? 'OPS.INVALID_REQUEST';
      message = bodyParserMessage(exception.cause) ?? (status === 404 ? `no route ${request.method} ${request.path}` : exception.message);
    } else if (bodyParserMessage(exception)) {
      status = (exception as { status?: number }).status ?? 400;
      code = 'OPS.INVALID_REQUEST';
      message = bodyParserMessage(exception) as string;
    }
    if (status >= 500 && !(exception instanceof GatewayError)) {
      this.logger.error({ err: exception, traceId, method: request.method, path: request.path }, 'request failed');
    }
    response.status(status).json({ error: { code, message, retryable, traceId, ...(details ? { details } : {}) } });
  }
}

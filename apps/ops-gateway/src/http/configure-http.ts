import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { WsAdapter } from '@nestjs/platform-ws';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { OpsGatewayConfig } from '../config.js';
import { STREAM_PATH } from '../stream/live-stream.gateway.js';
import { ChannelDescriptions } from '../stream/stream-channels.js';
import { ApiExceptionFilter } from './api-exception.filter.js';
import { ZodRequestPipe } from './zod-request.pipe.js';

const DESCRIPTION = [
  'Operators\' REST API of the MT5 trading platform. Every /api/v1 route needs an API key in `X-API-Key`',
  '(roles viewer < operator < admin; keys are made with `node dist/apps/ops-gateway/src/cli.js keys create`).',
  'Errors are `{ error: { code, message, retryable, traceId } }`; 429 carries Retry-After and X-RateLimit-Limit/Remaining/Reset.',
  '',
  `Live stream: WebSocket at ${STREAM_PATH}. Authenticate with the X-API-Key header or a first message`,
  '`{"type":"auth","key":"…"}`, then `{"type":"subscribe","channels":[…]}` / `unsubscribe` / `ping`. Channels:',
  ...Object.values(ChannelDescriptions).map((line) => `- ${line}`),
].join('\n');

/** The OpenAPI document of every controller in the app (also served at /docs-json). */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('MT5 platform: ops gateway')
    .setDescription(DESCRIPTION)
    .setVersion('1')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'an API key (shown once when created)' }, 'api-key')
    .build();
  return SwaggerModule.createDocument(app, builder, { operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}` });
}

/**
 * The gateway's HTTP set-up, run by `runService` before it listens: Helmet headers, CORS only for
 * configured origins, zod validation, one error shape, the WebSocket adapter, Swagger at /docs.
 */
export function configureHttp(app: INestApplication, config: OpsGatewayConfig, logger: Logger): void {
  const express = app as NestExpressApplication;
  if (config.OPS_TRUST_PROXY) express.set('trust proxy', true);
  app.use(helmet());
  if (config.OPS_CORS_ORIGINS) {
    app.enableCors({
      origin: config.OPS_CORS_ORIGINS.split(','), methods: ['GET', 'POST', 'PUT', 'DELETE'], allowedHeaders: ['Content-Type', 'X-API-Key'],
      exposedHeaders: ['Retry-After', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset'],
    });
  }
  app.useGlobalPipes(new ZodRequestPipe());
  app.useGlobalFilters(new ApiExceptionFilter(logger));
  // The gateway reads raw frames itself; the adapter's own JSON parsing would only parse them twice.
  app.useWebSocketAdapter(new WsAdapter(app, { messageParser: () => undefined }));
  if (config.OPS_DOCS_ENABLED) SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), { jsonDocumentUrl: 'docs-json' });
}

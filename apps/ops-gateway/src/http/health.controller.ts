import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { SystemHealthUseCase } from '../application/system-health/system-health.use-case.js';
import { Read } from '../security/access.decorators.js';
import { Endpoint } from './openapi.decorators.js';

const check = z.looseObject({ status: z.string() });
const healthResponse = z.object({
  status: z.enum(['ok', 'degraded', 'down']),
  score: z.number().min(0).max(100).meta({ description: '80 × share of services ok (degraded counts half) + 20 × share of the gateway\'s dependencies up' }),
  figures: z.object({ servicesOk: z.number(), servicesDegraded: z.number(), servicesDown: z.number(), dependenciesUp: z.number(), dependenciesDown: z.number() }),
  services: z.array(z.object({
    service: z.string(), status: z.enum(['ok', 'degraded', 'down']), latencyMs: z.number().optional(), checks: z.record(z.string(), check).optional(),
    uptimeSeconds: z.number().optional(), error: z.string().optional(),
  })),
  gateway: z.record(z.string(), check),
}).meta({ id: 'SystemHealth' });

@ApiTags('health')
@Controller('api/v1/health')
export class SystemHealthController {
  constructor(private readonly systemHealth: SystemHealthUseCase) {}

  /** Health of every service and dependency, with an overall score 0..100 and its figures. */
  @Get()
  @HttpCode(200)
  @Read()
  @Endpoint('Health of every service (over NATS) and of the gateway\'s dependencies, with a score 0..100; 503 when everything is down', healthResponse)
  async get(@Res({ passthrough: true }) response: Response) {
    const health = await this.systemHealth.execute();
    if (health.status === 'down') response.status(503);
    return health;
  }
}

import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import type { Response } from 'express';
import { SystemHealthUseCase } from '../application/system-health/system-health.use-case.js';

@Controller('api/v1/health')
export class SystemHealthController {
  constructor(private readonly systemHealth: SystemHealthUseCase) {}

  /** Health of every service and dependency, with an overall score 0..100 and its figures. */
  @Get()
  @HttpCode(200)
  async get(@Res({ passthrough: true }) response: Response) {
    const health = await this.systemHealth.execute();
    if (health.status === 'down') response.status(503);
    return health;
  }
}

import { Controller, Get, Header, Inject, Query } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Subjects } from '@mt5/contracts';
import type { z } from 'zod';
import { UpstreamClient } from '../application/upstream/upstream.client.js';
import { GATEWAY_OPTIONS, type GatewayOptions } from '../gateway.tokens.js';
import { Read } from '../security/access.decorators.js';
import { Endpoint } from './openapi.decorators.js';
import { errorResponseSchema } from './schemas/common.schemas.js';
import {
  assessmentResponse, performanceQuery, performanceResponse, reportPositionsQuery, reportPositionsResponse, tradesQuery, tradesResponse,
} from './schemas/reports.schemas.js';

/** Trade history and analytics, owned by reporting (`rpt.qry.*`). */
@ApiTags('reporting')
@Controller('api/v1/reports')
export class ReportsController {
  constructor(private readonly upstream: UpstreamClient, @Inject(GATEWAY_OPTIONS) private readonly options: GatewayOptions) {}

  private ask<T = unknown>(name: string, body: unknown) {
    return this.upstream.request<T>({ service: 'reporting', subject: Subjects.query('reporting', name), body });
  }

  /** The request's account, else OPS_ACCOUNT, as on every other route. */
  private scoped<Q extends { account?: string | undefined }>(query: Q) {
    return { ...query, account: query.account ?? this.options.config.OPS_ACCOUNT };
  }

  @Get('trades')
  @Read()
  @Endpoint('Closed trades (round trips), newest first, with a cursor', tradesResponse, [400])
  trades(@Query({ schema: tradesQuery }) query: z.output<typeof tradesQuery>) {
    return this.ask('trades', this.scoped(query));
  }

  @Get('positions')
  @Read()
  @Endpoint('Position history as reporting recorded it (open, closed or all)', reportPositionsResponse, [400])
  positions(@Query({ schema: reportPositionsQuery }) query: z.output<typeof reportPositionsQuery>) {
    return this.ask('positions', this.scoped(query));
  }

  @Get('performance')
  @Read()
  @Endpoint('Performance: summary, drawdowns, Sharpe and Sortino, breakdowns, monthly and daily rows', performanceResponse, [400])
  performance(@Query({ schema: performanceQuery }) query: z.output<typeof performanceQuery>) {
    return this.ask('performance', this.scoped(query));
  }

  @Get('assessment')
  @Read()
  @Endpoint('The written assessment of the results, with its findings', assessmentResponse, [400])
  assessment(@Query({ schema: performanceQuery }) query: z.output<typeof performanceQuery>) {
    return this.ask('assessment', this.scoped(query));
  }

  @Get('html')
  @Read()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @ApiOperation({ summary: 'The HTML report: one self-contained page (no scripts)' })
  @ApiProduces('text/html')
  @ApiResponse({ status: 200, description: 'the report', content: { 'text/html': { schema: { type: 'string' } } } })
  @ApiResponse({ status: 400, description: 'invalid request', standardSchema: errorResponseSchema as never })
  @ApiResponse({ status: 401, description: 'missing or unknown API key', standardSchema: errorResponseSchema as never })
  @ApiResponse({ status: 413, description: 'the report is too large for one reply; narrow the range', standardSchema: errorResponseSchema as never })
  @ApiResponse({ status: 429, description: 'rate limited', standardSchema: errorResponseSchema as never })
  @ApiResponse({ status: 503, description: 'reporting is not answering', standardSchema: errorResponseSchema as never })
  async html(@Query({ schema: performanceQuery }) query: z.output<typeof performanceQuery>): Promise<string> {
    const report = await this.ask<{ html: string }>('report', this.scoped(query));
    return report.html;
  }
}

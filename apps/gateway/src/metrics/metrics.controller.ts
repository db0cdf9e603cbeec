import { Controller, Get, Header } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiErrors, ApiReply, AUTHENTICATED } from '../openapi/api-replies';
import type { PerformanceReply } from '@loglens/contracts';
import { Public } from '../auth/roles';
import { MetricsService } from './metrics.service';

@ApiTags('metrics')
@Controller()
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  /** Open like /health: scrapers rarely carry API keys; it holds counts and timings, no model data. */
  @Get('metrics')
  @Public()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiResponse({
    status: 200,
    description: 'Prometheus exposition: loglens_http_*, loglens_inference_* (summed over workers), process metrics',
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  @ApiErrors(429)
  prometheus(): Promise<string> {
    return this.metrics.prometheus();
  }

  @Get('model-management/performance')
  @ApiSecurity('api-key')
  @ApiOperation({ summary: 'Per version: throughput, p50/p95/p99, queue vs compute, average batch, error rate, 15-minute series; per worker RSS/CPU' })
  @ApiReply('PerformanceReply', { errors: AUTHENTICATED })
  performance(): Promise<PerformanceReply> {
    return this.metrics.performance();
  }
}

import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { rawResponse, routeOf, type HttpReply, type HttpRequest } from '../http/http-adapter';
import type { Observable } from 'rxjs';
import { MetricsService } from './metrics.service';

/** Counts and times every routed HTTP request by its route pattern (not the raw URL, which would explode labels). */
@Injectable()
export class HttpMetricsInterceptor implements NestInterceptor {
  constructor(private readonly metrics: MetricsService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<HttpRequest>();
    const res = rawResponse(context.switchToHttp().getResponse<HttpReply>());
    const route = routeOf(req) ?? 'unmatched';
    // on 'finish': the status is known only once the response is sent (errors are written later, by the exception filter)
    this.metrics.observeHttp(req.method, route, res);
    return next.handle();
  }
}

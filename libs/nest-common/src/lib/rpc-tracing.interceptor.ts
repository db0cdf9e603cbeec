import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { NatsContext } from '@nestjs/microservices';
import { Observable } from 'rxjs';
import { contextOf, contextWith, failSpan, runIn, SpanKind, startSpan, tracingEnabled } from '@loglens/tracing';

/**
 * A SERVER span for each request a Nest NATS handler answers, continuing the caller's trace from the message's
 * `traceparent` header; the handler runs with it active, so its own calls (RpcClient, events, the database) are its
 * children. Nothing when tracing is off.
 */
@Injectable()
export class RpcTracingInterceptor implements NestInterceptor {
  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (!tracingEnabled() || ctx.getType() !== 'rpc') return next.handle();
    const nats = ctx.switchToRpc().getContext<NatsContext>();
    const subject = nats.getSubject();
    const parent = contextOf(nats.getHeaders());
    return new Observable((subscriber) => {
      const span = startSpan(`${subject} process`, {
        kind: SpanKind.SERVER,
        parent,
        attributes: { 'messaging.system': 'nats', 'messaging.destination.name': subject, 'messaging.operation.type': 'process' },
      });
      // Nest runs the handler when the observable is subscribed: subscribing inside the span's context makes it active there
      const inner = runIn(contextWith(span, parent), () =>
        next.handle().subscribe({
          next: (value) => subscriber.next(value),
          error: (e: unknown) => {
            failSpan(span, e);
            subscriber.error(e);
          },
          complete: () => {
            span?.end();
            subscriber.complete();
          },
        }),
      );
      return () => inner.unsubscribe();
    });
  }
}
